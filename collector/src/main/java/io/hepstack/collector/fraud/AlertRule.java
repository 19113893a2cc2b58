package io.hepstack.collector.fraud;

/**
 * What an alert is about. The first five are the OpenSIPS fraud_detection parameters and keep the
 * names its E_FRD_WARNING/E_FRD_CRITICAL events use; the others are hepstack's own checks.
 */
public enum AlertRule {
    CALLS_PER_MINUTE("calls-per-minute"),
    TOTAL_CALLS("total-calls"),
    CONCURRENT_CALLS("concurrent-calls"),
    SEQUENTIAL_CALLS("sequential-calls"),
    CALL_DURATION("call-duration"),
    USER_AGENT_CHANGE("user-agent-change"),
    NEW_COUNTRY("new-country"),
    HIGH_RISK_DESTINATION("high-risk-destination"),
    COST_BURN("cost-burn"),
    BLACKLISTED_SOURCE("blacklisted-source"),
    SCANNER_USER_AGENT("scanner-user-agent"),
    SIP_FLOOD("sip-flood"),
    AUTH_FAILURE_RATIO("auth-failure-ratio"),
    IRSF_SHORT_CALLS("irsf-short-calls");

    private final String code;

    AlertRule(String code) {
        this.code = code;
    }

    /** The name used in documents, webhooks and metrics, e.g. {@code calls-per-minute}. */
    public String code() {
        return code;
    }

    /** True for the rules whose subject is a source IP rather than a user. */
    public boolean perSource() {
        return this == SCANNER_USER_AGENT || this == SIP_FLOOD || this == AUTH_FAILURE_RATIO
                || this == BLACKLISTED_SOURCE;
    }

    public static AlertRule fromCode(String code) {
        for (AlertRule r : values()) {
            if (r.code.equals(code)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown alert rule: " + code);
    }
}
