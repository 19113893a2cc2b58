package io.hepstack.collector.fraud;

import io.hepstack.collector.fraud.rules.FraudRule;

/**
 * OpenSIPS sequential_calls: how many calls in a row a user made to the same number under the
 * matched rule (restarts with a new rule or interval).
 */
final class SequentialCallsCheck implements FraudCheck {

    @Override
    public void callStarted(CallStarted e, LiveCall call, FraudContext cx) {
        RuleCounters rc = call.counters;
        if (rc == null) {
            return;
        }
        FraudRule rule = call.rule;
        Severity s = rule.sequentialCalls().reached(rc.sequentialCalls);
        if (s != null) {
            String user = call.user.key;
            cx.raise(AlertRule.SEQUENTIAL_CALLS, AlertRule.SEQUENTIAL_CALLS.code(), s, rc.sequentialCalls,
                    rule.sequentialCalls(), user,
                    "user " + user + " called " + rc.lastNumber + " " + rc.sequentialCalls + " times in a row");
        }
    }
}
