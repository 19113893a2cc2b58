package io.hepstack.enricher;

import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import io.hepstack.enricher.blacklist.BlacklistConfig;
import io.hepstack.enricher.dnsbl.DnsblConfig;
import io.hepstack.enricher.geo.GeoIpConfig;
import io.hepstack.enricher.number.NumberConfig;
import io.hepstack.enricher.rating.RatingConfig;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code enricher:} section of the collector's YAML (Jackson binds the public fields; keys are
 * camelCase as in Dropwizard). Every field has a default. What is allowed is said by jakarta.validation
 * annotations here and in the sections: Dropwizard reports violations at start-up with the file and
 * line; {@link #validate()} lists them, each with its path ("rating.tables[1].formatKnown is unknown: ...").
 */
public class EnricherConfig {
    @Valid
    public GeoIpConfig geoip = new GeoIpConfig();
    @Valid
    public NumberConfig numbers = new NumberConfig();
    @Valid
    public RatingConfig rating = new RatingConfig();
    @Valid
    public BlacklistConfig blacklists = new BlacklistConfig();
    @Valid
    public DnsblConfig dnsbl = new DnsblConfig();
    /** How often watched files are checked for changes. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS, message = "must be positive")
    public Duration reloadInterval = Duration.seconds(5);
    /** Slots of the per-address cache (geo, AS and blacklist result of an address). */
    @Min(0)
    public int ipCacheSize = 65536;

    /**
     * Problems of this configuration, empty when it can be built: its Bean Validation constraints
     * (the ones Dropwizard checks at the collector's start-up, there with file and line), each
     * "path message".
     */
    public List<String> validate() {
        return ConfigValidation.problems(this, "");
    }

}
