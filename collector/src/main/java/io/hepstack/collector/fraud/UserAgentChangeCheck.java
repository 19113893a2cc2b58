package io.hepstack.collector.fraud;

import io.hepstack.collector.fraud.rules.Checks;

import static io.hepstack.collector.fraud.CheckSupport.span;
import static io.hepstack.collector.fraud.CheckSupport.window;

/**
 * hepstack's user-agent-change: how often a user's calls switched to a different User-Agent in the
 * window (one device keeps one; a stolen account shows several).
 */
final class UserAgentChangeCheck implements FraudCheck {

    @Override
    public void callStarted(CallStarted e, LiveCall call, FraudContext cx) {
        UserState u = call.user;
        String ua = e.userAgent();
        if (u == null || ua == null || ua.isEmpty()) {
            return;
        }
        Checks.Count c = cx.checks().userAgentChange().count();
        if (c.active() && u.lastUserAgent != null && !u.lastUserAgent.equals(ua)) {
            u.userAgentChanges = window(u.userAgentChanges, c);
            int n = u.userAgentChanges.add(cx.time());
            Severity s = c.threshold().reached(n);
            if (s != null) {
                cx.raise(AlertRule.USER_AGENT_CHANGE, AlertRule.USER_AGENT_CHANGE.code(), s, n, c.threshold(), u.key,
                        "user " + u.key + " changed User-Agent " + n + " times in "
                                + span(c.windowSeconds()) + ", from '" + u.lastUserAgent + "' to '" + ua + "'");
            }
        }
        u.lastUserAgent = ua;
    }
}
