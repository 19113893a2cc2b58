package io.hepstack.collector.pipeline;

import io.hepstack.collector.fraud.FraudEngine;
import io.hepstack.collector.fraud.SipSeen;
import io.hepstack.collector.protocol.sip.NameAddress;
import io.hepstack.collector.protocol.sip.SipMessage;

import java.util.List;

/**
 * Feeds the fraud engine with every SIP message (scanner and flood checks per source address)
 * and with the capture clock, so call-duration limits fire while calls are still up. Call
 * lifecycle events (start, answer, end) come from the correlation stage, which knows the calls.
 */
public final class FraudStage implements Stage {

    private final FraudEngine engine;

    public FraudStage(FraudEngine engine) {
        this.engine = engine;
    }

    @Override
    public void process(List<CapturedMessage> batch) {
        for (CapturedMessage m : batch) {
            SipMessage s = m.sip;
            if (s == null || m.duplicate) {
                continue;
            }
            long t = m.timestampMicros();
            if (s.isRequest()) {
                engine.onSip(SipSeen.request(t, m.hep.srcIpText(), s.method(), s.userAgent(), user(s.from()),
                        user(s.to()), s.callId()));
            } else if (s.statusCode() >= 100 && s.statusCode() <= 699) {
                // a response counts against whoever sent the request: its destination
                engine.onSip(SipSeen.response(t, m.hep.dstIpText(), s.statusCode(), s.callId()));
            }
        }
    }

    private static String user(NameAddress na) {
        return na == null || na.uri() == null ? null : na.uri().user();
    }

    @Override
    public void tick(long nowMicros) {
        engine.tick(nowMicros);
    }
}
