package io.hepstack.collector.fraud;

import io.hepstack.collector.fraud.rules.Checks;

import static io.hepstack.collector.fraud.CheckSupport.calls;
import static io.hepstack.collector.fraud.CheckSupport.span;
import static io.hepstack.collector.fraud.CheckSupport.window;

/**
 * hepstack's high-risk-destination: a user's calls to the configured high-risk countries, number
 * prefixes or number types (e.g. premium rate), counted in the window.
 */
final class HighRiskDestinationCheck implements FraudCheck {

    @Override
    public void callStarted(CallStarted e, LiveCall call, FraudContext cx) {
        UserState u = call.user;
        if (u == null) {
            return;
        }
        Checks.HighRisk hr = cx.checks().highRiskDestination();
        if (!hr.count().active() || !hr.destinations().matches(e.calledCountry(), e.calledNumber(), e.calledNumberType())) {
            return;
        }
        u.highRisk = window(u.highRisk, hr.count());
        int n = u.highRisk.add(cx.time());
        Severity s = hr.count().threshold().reached(n);
        if (s != null) {
            cx.raise(AlertRule.HIGH_RISK_DESTINATION, AlertRule.HIGH_RISK_DESTINATION.code(), s, n,
                    hr.count().threshold(), u.key, "user " + u.key + " made " + calls(n) + " to high-risk destinations in "
                            + span(hr.count().windowSeconds()) + ", latest " + e.calledNumber() + " ("
                            + e.calledCountry() + ", " + e.calledNumberType() + ")");
        }
    }
}
