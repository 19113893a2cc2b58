package io.hepstack.collector.fraud;

import java.util.HashMap;
import java.util.Map;

/** Everything the engine remembers about one user; dropped after the idle timeout. */
final class UserState {

    final String key;
    long lastActivityMicros;
    int liveCalls;

    long profileGeneration = -1; // profile cache, valid for one config and source IP
    String profileSourceIp;
    int profile;

    final Map<String, RuleCounters> counters = new HashMap<>(4);

    String lastUserAgent;
    EventWindow userAgentChanges;

    String[] countries;          // the last N destination countries, a ring
    int countryNext;
    int countryCount;
    EventWindow newCountries;

    EventWindow highRisk;
    EventWindow irsf;

    SlidingSum cost;             // micro-units of money
    double rateSum;              // sum of the live rated calls' price per minute
    double rateStartSum;         // sum of rate * answer second
    int ratedCalls;

    UserState(String key) {
        this.key = key;
    }

    /** The OpenSIPS counters for a matched rule's prefix, created on first use. */
    RuleCounters counters(String prefix) {
        RuleCounters rc = counters.get(prefix);
        if (rc == null) {
            rc = new RuleCounters(prefix);
            counters.put(prefix, rc);
        }
        return rc;
    }

    /** Running cost of the live rated calls at {@code nowSecond}, in money units. */
    double liveEstimate(double nowSecond) {
        return ratedCalls == 0 ? 0 : Math.max(0, (rateSum * nowSecond - rateStartSum) / 60.0);
    }
}
