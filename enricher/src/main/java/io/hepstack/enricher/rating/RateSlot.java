package io.hepstack.enricher.rating;

import java.math.BigDecimal;

/**
 * One billing interval of a rate: from second {@code start} of the billable time on, time is charged
 * in blocks of {@code increment} seconds at {@code rate} per {@code unitSeconds}. ASTPP's "initial
 * increment 60, increment 6" is two slots: (0, 60 s blocks) and (60, 6 s blocks). CGRateS rate rows
 * map one to one (GroupIntervalStart, RateIncrement, Rate per RateUnit).
 */
public record RateSlot(long start, BigDecimal rate, long unitSeconds, long increment) {

    public RateSlot {
        if (start < 0) {
            throw new IllegalArgumentException("slot start must be >= 0: " + start);
        }
        if (rate == null || rate.signum() < 0) {
            throw new IllegalArgumentException("rate must be >= 0: " + rate);
        }
        if (unitSeconds <= 0) {
            throw new IllegalArgumentException("rate unit must be > 0 seconds: " + unitSeconds);
        }
        if (increment <= 0) {
            throw new IllegalArgumentException("increment must be > 0 seconds: " + increment);
        }
    }
}
