package io.hepstack.collector.fraud;

/**
 * One fraud detector. The engine calls every check, in a fixed order, for the events it cares about
 * (the others are no-ops); a check keeps its counters in the shared state (user, source, call) and
 * raises alerts through the {@link FraudContext}, whose "about" fields the engine has already set for
 * the event. Checks run on the feeding thread under the engine's state lock and must not allocate
 * unless they raise an alert.
 */
interface FraudCheck {

    /**
     * A call started (not a duplicate). The call is already live: its user (null without one), the
     * OpenSIPS rule counters (null when no rule matched, else already counted for this call) and rule.
     */
    default void callStarted(CallStarted e, LiveCall call, FraudContext cx) {
    }

    /** A live call was answered for the first time. */
    default void callAnswered(LiveCall call, FraudContext cx) {
    }

    /**
     * A live call with a user ended (it is no longer live). {@code durationSeconds} is its answered
     * time, 0 when it was not answered.
     */
    default void callEnded(CallEnded e, LiveCall call, long durationSeconds, FraudContext cx) {
    }

    /** An answered call still up reached one of its deadlines, {@code seconds} after its answer. */
    default void callUp(LiveCall call, long seconds, FraudContext cx) {
    }

    /** When an answered call next needs {@link #callUp}, or {@link Long#MAX_VALUE} for never. */
    default long nextCheckMicros(LiveCall call) {
        return Long.MAX_VALUE;
    }

    /** A SIP request or final/provisional response from or to a source IP (its state already touched). */
    default void sipSeen(SipSeen e, SourceState source, FraudContext cx) {
    }

    /** The engine's clock moved on ({@link FraudEngine#tick}); {@link FraudContext#now()} is the new time. */
    default void tick(FraudContext cx) {
    }
}
