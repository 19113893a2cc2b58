package io.hepstack.collector.fraud;

import io.hepstack.collector.fraud.rules.FraudRule;

/**
 * OpenSIPS calls-per-minute: a user's calls to the matched rule's prefix in the last 60 s (a true
 * sliding window, not reset by a new rule interval).
 */
final class CallsPerMinuteCheck implements FraudCheck {

    @Override
    public void callStarted(CallStarted e, LiveCall call, FraudContext cx) {
        RuleCounters rc = call.counters;
        if (rc == null) {
            return;
        }
        FraudRule rule = call.rule;
        long cpm = rc.callsPerMinute;
        Severity s = rule.cpm().reached(cpm);
        if (s != null) {
            String user = call.user.key;
            cx.raise(AlertRule.CALLS_PER_MINUTE, AlertRule.CALLS_PER_MINUTE.code(), s, cpm, rule.cpm(), user,
                    "user " + user + " made " + CheckSupport.calls(cpm) + " in the last 60 s to prefix '" + rule.prefix() + "'");
        }
    }
}
