package io.hepstack.collector.pipeline;

import io.hepstack.collector.correlate.FraudBridge;
import io.hepstack.collector.fraud.FraudEngine;

import java.util.List;

/**
 * Gives the fraud engine the capture clock, so call-duration limits fire while calls are still
 * up. Call events and the per-source SIP summaries come through {@link FraudBridge} from the
 * correlation stage; when correlation is off, this stage feeds the SIP summaries itself.
 */
public final class FraudStage implements Stage {

    private final FraudEngine engine;
    private final FraudBridge sipFeed;

    /** @param sipFeed feeds every SIP message to the engine, or null when the correlator already does */
    public FraudStage(FraudEngine engine, FraudBridge sipFeed) {
        this.engine = engine;
        this.sipFeed = sipFeed;
    }

    @Override
    public void process(List<CapturedMessage> batch) {
        if (sipFeed == null) {
            return;
        }
        for (CapturedMessage m : batch) {
            sipFeed.sipMessage(m);
        }
    }

    @Override
    public void tick(long nowMicros) {
        engine.tick(nowMicros);
    }
}
