package io.hepstack.enricher.dnsbl;

import io.dropwizard.util.Duration;

import java.util.ArrayList;
import java.util.List;

/** {@code dnsbl:} section; off by default (every lookup is a DNS query to a third party). */
public class DnsblConfig {
    public boolean enabled = false;
    /** Blocklist zones, e.g. ["zen.spamhaus.org", "bl.voipbl.org"]. */
    public List<String> zones = new ArrayList<>();
    /** DNS server "host[:port]"; null: the system's resolvers. */
    public String server;
    public Duration timeout = Duration.seconds(2);
    /** How long an answer (listed or not) is kept. */
    public Duration cacheTtl = Duration.hours(1);
    /** How long to wait before retrying an address whose lookup failed. */
    public Duration errorTtl = Duration.minutes(5);
    /** Lookups in flight at once. */
    public int maxConcurrent = 4;
    /** Lookups waiting for a worker; more are dropped (and counted) and retried on a later call. */
    public int maxQueued = 1000;
    public int cacheSize = 100_000;
}
