package io.hepstack.tools.hepgen;

import java.util.SplittableRandom;

/**
 * How long answered calls last (200 OK to BYE), in whole seconds, from a short text spec:
 * <ul>
 * <li>{@code fixed:S}: always S seconds;</li>
 * <li>{@code uniform:A-B}: uniform between A and B inclusive;</li>
 * <li>{@code exp:MEAN} or {@code exp:MEAN:A-B}: exponential with that mean (before clamping),
 *     clamped to [A, B] (default [1, 20 × MEAN]). Real call durations have this long tail.</li>
 * </ul>
 * Every duration is at least 1 s. Immutable.
 */
public final class DurationDistribution {

    /** What hepgen uses when none is given: mean 90 s, 5 s to 10 min. */
    public static final String DEFAULT_SPEC = "exp:90:5-600";

    private enum Kind { FIXED, UNIFORM, EXP }

    private final Kind kind;
    private final double mean;
    private final long min;
    private final long max;
    private final String spec;

    private DurationDistribution(Kind kind, double mean, long min, long max, String spec) {
        this.kind = kind;
        this.mean = mean;
        this.min = min;
        this.max = max;
        this.spec = spec;
    }

    /** Parses a spec; a malformed one is an {@link IllegalArgumentException} naming it. */
    public static DurationDistribution parse(String spec) {
        if (spec == null) {
            throw new IllegalArgumentException("call duration spec must not be null");
        }
        String s = spec.trim();
        int colon = s.indexOf(':');
        if (colon < 0) {
            throw bad(spec, "expected fixed:S, uniform:A-B or exp:MEAN[:A-B]");
        }
        String kind = s.substring(0, colon);
        String arg = s.substring(colon + 1);
        switch (kind) {
            case "fixed": {
                long v = seconds(spec, arg);
                return new DurationDistribution(Kind.FIXED, v, v, v, s);
            }
            case "uniform": {
                long[] r = range(spec, arg);
                return new DurationDistribution(Kind.UNIFORM, (r[0] + r[1]) / 2.0, r[0], r[1], s);
            }
            case "exp": {
                int c2 = arg.indexOf(':');
                long m = seconds(spec, c2 < 0 ? arg : arg.substring(0, c2));
                long[] r = c2 < 0 ? new long[] {1, 20 * m} : range(spec, arg.substring(c2 + 1));
                return new DurationDistribution(Kind.EXP, m, r[0], r[1], s);
            }
            default:
                throw bad(spec, "unknown kind '" + kind + "', expected fixed, uniform or exp");
        }
    }

    private static long seconds(String spec, String v) {
        long n;
        try {
            n = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw bad(spec, "'" + v + "' is not a whole number of seconds");
        }
        if (n < 1 || n > 86_400) {
            throw bad(spec, "seconds must be 1..86400: " + n);
        }
        return n;
    }

    private static long[] range(String spec, String v) {
        int dash = v.indexOf('-');
        if (dash < 0) {
            throw bad(spec, "expected a range A-B: '" + v + "'");
        }
        long a = seconds(spec, v.substring(0, dash));
        long b = seconds(spec, v.substring(dash + 1));
        if (a > b) {
            throw bad(spec, "range " + a + "-" + b + " is empty");
        }
        return new long[] {a, b};
    }

    private static IllegalArgumentException bad(String spec, String why) {
        return new IllegalArgumentException("bad call duration '" + spec + "': " + why);
    }

    /** One duration in whole seconds. */
    public long sampleSeconds(SplittableRandom rng) {
        switch (kind) {
            case FIXED:
                return min;
            case UNIFORM:
                return rng.nextLong(min, max + 1);
            default:
                double x = -mean * Math.log(1.0 - rng.nextDouble());
                return Math.max(min, Math.min(max, Math.round(x)));
        }
    }

    /** The mean after clamping, close enough for sizing (used to derive a call rate from a packet rate). */
    public double approximateMeanSeconds() {
        if (kind != Kind.EXP) {
            return kind == Kind.FIXED ? min : (min + max) / 2.0;
        }
        // E[clamp(X, a, b)] for X ~ Exp(mean): a + mean * (e^(-a/m) - e^(-b/m))
        return min + mean * (Math.exp(-min / mean) - Math.exp(-max / mean));
    }

    @Override
    public String toString() {
        return spec;
    }
}
