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
    SlidingCounter cpm = new SlidingCounter(60); // replaced only when a checkpoint is restored
    FraudRule rule;
    long intervalStartLocal = Long.MIN_VALUE; // local epoch second
    long intervalStartMicros;
    long intervalEndMicros;
    long callsPerMinute;                      // the cpm window's count at the last counted call
    long totalCalls;
    int concurrentCalls;
    int sequentialCalls;
    String lastNumber;

    RuleCounters(String prefix) {
        this.prefix = prefix;
    }

    /**
     * The OpenSIPS part of check_fraud: counts one call matched by {@code rule} at local second
     * {@code local} (UTC second {@code sec}). The thresholds are tested by the checks afterwards.
     */
    void count(FraudRule rule, long local, long sec, String calledNumber, ZoneClock clock) {
        long start = rule.intervalStart(local);
        if (this.rule == null || this.rule.ruleId() != rule.ruleId() || intervalStartLocal != start) {
            totalCalls = 0; // a new rule or a new interval (day): OpenSIPS starts over
            sequentialCalls = 0;
            lastNumber = null;
            intervalStartLocal = start;
            intervalStartMicros = clock.toUtc(start, sec) * CheckSupport.MICROS;
            intervalEndMicros = intervalStartMicros + rule.intervalSeconds() * CheckSupport.MICROS;
        }
        this.rule = rule;
        String number = calledNumber == null ? "" : calledNumber;
        if (number.equals(lastNumber)) {
            sequentialCalls++;
        } else {
            lastNumber = number;
            sequentialCalls = 1;
        }
        totalCalls++;
        callsPerMinute = cpm.add(sec);
        concurrentCalls++;
    }
}
