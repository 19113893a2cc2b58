package io.hepstack.collector.correlate;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.collector.enrich.EnrichStage;
import io.hepstack.collector.fraud.FraudEngine;
import io.hepstack.collector.fraud.FraudStage;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.index.IndexStage;
import io.hepstack.collector.ingest.CaptureClock;
import io.hepstack.collector.ingest.CaptureClockStage;
import io.hepstack.collector.parse.ParseStage;
import io.hepstack.collector.parse.Protocols;
import io.hepstack.collector.pipeline.Batch;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.Pipeline;
import io.hepstack.collector.pipeline.PipelineEvent;
import io.hepstack.collector.pipeline.Stage;
import io.hepstack.collector.pipeline.Stages;
import io.hepstack.collector.pipeline.Transport;
import io.hepstack.collector.rate.RateStage;
import io.hepstack.enricher.Enricher;

import java.util.ArrayList;
import java.util.List;

/**
 * The pipeline's stages up to correlation (parse, enrich and rate when an enricher is given, fraud
 * when an engine is), run on the test's thread, with TDR writes going into a {@link RecordingSink}
 * and every call event kept in {@link #events}.
 *
 * <p>Public for the tools module's tests, which run hepgen's traffic through it.
 */
public final class Harness {

    final RecordingSink sink = new RecordingSink();
    final MetricRegistry metrics = new MetricRegistry();
    final Stages stages;
    final CorrelateStage stage;
    final List<CapturedMessage> seen = new ArrayList<>();
    final List<CallEvent> events = new ArrayList<>();

    Harness() {
        this(new CorrelationConfig(), null, null);
    }

    Harness(CorrelationConfig config) {
        this(config, null, null);
    }

    /** The stages for {@code config}, with enrichment when {@code enricher} is given and fraud when {@code fraud} is. */
    public Harness(CorrelationConfig config, Enricher enricher, FraudEngine fraud) {
        // the wall clock is "now" (2026): test traffic (2002) never hits the clock-lead guard
        this(config, enricher, fraud, () -> System.currentTimeMillis() * 1000);
    }

    Harness(CorrelationConfig config, Enricher enricher, FraudEngine fraud, java.util.function.LongSupplier wallMicros) {
        this(config, enricher, fraud, wallMicros, null);
    }

    /** As a live collector runs: with the capture clock stage first when {@code clock} is given. */
    Harness(CorrelationConfig config, Enricher enricher, FraudEngine fraud, java.util.function.LongSupplier wallMicros,
            CaptureClock.Config clock) {
        Pipeline.Builder b = Pipeline.builder(metrics);
        if (clock != null) {
            b.add("clock", ctx -> new CaptureClockStage(ctx, clock, wallMicros));
        }
        b.add("parse", ctx -> new ParseStage(ctx, Protocols.standard(new ObjectMapper(), true)));
        if (enricher != null) {
            b.add("enrich", ctx -> new EnrichStage(ctx, enricher));
        }
        if (config.enabled) { // as the collector wires it: no correlation stage when it is off
            b.add("correlate", ctx -> new CorrelateStage(ctx, config, wallMicros));
        }
        if (config.enabled && enricher != null && config.rating) {
            b.add("rate", ctx -> new RateStage(ctx, enricher::rate));
        }
        if (fraud != null) {
            b.add("fraud", ctx -> new FraudStage(ctx, fraud, null));
        }
        b.add("events", ctx -> new EventRecorder(events));
        b.add("index", ctx -> new IndexStage(ctx, null, sink)); // TDRs only
        stages = b.buildStages();
        stage = config.enabled ? stages.stage("correlate", CorrelateStage.class) : null;
    }

    /** All messages in one batch. */
    List<CapturedMessage> batch(TestSip.Msg... msgs) {
        List<CapturedMessage> batch = new ArrayList<>();
        for (TestSip.Msg m : msgs) {
            batch.add(new CapturedMessage(m.hep(), Transport.UDP, null));
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
            batch.add(new CapturedMessage(p, Transport.UDP, null));
        }
        return run(batch);
    }

    /** Runs {@code batch} through the stages as one batch; returns it, processed. */
    public List<CapturedMessage> run(List<CapturedMessage> batch) {
        stages.process(batch);
        seen.addAll(batch);
        return batch;
    }

    void tick(long micros) {
        stages.tick(micros);
    }

    void flush() {
        stages.flush();
    }

    long meter(String name) {
        return metrics.meter(name).getCount();
    }

    Object gauge(String name) {
        return metrics.getGauges().get(name).getValue();
    }

    /** Keeps every call event the correlator emitted, in order. */
    private record EventRecorder(List<CallEvent> events) implements Stage {
        @Override
        public void process(Batch batch) {
            for (PipelineEvent e : batch.events()) {
                if (e instanceof CallEvent c) {
                    events.add(c);
                }
            }
        }
    }
}
