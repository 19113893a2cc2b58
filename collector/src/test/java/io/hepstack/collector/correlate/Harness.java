package io.hepstack.collector.correlate;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.collector.StageChain;
import io.hepstack.collector.fraud.AlertsToBatch;
import io.hepstack.collector.fraud.FraudEngine;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.index.IndexStage;
import io.hepstack.collector.index.MessageDocumentWriter;
import io.hepstack.collector.ingest.CaptureClock;
import io.hepstack.collector.parse.Protocols;
import io.hepstack.collector.pipeline.Batch;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.Pipeline;
import io.hepstack.collector.pipeline.PipelineEvent;
import io.hepstack.collector.pipeline.Stage;
import io.hepstack.collector.pipeline.Stages;
import io.hepstack.collector.pipeline.Transport;
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
    /**
     * Every message that left the stages, in the order it left (with ticks and the flush): a reorder
     * window hands on new message objects, so what a test gave is not what the later stages saw.
     */
    final List<CapturedMessage> seen = new ArrayList<>();
    final List<CallEvent> events = new ArrayList<>();

    /** Messages reach the correlator as they arrive (no reorder window): the unit tests control the order. */
    Harness() {
        this(inArrivalOrder(new CorrelationConfig()), null, null);
    }

    /** {@code config} with the reorder stage off (unit tests that check each message's effect at once). */
    public static CorrelationConfig inArrivalOrder(CorrelationConfig config) {
        config.reorder.window = io.dropwizard.util.Duration.seconds(0);
        return config;
    }

    /** {@code config} as given, but messages reach the correlator as they arrive (no reorder window). */
    Harness(CorrelationConfig config) {
        this(inArrivalOrder(config), null, null);
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
        this(config, enricher, fraud, null, wallMicros, clock, null);
    }

    /**
     * As the collector writes, message documents included: the stages for {@code config} (enrich and
     * rate with {@code enricher}) with the real {@link MessageDocumentWriter}, so {@link #written}
     * holds what the collector would index. Fixtures of tests that read the collector's documents
     * (the call API, the Kibana panels) come from here, so they follow the writers.
     */
    public static Harness writingMessages(CorrelationConfig config, Enricher enricher) {
        return writingMessages(config, enricher, null, null);
    }

    /**
     * {@link #writingMessages(CorrelationConfig, Enricher)} with the fraud stage too, when {@code fraud}
     * is given: the alerts the engine raises reach the index stage through {@code alerts} (which must
     * be one of the engine's listeners), as in the collector, so {@link #written} holds its alert
     * documents as well.
     */
    public static Harness writingMessages(CorrelationConfig config, Enricher enricher, FraudEngine fraud,
                                          AlertsToBatch alerts) {
        return new Harness(config, enricher, fraud, alerts, () -> System.currentTimeMillis() * 1000, null,
                new MessageDocumentWriter());
    }

    private Harness(CorrelationConfig config, Enricher enricher, FraudEngine fraud, AlertsToBatch alerts,
                    java.util.function.LongSupplier wallMicros, CaptureClock.Config clock, MessageDocumentWriter messages) {
        // as the collector wires it (no correlation stage when it is off, reorder only with a window)
        Pipeline.Builder b = new StageChain(Protocols.standard(new ObjectMapper(), true))
                .captureClock(clock)
                .enricher(enricher)
                .correlation(config)
                .wallClock(wallMicros)
                .fraud(fraud, alerts)
                .addTo(Pipeline.builder(metrics));
        b.add("events", ctx -> new EventRecorder(events));
        b.add("seen", ctx -> batch -> seen.addAll(batch.messages()));
        b.add("index", ctx -> new IndexStage(ctx, messages, sink)); // TDRs only unless a message writer is given
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

    /** Runs {@code batch} through the stages as one batch; returns it, processed (what left the stages). */
    public List<CapturedMessage> run(List<CapturedMessage> batch) {
        stages.process(batch);
        return batch;
    }

    /** The pipeline's tick at this capture time. */
    public void tick(long micros) {
        stages.tick(micros);
    }

    /** A clean stop: what waits gives up, every record with unwritten changes is written. */
    public void flush() {
        stages.flush();
    }

    /** Every document written so far as it stands (the highest version of each), in first-write order. */
    public List<io.hepstack.collector.index.IndexRequest> written() {
        return sink.latest();
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
