package io.hepstack.collector.correlate;

import io.hepstack.collector.pipeline.CapturedMessage;

/**
 * What the correlator tells others (the fraud engine, through {@link FraudBridge}) about calls,
 * on the pipeline worker, in this order per call: started, answered (if it was), ended. Events
 * come at the end of the batch that showed them, so a call's INVITE and a 200 mirrored before it
 * still give "started" first. A listener must not throw; if it does, the correlator logs and
 * counts it and goes on.
 */
public interface CallListener {

    /** No-op listener. */
    CallListener NONE = new CallListener() {
    };

    /** The first INVITE (or the first message of an INVITE dialog) was seen. */
    default void callStarted(CallSummary call) {
    }

    /** The first 2xx to the initial INVITE was seen. */
    default void callAnswered(CallSummary call) {
    }

    /** The call reached a final status (or was evicted from memory). */
    default void callEnded(CallSummary call) {
    }

    /** Every SIP message, after correlation ({@code m.callId} and {@code m.duplicate} are set). */
    default void sipMessage(CapturedMessage m) {
    }
}
