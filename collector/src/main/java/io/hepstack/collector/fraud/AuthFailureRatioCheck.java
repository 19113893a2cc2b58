package io.hepstack.collector.fraud;

import io.hepstack.collector.fraud.rules.Checks;

import static io.hepstack.collector.fraud.CheckSupport.counter;
import static io.hepstack.collector.fraud.CheckSupport.fmt;
import static io.hepstack.collector.fraud.CheckSupport.round;
import static io.hepstack.collector.fraud.CheckSupport.span;

/**
 * hepstack's auth-failure-ratio: the share of final responses to a source IP in the window that are
 * failures (by default 401/403/404/407: password guessing, extension scanning), once there are
 * enough samples.
 */
final class AuthFailureRatioCheck implements FraudCheck {

    @Override
    public void sipSeen(SipSeen e, SourceState s, FraudContext cx) {
        if (e.isRequest() || e.statusCode() < 200) {
            return;
        }
        Checks.AuthFailure af = cx.checks().authFailureRatio();
        if (!af.enabled() || !af.threshold().enabled()) {
            return;
        }
        long sec = Math.floorDiv(cx.time(), CheckSupport.MICROS);
        s.finals = counter(s.finals, af.windowSeconds());
        s.failures = counter(s.failures, af.windowSeconds());
        long total = s.finals.add(sec);
        long failed = af.codes().contains(e.statusCode()) ? s.failures.add(sec) : s.failures.count(sec);
        if (total >= af.minSamples()) {
            double ratio = failed / (double) total;
            Severity sev = af.threshold().reached(ratio);
            if (sev != null) {
                String ip = s.ip;
                cx.raise(AlertRule.AUTH_FAILURE_RATIO, AlertRule.AUTH_FAILURE_RATIO.code(), sev, round(ratio),
                        af.threshold(), ip, fmt(Math.round(ratio * 1000) / 10.0)
                                + "% of the final responses to " + ip + " in " + span(af.windowSeconds())
                                + " are failures " + af.codes().stream().sorted().toList() + " (" + failed
                                + " of " + total + ", latest " + e.statusCode() + ")");
            }
        }
    }
}
