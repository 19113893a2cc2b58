package io.hepstack.collector.fraud;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * A call was set up (initial INVITE seen). Filled by the call correlator.
 *
 * @param callId           SIP Call-ID (the key that {@link CallAnswered} and {@link CallEnded} repeat)
 * @param timeMicros       capture time of the INVITE, microseconds since the epoch
 * @param user             calling SIP user (From/P-Asserted-Identity user part); null when unknown
 * @param domain           calling user's domain, or null
 * @param sourceIp         IP the INVITE came from, or null
 * @param userAgent        User-Agent header, or null
 * @param calledNumber     digits of the normalised callee (e.164 without '+' when known, else the dialled
 *                         digits); rules match it by prefix; null when there is none
 * @param calledCountry    ISO 3166 alpha-2 country of the callee, or null
 * @param calledNumberType number type of the callee as the enricher names it (premium_rate, mobile, ...), or null
 * @param sourceBlacklisted whether {@code sourceIp} is on a blacklist
 * @param blacklists       names of the lists that hold {@code sourceIp} (empty when none)
 * @param captureNode      HEP node name / capture id of the agent that saw the call, or null
 * @param ratePerMinute    price per minute of this destination when the rater knows it (drives the
 *                         running-cost estimate of the cost-burn check), or null
 */
public record CallStarted(String callId, long timeMicros, String user, String domain, String sourceIp,
                          String userAgent, String calledNumber, String calledCountry,
                          String calledNumberType, boolean sourceBlacklisted, List<String> blacklists,
                          String captureNode, BigDecimal ratePerMinute) {

    public CallStarted {
        Objects.requireNonNull(callId, "callId");
        if (timeMicros < 0) {
            throw new IllegalArgumentException("timeMicros must be >= 0: " + timeMicros);
        }
        blacklists = blacklists == null ? List.of() : List.copyOf(blacklists);
        if (ratePerMinute != null && ratePerMinute.signum() < 0) {
            throw new IllegalArgumentException("ratePerMinute must be >= 0: " + ratePerMinute);
        }
    }

    public static Builder builder(String callId, long timeMicros) {
        return new Builder(callId, timeMicros);
    }

    /** Optional fields by name, so callers need not count constructor arguments. */
    public static final class Builder {
        private final String callId;
        private final long timeMicros;
        private String user;
        private String domain;
        private String sourceIp;
        private String userAgent;
        private String calledNumber;
        private String calledCountry;
        private String calledNumberType;
        private boolean sourceBlacklisted;
        private List<String> blacklists = List.of();
        private String captureNode;
        private BigDecimal ratePerMinute;

        private Builder(String callId, long timeMicros) {
            this.callId = callId;
            this.timeMicros = timeMicros;
        }

        public Builder user(String user) {
            this.user = user;
            return this;
        }

        public Builder domain(String domain) {
            this.domain = domain;
            return this;
        }

        public Builder sourceIp(String sourceIp) {
            this.sourceIp = sourceIp;
            return this;
        }

        public Builder userAgent(String userAgent) {
            this.userAgent = userAgent;
            return this;
        }

        public Builder calledNumber(String calledNumber) {
            this.calledNumber = calledNumber;
            return this;
        }

        public Builder calledCountry(String calledCountry) {
            this.calledCountry = calledCountry;
            return this;
        }

        public Builder calledNumberType(String calledNumberType) {
            this.calledNumberType = calledNumberType;
            return this;
        }

        public Builder blacklisted(List<String> lists) {
            this.sourceBlacklisted = lists != null && !lists.isEmpty();
            this.blacklists = lists;
            return this;
        }

        public Builder captureNode(String captureNode) {
            this.captureNode = captureNode;
            return this;
        }

        public Builder ratePerMinute(BigDecimal ratePerMinute) {
            this.ratePerMinute = ratePerMinute;
            return this;
        }

        public CallStarted build() {
            return new CallStarted(callId, timeMicros, user, domain, sourceIp, userAgent, calledNumber,
                    calledCountry, calledNumberType, sourceBlacklisted, blacklists, captureNode, ratePerMinute);
        }
    }
}
