package io.hepstack.collector.fraud;

import io.hepstack.collector.fraud.rules.Checks;

import static io.hepstack.collector.fraud.CheckSupport.calls;
import static io.hepstack.collector.fraud.CheckSupport.span;
import static io.hepstack.collector.fraud.CheckSupport.window;

/**
 * hepstack's blacklisted-source: calls from a source IP on one of the enricher's blacklists, counted
 * per source in the window.
 */
final class BlacklistedSourceCheck implements FraudCheck {

    @Override
    public void callStarted(CallStarted e, LiveCall call, FraudContext cx) {
        Checks.Count bc = cx.checks().blacklistedSource();
        if (!e.sourceBlacklisted() || e.sourceIp() == null || !bc.active()) {
            return;
        }
        long t = cx.time();
        SourceState s = cx.source(e.sourceIp(), t);
        s.blacklisted = window(s.blacklisted, bc);
        int n = s.blacklisted.add(t);
        Severity sev = bc.threshold().reached(n);
        if (sev != null) {
            String user = call.user == null ? null : call.user.key;
            cx.raise(AlertRule.BLACKLISTED_SOURCE, AlertRule.BLACKLISTED_SOURCE.code(), sev, n, bc.threshold(),
                    e.sourceIp(), calls(n) + " in " + span(bc.windowSeconds()) + " from blacklisted "
                            + e.sourceIp() + " " + e.blacklists() + ", latest by user " + user + " to "
                            + e.calledNumber());
        }
    }
}
