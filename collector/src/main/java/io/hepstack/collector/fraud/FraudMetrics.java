package io.hepstack.collector.fraud;

import java.util.Map;

/**
 * Engine counters for metrics (monotonic unless said otherwise).
 *
 * @param alertsCreated    new alerts by "rule/severity" (e.g. "calls-per-minute/critical")
 * @param alertUpdates     repeats folded into an open alert
 * @param liveUsers        users with state now (gauge)
 * @param liveSources      source IPs with state now (gauge)
 * @param liveCalls        calls between start and end now (gauge)
 * @param openAlerts       alerts whose de-duplication window is open (gauge)
 * @param unknownCalls     answer/end events for a call never started (or already expired)
 * @param duplicateStarts  CallStarted for a Call-ID already live
 * @param costSkipped      CallEnded costs ignored for their currency
 * @param listenerErrors   exceptions thrown by alert listeners
 * @param configVersion    how many configurations the engine has applied
 */
public record FraudMetrics(long callsStarted, long callsAnswered, long callsEnded, long sipSeen, long ticks,
                           Map<String, Long> alertsCreated, long alertUpdates, long alertsPublished,
                           int liveUsers, int liveSources, int liveCalls, int openAlerts, long expiredUsers,
                           long evictedUsers, long expiredSources, long evictedSources, long expiredCalls,
                           long unknownCalls, long duplicateStarts, long costSkipped, long listenerErrors,
                           long configVersion) {

    public long events() {
        return callsStarted + callsAnswered + callsEnded + sipSeen;
    }

    public long alertsCreatedTotal() {
        return alertsCreated.values().stream().mapToLong(Long::longValue).sum();
    }
}
