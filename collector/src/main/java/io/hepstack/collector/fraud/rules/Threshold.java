package io.hepstack.collector.fraud.rules;

import io.hepstack.collector.fraud.Severity;

/**
 * Warning and critical levels of one parameter, as in OpenSIPS: a level is reached when the value is
 * {@code >=} it, and 0 turns that level off.
 */
public record Threshold(double warning, double critical) {

    public static final Threshold OFF = new Threshold(0, 0);

    public Threshold {
        if (!(warning >= 0) || !(critical >= 0) || Double.isInfinite(warning) || Double.isInfinite(critical)) {
            throw new IllegalArgumentException("thresholds must be finite and >= 0: warning " + warning
                    + ", critical " + critical);
        }
    }

    public boolean enabled() {
        return warning > 0 || critical > 0;
    }

    /** The highest level {@code value} reaches, or null when it reaches none. */
    public Severity reached(double value) {
        if (critical > 0 && value >= critical) {
            return Severity.CRITICAL;
        }
        if (warning > 0 && value >= warning) {
            return Severity.WARNING;
        }
        return null;
    }

    public double level(Severity severity) {
        return severity == Severity.CRITICAL ? critical : warning;
    }

    /** The larger of the two levels (how much history a counter must keep to see both). */
    public double max() {
        return Math.max(warning, critical);
    }
}
