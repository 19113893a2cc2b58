package io.hepstack.collector.retry;

import dev.failsafe.RetryPolicyBuilder;

import java.time.Duration;

/**
 * The collector's one way of waiting between retries: Failsafe policies with exponential backoff
 * (the delay doubles from {@code initial} up to {@code max}, no jitter).
 */
public final class Backoff {

    private Backoff() {
    }

    /**
     * Sets {@code initial, 2·initial, 4·initial … max} on {@code builder}. Failsafe wants
     * {@code 0 < initial < max} for a backoff; otherwise the delay is the constant {@code initial}
     * (a zero initial delay means retrying at once).
     */
    public static <R> RetryPolicyBuilder<R> exponential(RetryPolicyBuilder<R> builder, Duration initial, Duration max) {
        if (initial.isZero() || initial.isNegative()) {
            return builder; // Failsafe's default: no delay
        }
        if (initial.compareTo(max) < 0) {
            return builder.withBackoff(initial, max);
        }
        return builder.withDelay(initial);
    }
}
