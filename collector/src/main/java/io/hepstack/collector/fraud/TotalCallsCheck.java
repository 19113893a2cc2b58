package io.hepstack.collector.fraud;

import io.hepstack.collector.fraud.rules.FraudRule;

/**
 * OpenSIPS total_calls: a user's calls to the matched rule's prefix in the current instance of the
 * rule's interval (hours and days of the week); the alert's window is that interval.
 */
final class TotalCallsCheck implements FraudCheck {

    @Override
    public void callStarted(CallStarted e, LiveCall call, FraudContext cx) {
        RuleCounters rc = call.counters;
        if (rc == null) {
            return;
        }
        FraudRule rule = call.rule;
        Severity s = rule.totalCalls().reached(rc.totalCalls);
        if (s != null) {
            String user = call.user.key;
            cx.raise(AlertRule.TOTAL_CALLS, AlertRule.TOTAL_CALLS.code(), s, rc.totalCalls, rule.totalCalls(), user,
                    rc.intervalStartMicros, rc.intervalEndMicros,
                    "user " + user + " made " + CheckSupport.calls(rc.totalCalls) + " to prefix '" + rule.prefix() + "' in "
                            + rule.startHour() + "-" + rule.endHour() + " " + rule.daysOfWeek());
        }
    }
}
