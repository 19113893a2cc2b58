package io.hepstack.enricher.dnsbl;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code dnsbl:} section; off by default (every lookup is a DNS query to a third party). */
public class DnsblConfig {
    public boolean enabled = false;
    /** Blocklist zones, e.g. ["zen.spamhaus.org", "bl.voipbl.org"]. */
    public List<@NotBlank String> zones = new ArrayList<>();
    /** DNS server "host[:port]"; null: the system's resolvers. */
    public String server;
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS, message = "must be positive")
    public Duration timeout = Duration.seconds(2);
    /** How long an answer (listed or not) is kept. */
    public Duration cacheTtl = Duration.hours(1);
    /** How long to wait before retrying an address whose lookup failed. */
    public Duration errorTtl = Duration.minutes(5);
    /** Lookups in flight at once. */
    @Min(1)
    public int maxConcurrent = 4;
    /** Lookups waiting for a worker; more are dropped (and counted) and retried on a later call. */
    @Min(0)
    public int maxQueued = 1000;
    @Min(1)
    public int cacheSize = 100_000;

    /**
     * Enabled, it needs a zone to ask. (Not named after {@code zones}: Jackson would take it for that
     * property's getter, and {@code @JsonIgnore} would then hide the field.)
     */
    @JsonIgnore
    @AssertTrue(message = "is empty: dnsbl is enabled but has no zones")
    public boolean isZoneList() {
        return !enabled || (zones != null && !zones.isEmpty());
    }
}
