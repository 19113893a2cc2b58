package io.hepstack.collector.fraud;

import io.hepstack.collector.fraud.rules.Checks;

import static io.hepstack.collector.fraud.CheckSupport.span;
import static io.hepstack.collector.fraud.CheckSupport.window;

/**
 * hepstack's irsf-short-calls (International Revenue Share Fraud): a user's answered calls of at most
 * a few seconds to premium or high-risk destinations (its own list, else the high-risk one), counted
 * in the window.
 */
final class IrsfShortCallsCheck implements FraudCheck {

    @Override
    public void callEnded(CallEnded e, LiveCall c, long duration, FraudContext cx) {
        if (!e.answered()) {
            return;
        }
        Checks ck = cx.checks();
        Checks.Irsf ir = ck.irsfShortCalls();
        if (!ir.count().active() || duration > ir.maxDurationSeconds()) {
            return;
        }
        Checks.Destinations d = ir.destinations().isEmpty() ? ck.highRiskDestination().destinations() : ir.destinations();
        if (!d.matches(c.calledCountry, c.calledNumber, c.calledNumberType)) {
            return;
        }
        UserState u = c.user;
        u.irsf = window(u.irsf, ir.count());
        int n = u.irsf.add(cx.time());
        Severity s = ir.count().threshold().reached(n);
        if (s != null) {
            cx.raise(AlertRule.IRSF_SHORT_CALLS, AlertRule.IRSF_SHORT_CALLS.code(), s, n, ir.count().threshold(), u.key,
                    "user " + u.key + " made " + n + " answered calls of at most "
                            + ir.maxDurationSeconds() + " s to premium/high-risk destinations in "
                            + span(ir.count().windowSeconds()) + ", latest " + c.calledNumber + " (" + duration + " s)");
        }
    }
}
