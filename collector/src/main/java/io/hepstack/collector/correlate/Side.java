package io.hepstack.collector.correlate;

/** The two ends of a call: who sent the initial INVITE, and who it went to. */
enum Side {
    CALLER, CALLEE;

    Side other() {
        return this == CALLER ? CALLEE : CALLER;
    }

    /** The media leg of the stream this side sends: {@code a_leg} for the caller, {@code b_leg} for the callee. */
    int leg() {
        return this == CALLER ? 0 : 1;
    }
}
