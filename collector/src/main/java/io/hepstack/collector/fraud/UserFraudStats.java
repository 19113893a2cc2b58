package io.hepstack.collector.fraud;

import io.hepstack.collector.fraud.rules.Threshold;

import java.util.List;

/**
 * A user's live counters, like OpenSIPS {@code show_fraud_stats} but for every prefix the user has
 * called at once, plus the counters of hepstack's own checks. A snapshot: later events do not change it.
 *
 * @param profileId        the user's fraud profile, or -1 when none
 * @param rules            OpenSIPS counters per matched prefix
 * @param userAgent        the last User-Agent seen, or null
 * @param userAgentChanges User-Agent changes in the check's window
 * @param recentCountries  the last destination countries, oldest first
 * @param newCountries     calls to new countries in the check's window
 * @param highRiskCalls    calls to high-risk destinations in the check's window
 * @param irsfShortCalls   short premium calls in the check's window
 * @param costInWindow     money burned in the cost-burn window, including the running estimate
 */
public record UserFraudStats(String user, int profileId, String profileName, long lastActivityMicros,
                             int liveCalls, List<RuleStats> rules, String userAgent, int userAgentChanges,
                             List<String> recentCountries, int newCountries, int highRiskCalls,
                             int irsfShortCalls, double costInWindow) {

    /**
     * The OpenSIPS counters of one user and prefix, with the thresholds of the rule that matched last.
     *
     * @param intervalStartMicros start of the rule's interval instance the counters belong to
     * @param cpm                 calls in the last 60 s
     * @param totalCalls          calls in the interval instance
     * @param concurrentCalls     live calls
     * @param sequentialCalls     consecutive calls to {@code lastNumber}
     */
    public record RuleStats(int ruleId, int profileId, String prefix, String startHour, String endHour,
                            String daysOfWeek, long intervalStartMicros, long intervalEndMicros, long cpm,
                            long totalCalls, int concurrentCalls, int sequentialCalls, String lastNumber,
                            Threshold cpmThreshold, Threshold totalCallsThreshold,
                            Threshold concurrentCallsThreshold, Threshold sequentialCallsThreshold,
                            Threshold callDurationThreshold) {
    }
}
