package io.hepstack.collector.correlate;

/**
 * {@code tdr.status}: where a call or transaction is, and how it ended. The mapping from SIP is in
 * docs/tdr.md; {@link #ofFinalCode} is its code table.
 */
public enum TdrStatus {
    /** Request seen, no response yet. */
    INIT(false),
    /** A provisional response other than 18x (100 Trying). */
    TRYING(false),
    /** 18x (180 Ringing, 183 Session Progress, ...) and no final response yet. */
    RINGING(false),
    /** 2xx to the INVITE, no BYE yet. */
    ANSWERED(false),
    /** Answered and ended by BYE (or by the answered-call timeout). */
    FINISHED(true),
    /** CANCEL before the answer, or 487 Request Terminated. */
    CANCELED(true),
    /** 486 Busy Here, 600 Busy Everywhere. */
    USER_BUSY(true),
    /** 603 Decline. */
    DECLINE(true),
    /** Any other 4xx. */
    USER_FAILURE(true),
    /** 5xx, 6xx other than 600/603, or no final response before the setup timeout. */
    HARD_FAILURE(true),
    /** 3xx. */
    MOVED(true),
    /** A non-INVITE transaction's 2xx. */
    SUCCESS(true),
    /** A non-INVITE transaction without a final response before its timeout. */
    TIMEOUT(true),
    /**
     * The collector restarted while the call or transaction was live and saw no end of it: a call
     * resumed from Elasticsearch that then timed out, or a record left live by a crash that could
     * not be resumed (closed by the start-up sweep). Never left ANSWERED for ever.
     */
    UNKNOWN_END(true);

    private final boolean ended;

    TdrStatus(boolean ended) {
        this.ended = ended;
    }

    /** True when the status is final: the call or transaction is over. */
    public boolean ended() {
        return ended;
    }

    /**
     * The status for a final response code (≥ 200): 2xx → {@code success} (ANSWERED for calls,
     * SUCCESS for transactions), 3xx → MOVED, 486/600 → USER_BUSY, 487 → CANCELED, 603 → DECLINE,
     * other 4xx → USER_FAILURE, other 5xx/6xx (and anything else) → HARD_FAILURE.
     */
    public static TdrStatus ofFinalCode(int code, TdrStatus success) {
        if (code >= 200 && code < 300) {
            return success;
        }
        if (code >= 300 && code < 400) {
            return MOVED;
        }
        return switch (code) {
            case 486, 600 -> USER_BUSY;
            case 487 -> CANCELED;
            case 603 -> DECLINE;
            default -> code >= 400 && code < 500 ? USER_FAILURE : HARD_FAILURE;
        };
    }
}
