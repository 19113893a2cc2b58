package io.hepstack.collector.correlate;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.collector.StageChain;
import io.hepstack.collector.document.JsonDocument;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.index.DocumentSink;
import io.hepstack.collector.index.IndexRequest;
import io.hepstack.collector.ingest.CaptureClock;
import io.hepstack.collector.index.BulkIndexer;
import io.hepstack.collector.index.DiskSpool;
import io.hepstack.collector.index.IndexStage;
import io.hepstack.collector.index.MessageDocumentWriter;
import io.hepstack.collector.parse.ParseStage;
import io.hepstack.collector.parse.Protocols;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.Pipeline;
import io.hepstack.collector.pipeline.Stages;
import io.hepstack.collector.pipeline.Transport;
import io.hepstack.collector.testing.EsHttp;
import org.elasticsearch.client.RestClient;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stages that matter for calls (parse → correlate → index; or a live collector's, {@link #live}), run on the test's thread and
 * writing into the test Elasticsearch with the real bulk indexer; every step waits until what it
 * wrote is searchable in the test's daily indices.
 */
final class EsPipeline {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    final MetricRegistry metrics = new MetricRegistry();
    final BulkIndexer indexer;
    final Stages stages;
    /**
     * While true the TDR writes are lost on their way (the message documents are stored): what a
     * crash does to the TDRs of the bulk in flight.
     */
    boolean losingTdrs;
    private final EsHttp es;
    private final String day;

    EsPipeline(RestClient rest, EsHttp es, String day, Path spool) throws Exception {
        this(rest, es, day, spool, new CorrelationConfig());
    }

    EsPipeline(RestClient rest, EsHttp es, String day, Path spool, CorrelationConfig correlation) throws Exception {
        this(rest, es, day, spool, b -> b
                .add("parse", ctx -> new ParseStage(ctx, Protocols.standard(MAPPER, true)))
                .add("correlate", ctx -> new CorrelateStage(ctx, correlation)));
    }

    private EsPipeline(RestClient rest, EsHttp es, String day, Path spool,
                       UnaryOperator<Pipeline.Builder> chain) throws Exception {
        this.es = es;
        this.day = day;
        indexer = new BulkIndexer(rest, new BulkIndexer.Settings(500, 1 << 20, Duration.ofMillis(100), 2, 3,
                Duration.ofMillis(50), Duration.ofMillis(500), Duration.ofMillis(300)),
                new DiskSpool(spool, 1 << 20), () -> true, metrics);
        DocumentSink sink = new DocumentSink() {
            @Override
            public void accept(IndexRequest request) {
                if (request.create() || !losingTdrs) {
                    indexer.accept(request);
                }
            }

            @Override
            public void accept(String index, String id, boolean create, long version, JsonDocument document) {
                if (create || !losingTdrs) {
                    indexer.accept(index, id, create, version, document);
                }
            }
        };
        stages = chain.apply(Pipeline.builder(metrics))
                .add("index", ctx -> new IndexStage(ctx, new MessageDocumentWriter(), sink))
                .buildStages();
    }

    /**
     * The stages of a live collector, as {@link StageChain} builds them for it: the capture clock,
     * parse, reorder (window 2 s), correlate; all on the wall clock {@code wallMicros}.
     */
    static EsPipeline live(RestClient rest, EsHttp es, String day, Path spool, LongSupplier wallMicros) throws Exception {
        return new EsPipeline(rest, es, day, spool, b -> new StageChain(Protocols.standard(MAPPER, true))
                .captureClock(new CaptureClock.Config())
                .wallClock(wallMicros)
                .correlation(new CorrelationConfig())
                .addTo(b));
    }

    CorrelateStage correlate() {
        return stages.stage("correlate", CorrelateStage.class);
    }

    List<CapturedMessage> run(List<HepPacket> packets) throws InterruptedException {
        List<CapturedMessage> batch = new ArrayList<>();
        for (HepPacket p : packets) {
            batch.add(new CapturedMessage(p, Transport.UDP, null));
        }
        stages.process(batch);
        indexed();
        return batch;
    }

    /** The pipeline's tick at this capture time (TDRs are written at most once a second), then indexed. */
    void tick(long micros) throws InterruptedException {
        stages.tick(micros);
        indexed();
    }

    /** A clean stop's flush: every record with unwritten changes is written as it is. */
    void flush() throws InterruptedException {
        stages.flush();
        indexed();
    }

    List<CapturedMessage> sip(TestSip.Msg... msgs) throws InterruptedException {
        List<HepPacket> p = new ArrayList<>();
        for (TestSip.Msg m : msgs) {
            p.add(m.hep());
        }
        return run(p);
    }

    void close() {
        indexer.close();
    }

    private void indexed() throws InterruptedException {
        indexer.flush();
        assertThat(indexer.awaitIdle(Duration.ofSeconds(30))).isTrue();
        es.refresh("hep-*-" + day);
    }
}
