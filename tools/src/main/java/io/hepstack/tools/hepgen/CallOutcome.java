package io.hepstack.tools.hepgen;

import java.util.Locale;

/**
 * How a generated call ends, with the SIP exchange each outcome produces (caller → SBC, SBC →
 * caller). Every call starts with INVITE (SDP offer) and 100 Trying.
 * <ul>
 * <li>{@link #ANSWERED}: 180, 200 OK (SDP answer), ACK (new branch), RTCP reports from both
 *     media ends, BYE from either side, 200 OK.</li>
 * <li>{@link #BUSY} 486, {@link #DECLINED} 603 (after ringing), {@link #UNAVAILABLE} 503,
 *     {@link #NOT_FOUND} 404, {@link #NO_ANSWER} 408 (after the ring timeout): the final
 *     response, then the ACK on the INVITE's branch.</li>
 * <li>{@link #CANCELLED}: 180, CANCEL (INVITE's branch), 200 OK to the CANCEL, 487 to the
 *     INVITE, ACK.</li>
 * </ul>
 * Each call ends with one LOG line (HEP type 100) naming its outcome.
 */
public enum CallOutcome {
    ANSWERED(200, "OK", "answered"),
    BUSY(486, "Busy Here", "busy (486)"),
    CANCELLED(487, "Request Terminated", "cancelled (487)"),
    DECLINED(603, "Decline", "declined (603)"),
    UNAVAILABLE(503, "Service Unavailable", "failed (503)"),
    NOT_FOUND(404, "Not Found", "failed (404)"),
    NO_ANSWER(408, "Request Timeout", "no answer (408)");

    private final int finalCode;
    private final String reasonPhrase;
    private final String logText;

    CallOutcome(int finalCode, String reasonPhrase, String logText) {
        this.finalCode = finalCode;
        this.reasonPhrase = reasonPhrase;
        this.logText = logText;
    }

    /** The final response to the INVITE. */
    public int finalCode() {
        return finalCode;
    }

    public String reasonPhrase() {
        return reasonPhrase;
    }

    /** The words the LOG line uses for this outcome. */
    String logText() {
        return logText;
    }

    /** True when the callee's phone rang (a 180 was sent) before the final response. */
    boolean rings() {
        return this == ANSWERED || this == CANCELLED || this == DECLINED || this == NO_ANSWER;
    }

    /** The name used on the command line and in summaries: lower case, no underscore ("noanswer"). */
    public String key() {
        return name().toLowerCase(Locale.ROOT).replace("_", "");
    }

    /** The outcome with this {@link #key()}. */
    public static CallOutcome ofKey(String key) {
        for (CallOutcome o : values()) {
            if (o.key().equals(key)) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown call outcome '" + key + "', expected one of " + keys(values()));
    }

    static String keys(Enum<?>[] values) {
        StringBuilder sb = new StringBuilder();
        for (Enum<?> e : values) {
            sb.append(sb.length() == 0 ? "" : ", ").append(e.name().toLowerCase(Locale.ROOT).replace("_", ""));
        }
        return sb.toString();
    }
}
