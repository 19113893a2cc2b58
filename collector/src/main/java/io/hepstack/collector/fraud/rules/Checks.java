package io.hepstack.collector.fraud.rules;

import com.fasterxml.jackson.annotation.JsonIgnore;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The checks that go beyond OpenSIPS, each with an on/off switch, a window and thresholds. The
 * limits are Bean Validation constraints, checked by {@link FraudConfigLoader} (which names the file
 * and line of the setting).
 */
public record Checks(@Valid UserAgentChange userAgentChange, @Valid NewCountry newCountry,
                     @Valid HighRisk highRiskDestination, @Valid CostBurn costBurn, @Valid Count blacklistedSource,
                     @Valid Scanner scannerUserAgent, @Valid Flood sipFlood, @Valid AuthFailure authFailureRatio,
                     @Valid Irsf irsfShortCalls) {

    /** Longest window of a check: 31 days. */
    public static final long MAX_WINDOW_SECONDS = 31L * 86400;

    public static final List<String> DEFAULT_SCANNER_AGENTS = List.of("friendly-scanner", "sipvicious", "sipcli",
            "vaxsipuseragent", "pplsip", "sundayddr", "iwar", "sipsak", "sip-scan", "sipscan", "siparmyknife", "smap");

    public Checks {
        Objects.requireNonNull(userAgentChange, "userAgentChange");
        Objects.requireNonNull(newCountry, "newCountry");
        Objects.requireNonNull(highRiskDestination, "highRiskDestination");
        Objects.requireNonNull(costBurn, "costBurn");
        Objects.requireNonNull(blacklistedSource, "blacklistedSource");
        Objects.requireNonNull(scannerUserAgent, "scannerUserAgent");
        Objects.requireNonNull(sipFlood, "sipFlood");
        Objects.requireNonNull(authFailureRatio, "authFailureRatio");
        Objects.requireNonNull(irsfShortCalls, "irsfShortCalls");
    }

    /** The defaults documented in docs/fraud.md. */
    public static Checks defaults() {
        return new Checks(
                new UserAgentChange(new Count(true, 3600, new Threshold(3, 6))),
                new NewCountry(new Count(true, 3600, new Threshold(1, 3)), 20, 5),
                new HighRisk(new Count(true, 3600, new Threshold(1, 5)), Destinations.NONE),
                new CostBurn(true, 3600, Threshold.OFF, null, null, 10),
                new Count(true, 3600, new Threshold(1, 10)),
                new Scanner(new Count(true, 300, new Threshold(1, 50)), DEFAULT_SCANNER_AGENTS),
                new Flood(true, 10, new Threshold(100, 300), new Threshold(50, 150), new Threshold(50, 150)),
                new AuthFailure(true, 60, 20, Set.of(401, 403, 404, 407), new Threshold(0.8, 0.95)),
                new Irsf(new Count(true, 600, new Threshold(5, 20)), 10, Destinations.NONE));
    }

    /** A counted event in a sliding window. */
    public record Count(boolean enabled,
                        @Min(value = 1, message = WINDOW) @Max(value = MAX_WINDOW_SECONDS, message = WINDOW) long windowSeconds,
                        Threshold threshold) {
        public Count {
            Objects.requireNonNull(threshold, "threshold");
        }

        public boolean active() {
            return enabled && threshold.enabled();
        }
    }

    /** Destinations by ISO country, number prefix or number type. */
    public record Destinations(Set<String> countries, PrefixSet prefixes, Set<String> numberTypes) {
        public static final Destinations NONE = new Destinations(Set.of(), PrefixSet.EMPTY, Set.of());

        public Destinations {
            countries = upper(countries);
            numberTypes = lower(numberTypes);
            Objects.requireNonNull(prefixes, "prefixes");
        }

        public boolean isEmpty() {
            return countries.isEmpty() && prefixes.isEmpty() && numberTypes.isEmpty();
        }

        public boolean matches(String country, String number, String numberType) {
            return (country != null && containsIgnoreCase(countries, country))
                    || prefixes.matches(number)
                    || (numberType != null && containsIgnoreCase(numberTypes, numberType));
        }

        private static boolean containsIgnoreCase(Set<String> set, String v) {
            for (String s : set) { // small sets: a scan beats building a lower-case copy per call
                if (s.equalsIgnoreCase(v)) {
                    return true;
                }
            }
            return false;
        }
    }

    public record UserAgentChange(@Valid Count count) {
    }

    /**
     * @param lastCalls  how many past destination countries per user are remembered
     * @param minHistory calls a user must have made before a country counts as new
     */
    public record NewCountry(@Valid Count count, @Min(1) @Max(1000) int lastCalls, @Min(0) int minHistory) {
        @JsonIgnore
        @AssertTrue(message = "must be 0..lastCalls")
        public boolean isMinHistory() {
            return minHistory <= lastCalls;
        }
    }

    public record HighRisk(@Valid Count count, Destinations destinations) {
    }

    /**
     * @param threshold               money per window, in {@code currency}
     * @param currency                costs in another currency are ignored (and counted); null accepts any
     * @param ratePerMinute           default price per minute for the running estimate, or null (no estimate
     *                                unless the call brings its own rate)
     * @param estimateIntervalSeconds how often the running estimate is checked by tick()
     */
    public record CostBurn(boolean enabled,
                           @Min(value = 1, message = WINDOW) @Max(value = MAX_WINDOW_SECONDS, message = WINDOW) long windowSeconds,
                           Threshold threshold, String currency,
                           @DecimalMin("0") BigDecimal ratePerMinute,
                           @Min(value = 1, message = "must be at least 1 s") long estimateIntervalSeconds) {
        public CostBurn {
            Objects.requireNonNull(threshold, "threshold");
        }

        public boolean active() {
            return enabled && threshold.enabled();
        }
    }

    /** @param patterns lower-case substrings of known scanner User-Agents */
    public record Scanner(@Valid Count count, List<String> patterns) {
        public Scanner {
            patterns = patterns.stream().map(p -> p.trim().toLowerCase(Locale.ROOT)).filter(p -> !p.isEmpty()).toList();
        }
    }

    /** Requests per source IP and window, by method. */
    public record Flood(boolean enabled,
                        @Min(value = 1, message = WINDOW) @Max(value = MAX_WINDOW_SECONDS, message = WINDOW) long windowSeconds,
                        Threshold register, Threshold invite, Threshold options) {
        public Flood {
            Objects.requireNonNull(register, "register");
            Objects.requireNonNull(invite, "invite");
            Objects.requireNonNull(options, "options");
        }
    }

    /**
     * Share of final responses to a source that are failures in {@code codes}, once at least
     * {@code minSamples} final responses were seen in the window. Thresholds are ratios 0..1.
     */
    public record AuthFailure(boolean enabled,
                              @Min(value = 1, message = WINDOW) @Max(value = MAX_WINDOW_SECONDS, message = WINDOW) long windowSeconds,
                              @Min(1) int minSamples, Set<Integer> codes, Threshold threshold) {
        public AuthFailure {
            codes = Set.copyOf(codes);
        }

        @JsonIgnore
        @AssertTrue(message = "must be ratios 0..1 (warning and critical)")
        public boolean isRatios() {
            return threshold.warning() <= 1 && threshold.critical() <= 1;
        }
    }

    /**
     * Answered calls to premium/high-risk destinations that last at most {@code maxDurationSeconds}.
     * An empty destination list means the high-risk-destination list.
     */
    public record Irsf(@Valid Count count, @Min(value = 1, message = "must be at least 1 s") long maxDurationSeconds,
                       Destinations destinations) {
    }

    /** The message of a window outside 1 s .. 31 days. */
    static final String WINDOW = "must be 1 s .. 31 days";

    private static Set<String> upper(Set<String> s) {
        return s.stream().map(v -> v.trim().toUpperCase(Locale.ROOT)).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    private static Set<String> lower(Set<String> s) {
        return s.stream().map(v -> v.trim().toLowerCase(Locale.ROOT)).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }
}
