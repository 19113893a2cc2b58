package io.hepstack.collector.correlate;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.parse.ParseStage;
import io.hepstack.enricher.Enricher;

import java.util.ArrayList;
import java.util.List;

/** A parse stage and a correlate stage writing into a {@link RecordingSink}, fed by hand. */
final class Harness {

    final RecordingSink sink = new RecordingSink();
    final MetricRegistry metrics = new MetricRegistry();
    final ParseStage parse = new ParseStage(new ObjectMapper(), metrics);
    final CorrelateStage stage;
    final List<CapturedMessage> seen = new ArrayList<>();

    Harness() {
        this(new CorrelationConfig(), null, null);
    }

    Harness(CorrelationConfig config) {
        this(config, null, null);
    }

    Harness(CorrelationConfig config, Enricher enricher, CallListener listener) {
        // the wall clock is "now" (2026): test traffic (2002) never hits the clock-lead guard
        stage = new CorrelateStage(config, sink, enricher, metrics, listener, () -> System.currentTimeMillis() * 1000);
    }

    /** All messages in one batch. */
    List<CapturedMessage> batch(TestSip.Msg... msgs) {
        List<CapturedMessage> batch = new ArrayList<>();
        for (TestSip.Msg m : msgs) {
            batch.add(new CapturedMessage(m.hep(), io.hepstack.collector.pipeline.Transport.UDP, null));
        }
        return run(batch);
    }

    /** One batch per message, in order. */
    List<CapturedMessage> each(TestSip.Msg... msgs) {
        List<CapturedMessage> out = new ArrayList<>();
        for (TestSip.Msg m : msgs) {
            out.addAll(batch(m));
        }
        return out;
    }

    List<CapturedMessage> packets(HepPacket... packets) {
        List<CapturedMessage> batch = new ArrayList<>();
        for (HepPacket p : packets) {
            batch.add(new CapturedMessage(p, io.hepstack.collector.pipeline.Transport.UDP, null));
        }
        return run(batch);
    }

    List<CapturedMessage> run(List<CapturedMessage> batch) {
        parse.process(batch);
        stage.process(batch);
        seen.addAll(batch);
        return batch;
    }

    void tick(long micros) {
        stage.tick(micros);
    }

    long meter(String name) {
        return metrics.meter(name).getCount();
    }

    Object gauge(String name) {
        return metrics.getGauges().get(name).getValue();
    }
}
