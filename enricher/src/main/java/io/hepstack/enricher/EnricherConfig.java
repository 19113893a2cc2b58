package io.hepstack.enricher;

import io.dropwizard.util.Duration;
import io.hepstack.enricher.blacklist.BlacklistConfig;
import io.hepstack.enricher.blacklist.BlacklistListConfig;
import io.hepstack.enricher.blacklist.ListFormat;
import io.hepstack.enricher.dnsbl.DnsblConfig;
import io.hepstack.enricher.geo.GeoIpConfig;
import io.hepstack.enricher.number.NumberAnalyzer;
import io.hepstack.enricher.number.NumberConfig;
import io.hepstack.enricher.rating.Rater;
import io.hepstack.enricher.rating.RatingConfig;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code enricher:} section of the collector's YAML (Jackson binds the public fields; keys are
 * camelCase as in Dropwizard). Every field has a default; {@link #validate()} lists what is wrong,
 * each problem with its path ("rating.tables[1].format: ...").
 */
public class EnricherConfig {
    public GeoIpConfig geoip = new GeoIpConfig();
    public NumberConfig numbers = new NumberConfig();
    public RatingConfig rating = new RatingConfig();
    public BlacklistConfig blacklists = new BlacklistConfig();
    public DnsblConfig dnsbl = new DnsblConfig();
    /** How often watched files are checked for changes. */
    public Duration reloadInterval = Duration.seconds(5);
    /** Slots of the per-address cache (geo, AS and blacklist result of an address). */
    public int ipCacheSize = 65536;

    /** Problems of this configuration; empty when it can be built. */
    public List<String> validate() {
        List<String> p = new ArrayList<>();
        if (reloadInterval == null || reloadInterval.toMilliseconds() <= 0) {
            p.add("reloadInterval must be positive: " + reloadInterval);
        }
        if (ipCacheSize < 0) {
            p.add("ipCacheSize must be >= 0: " + ipCacheSize);
        }
        if (geoip != null && geoip.enabled && blank(geoip.cityDatabase) && blank(geoip.countryDatabase)
                && blank(geoip.asnDatabase)) {
            p.add("geoip is enabled but names no database (cityDatabase, countryDatabase, asnDatabase)");
        }
        if (numbers != null && numbers.enabled) {
            p.addAll(NumberAnalyzer.validate(numbers, "numbers"));
        }
        if (rating != null) {
            p.addAll(Rater.validate(rating, "rating"));
        }
        if (blacklists != null && blacklists.enabled) {
            Set<String> names = new HashSet<>();
            for (int i = 0; i < blacklists.lists.size(); i++) {
                BlacklistListConfig l = blacklists.lists.get(i);
                String at = "blacklists.lists[" + i + "]";
                if (l == null) {
                    p.add(at + " is empty");
                    continue;
                }
                if (blank(l.name)) {
                    p.add(at + ".name is empty");
                } else if (!names.add(l.name)) {
                    p.add(at + ".name '" + l.name + "' is used twice");
                }
                if (blank(l.file)) {
                    p.add(at + ".file is empty");
                }
                try {
                    ListFormat.parse(l.format);
                } catch (IllegalArgumentException e) {
                    p.add(at + ".format: " + e.getMessage());
                }
            }
        }
        if (dnsbl != null && dnsbl.enabled) {
            if (dnsbl.zones == null || dnsbl.zones.isEmpty()) {
                p.add("dnsbl is enabled but has no zones");
            }
            if (dnsbl.maxConcurrent < 1) {
                p.add("dnsbl.maxConcurrent must be >= 1: " + dnsbl.maxConcurrent);
            }
            if (dnsbl.maxQueued < 0) {
                p.add("dnsbl.maxQueued must be >= 0: " + dnsbl.maxQueued);
            }
            if (dnsbl.cacheSize < 1) {
                p.add("dnsbl.cacheSize must be >= 1: " + dnsbl.cacheSize);
            }
            if (dnsbl.timeout == null || dnsbl.timeout.toMilliseconds() <= 0) {
                p.add("dnsbl.timeout must be positive: " + dnsbl.timeout);
            }
        }
        return p;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
