package io.hepstack.collector.fraud;

import io.hepstack.collector.fraud.rules.FraudRule;

/**
 * OpenSIPS concurrent_calls: a user's live calls to the matched rule's prefix (the exact number of
 * live dialogs, one less at each end, failure or expiry).
 */
final class ConcurrentCallsCheck implements FraudCheck {

    @Override
    public void callStarted(CallStarted e, LiveCall call, FraudContext cx) {
        RuleCounters rc = call.counters;
        if (rc == null) {
            return;
        }
        FraudRule rule = call.rule;
        Severity s = rule.concurrentCalls().reached(rc.concurrentCalls);
        if (s != null) {
            String user = call.user.key;
            cx.raise(AlertRule.CONCURRENT_CALLS, AlertRule.CONCURRENT_CALLS.code(), s, rc.concurrentCalls,
                    rule.concurrentCalls(), user,
                    "user " + user + " has " + rc.concurrentCalls + " concurrent calls to prefix '" + rule.prefix() + "'");
        }
    }
}
