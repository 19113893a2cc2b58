package io.hepstack.collector.fraud;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The call is over: BYE, CANCEL, a final failure response, or the correlator's own timeout.
 *
 * @param answered        false for failed/cancelled calls (no call-duration alert, as in OpenSIPS)
 * @param durationSeconds answered time in seconds, or -1 to let the engine use its answer time
 * @param cost            rated cost of the call, or null when not rated
 * @param currency        ISO 4217 code of {@code cost}, or null
 */
public record CallEnded(String callId, long timeMicros, boolean answered, long durationSeconds,
                        BigDecimal cost, String currency) {

    public CallEnded {
        Objects.requireNonNull(callId, "callId");
        if (timeMicros < 0) {
            throw new IllegalArgumentException("timeMicros must be >= 0: " + timeMicros);
        }
        if (cost != null && cost.signum() < 0) {
            throw new IllegalArgumentException("cost must be >= 0: " + cost);
        }
    }

    public static CallEnded failed(String callId, long timeMicros) {
        return new CallEnded(callId, timeMicros, false, 0, null, null);
    }

    public static CallEnded answered(String callId, long timeMicros, long durationSeconds) {
        return new CallEnded(callId, timeMicros, true, durationSeconds, null, null);
    }
}
