package io.hepstack.collector.fraud;

import io.hepstack.collector.fraud.rules.FraudRule;

/**
 * The OpenSIPS counters of one user for one matched prefix (OpenSIPS keys its stats by user and
 * prefix). total_calls and sequential_calls restart when the matched rule or its interval instance
 * changes (OpenSIPS: rule or day). calls-per-minute is a true 60 s sliding window and concurrent
 * calls the exact number of live dialogs, so neither is reset by an interval change.
 */
final class RuleCounters {

    final String prefix;
    final SlidingCounter cpm = new SlidingCounter(60);
    FraudRule rule;
    long intervalStartLocal = Long.MIN_VALUE; // local epoch second
    long intervalStartMicros;
    long intervalEndMicros;
    long totalCalls;
    int concurrentCalls;
    int sequentialCalls;
    String lastNumber;

    RuleCounters(String prefix) {
        this.prefix = prefix;
    }
}
