package io.hepstack.collector.fraud;

import java.util.Objects;

/**
 * The call was answered (first 2xx to the initial INVITE). Call duration counts from here, as the
 * OpenSIPS dialog start time does.
 */
public record CallAnswered(String callId, long timeMicros) {

    public CallAnswered {
        Objects.requireNonNull(callId, "callId");
        if (timeMicros < 0) {
            throw new IllegalArgumentException("timeMicros must be >= 0: " + timeMicros);
        }
    }
}
