package io.hepstack.collector.fraud;

import io.hepstack.collector.fraud.rules.FraudRule;

/** A call between CallStarted and CallEnded (or its expiry); also an entry of {@link CallHeap}. */
final class LiveCall {

    final String callId;
    final UserState user;          // null when the call had no user
    final RuleCounters counters;   // null when no rule matched
    final FraudRule rule;          // rule matched at start: its call_duration thresholds apply
    final long startedMicros;
    final String calledNumber;
    final String calledCountry;
    final String calledNumberType;
    final String sourceIp;
    final double ratePerMinute;    // NaN when unknown
    long answeredMicros = -1;
    Severity durationRaised;       // highest call-duration severity already raised for this call
    long durationCheckedMicros = Long.MIN_VALUE; // duration thresholds up to here were checked by tick()
    boolean rated;                 // counted in the user's running-cost estimate
    long deadlineMicros = Long.MAX_VALUE;
    int heapIndex = -1;

    LiveCall(String callId, UserState user, RuleCounters counters, FraudRule rule, long startedMicros,
             String calledNumber, String calledCountry, String calledNumberType, String sourceIp,
             double ratePerMinute) {
        this.callId = callId;
        this.user = user;
        this.counters = counters;
        this.rule = rule;
        this.startedMicros = startedMicros;
        this.calledNumber = calledNumber;
        this.calledCountry = calledCountry;
        this.calledNumberType = calledNumberType;
        this.sourceIp = sourceIp;
        this.ratePerMinute = ratePerMinute;
    }

    boolean answered() {
        return answeredMicros >= 0;
    }
}
