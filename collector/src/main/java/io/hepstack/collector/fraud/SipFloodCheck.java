package io.hepstack.collector.fraud;

import io.hepstack.collector.fraud.rules.Checks;
import io.hepstack.collector.fraud.rules.Threshold;

import static io.hepstack.collector.fraud.CheckSupport.counter;
import static io.hepstack.collector.fraud.CheckSupport.span;

/**
 * hepstack's sip-flood: REGISTER, INVITE and OPTIONS requests per source IP in a short window, each
 * method with its own thresholds (the alert's parameter is the method).
 */
final class SipFloodCheck implements FraudCheck {

    @Override
    public void sipSeen(SipSeen e, SourceState s, FraudContext cx) {
        if (!e.isRequest()) {
            return;
        }
        Checks.Flood fl = cx.checks().sipFlood();
        if (!fl.enabled()) {
            return;
        }
        long sec = Math.floorDiv(cx.time(), CheckSupport.MICROS);
        String m = e.method();
        if ("REGISTER".equalsIgnoreCase(m) && fl.register().enabled()) {
            s.register = counter(s.register, fl.windowSeconds());
            flood(s, "REGISTER", s.register.add(sec), fl.register(), fl.windowSeconds(), cx);
        } else if ("INVITE".equalsIgnoreCase(m) && fl.invite().enabled()) {
            s.invite = counter(s.invite, fl.windowSeconds());
            flood(s, "INVITE", s.invite.add(sec), fl.invite(), fl.windowSeconds(), cx);
        } else if ("OPTIONS".equalsIgnoreCase(m) && fl.options().enabled()) {
            s.options = counter(s.options, fl.windowSeconds());
            flood(s, "OPTIONS", s.options.add(sec), fl.options(), fl.windowSeconds(), cx);
        }
    }

    private static void flood(SourceState s, String method, long n, Threshold th, long window, FraudContext cx) {
        Severity sev = th.reached(n);
        if (sev != null) {
            cx.raise(AlertRule.SIP_FLOOD, method, sev, n, th, s.ip,
                    s.ip + " sent " + n + " " + method + " requests in " + span(window));
        }
    }
}
