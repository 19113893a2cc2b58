package io.hepstack.collector.fraud;

import io.hepstack.collector.fraud.rules.Checks;

import java.math.RoundingMode;

import static io.hepstack.collector.fraud.CheckSupport.MICROS;
import static io.hepstack.collector.fraud.CheckSupport.fmt;
import static io.hepstack.collector.fraud.CheckSupport.round;
import static io.hepstack.collector.fraud.CheckSupport.span;

/**
 * hepstack's cost-burn: the money a user spent in the window: rated costs of ended calls (in the
 * configured currency; others are skipped and counted), else rate x duration, plus a running estimate
 * of its rated calls still up, re-checked on ticks every estimate interval.
 */
final class CostBurnCheck implements FraudCheck {

    private long nextEstimateMicros = Long.MIN_VALUE;

    @Override
    public void callAnswered(LiveCall c, FraudContext cx) {
        if (c.user != null && c.ratePerMinute > 0 && cx.checks().costBurn().active()) {
            cx.state().rate(c);
        }
    }

    @Override
    public void callEnded(CallEnded e, LiveCall c, long duration, FraudContext cx) {
        Checks.CostBurn cb = cx.checks().costBurn();
        if (!cb.active()) {
            return;
        }
        long micros = -1;
        if (e.cost() != null) {
            if (cb.currency() == null || cb.currency().equalsIgnoreCase(e.currency())) {
                micros = e.cost().movePointRight(6).setScale(0, RoundingMode.HALF_UP).longValueExact();
            } else {
                cx.state().costSkipped++;
            }
        } else if (e.answered() && c.ratePerMinute > 0) {
            micros = Math.round(c.ratePerMinute * duration / 60.0 * MICROS);
        }
        if (micros >= 0) {
            UserState u = c.user;
            long t = cx.time();
            if (u.cost == null || u.cost.windowSeconds() != cb.windowSeconds()) {
                u.cost = new SlidingSum(cb.windowSeconds());
            }
            u.cost.add(Math.floorDiv(t, MICROS), micros);
            check(u, t, cx);
        }
    }

    @Override
    public void tick(FraudContext cx) {
        Checks.CostBurn cb = cx.checks().costBurn();
        FraudState state = cx.state();
        long now = cx.now();
        if (!cb.active() || state.ratedUsers.isEmpty() || now < nextEstimateMicros) {
            return;
        }
        nextEstimateMicros = now + cb.estimateIntervalSeconds() * MICROS;
        for (UserState u : state.ratedUsers) {
            cx.about(now, u.key, null, u.profile, -1, null, null);
            check(u, now, cx);
        }
    }

    private static void check(UserState u, long t, FraudContext cx) {
        Checks.CostBurn cb = cx.checks().costBurn();
        long sec = Math.floorDiv(t, MICROS);
        double burned = (u.cost == null ? 0 : u.cost.sum(sec) / (double) MICROS) + u.liveEstimate(t / (double) MICROS);
        Severity s = cb.threshold().reached(burned);
        if (s != null) {
            String cur = cb.currency() == null ? "" : " " + cb.currency();
            cx.raise(AlertRule.COST_BURN, AlertRule.COST_BURN.code(), s, round(burned), cb.threshold(), u.key,
                    "user " + u.key + " burned " + fmt(round(burned)) + cur + " in " + span(cb.windowSeconds())
                            + (u.ratedCalls > 0 ? " (" + u.ratedCalls + " rated calls still up, estimated)" : ""));
        }
    }
}
