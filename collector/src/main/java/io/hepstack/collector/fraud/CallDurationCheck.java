package io.hepstack.collector.fraud;

import io.hepstack.collector.fraud.rules.Threshold;

import static io.hepstack.collector.fraud.CheckSupport.MICROS;

/**
 * OpenSIPS call_duration: how long an answered call of a user with a matched rule has lasted. Checked
 * while the call is still up (at the moments its thresholds are reached, from the engine's deadlines)
 * and at its end; each call raises each level once, whichever sees it first.
 */
final class CallDurationCheck implements FraudCheck {

    @Override
    public void callEnded(CallEnded e, LiveCall call, long durationSeconds, FraudContext cx) {
        if (e.answered()) {
            check(call, durationSeconds, cx);
        }
    }

    @Override
    public void callUp(LiveCall call, long seconds, FraudContext cx) {
        check(call, seconds, cx);
        call.durationCheckedMicros = cx.now();
    }

    /** Only thresholds not yet checked: every deadline is later than the last. */
    @Override
    public long nextCheckMicros(LiveCall c) {
        if (c.rule == null) {
            return Long.MAX_VALUE;
        }
        long d = Long.MAX_VALUE;
        Threshold th = c.rule.callDuration();
        long w = c.answeredMicros + (long) th.warning() * MICROS;
        long k = c.answeredMicros + (long) th.critical() * MICROS;
        if (th.warning() > 0 && c.durationRaised == null && w > c.durationCheckedMicros) {
            d = Math.min(d, w);
        }
        if (th.critical() > 0 && c.durationRaised != Severity.CRITICAL && k > c.durationCheckedMicros) {
            d = Math.min(d, k);
        }
        return d;
    }

    private static void check(LiveCall c, long seconds, FraudContext cx) {
        if (c.rule == null || c.user == null) {
            return;
        }
        Threshold th = c.rule.callDuration();
        Severity s = th.reached(seconds);
        if (s == null || (c.durationRaised != null && c.durationRaised.compareTo(s) >= 0)) {
            return; // each call raises each level once, whether seen live by tick() or at its end
        }
        c.durationRaised = s;
        cx.raise(AlertRule.CALL_DURATION, AlertRule.CALL_DURATION.code(), s, seconds, th, c.user.key,
                "call " + c.callId + " of user " + c.user.key + " to " + c.calledNumber + " has lasted " + seconds + " s");
    }
}
