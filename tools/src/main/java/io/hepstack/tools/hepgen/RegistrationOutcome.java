package io.hepstack.tools.hepgen;

import java.util.Locale;

/**
 * How a generated registration ends. {@link #REGISTERED} and {@link #AUTH_FAILED} are challenged
 * first (REGISTER, 401 with WWW-Authenticate, REGISTER with Authorization), then answered 200 OK
 * or 403 Forbidden; {@link #UNKNOWN_USER} is refused at once with 404, as Kamailio does for a
 * user it does not know. Each registration ends with one LOG line.
 */
public enum RegistrationOutcome {
    REGISTERED(200, "OK", "registered"),
    AUTH_FAILED(403, "Forbidden", "auth failed (403)"),
    UNKNOWN_USER(404, "Not Found", "unknown user (404)");

    private final int finalCode;
    private final String reasonPhrase;
    private final String logText;

    RegistrationOutcome(int finalCode, String reasonPhrase, String logText) {
        this.finalCode = finalCode;
        this.reasonPhrase = reasonPhrase;
        this.logText = logText;
    }

    public int finalCode() {
        return finalCode;
    }

    public String reasonPhrase() {
        return reasonPhrase;
    }

    String logText() {
        return logText;
    }

    boolean challenged() {
        return this != UNKNOWN_USER;
    }

    /** Lower case without underscores ("authfailed"). */
    public String key() {
        return name().toLowerCase(Locale.ROOT).replace("_", "");
    }

    public static RegistrationOutcome ofKey(String key) {
        for (RegistrationOutcome o : values()) {
            if (o.key().equals(key)) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown registration outcome '" + key + "', expected one of "
                + CallOutcome.keys(values()));
    }
}
