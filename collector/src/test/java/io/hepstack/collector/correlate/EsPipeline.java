package io.hepstack.collector.correlate;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.collector.hep.HepPacket;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stages that matter for calls (parse → correlate → index), run on the test's thread and
 * writing into the test Elasticsearch with the real bulk indexer; every step waits until what it
 * wrote is searchable in the test's daily indices.
 */
final class EsPipeline {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    final MetricRegistry metrics = new MetricRegistry();
    final BulkIndexer indexer;
    final Stages stages;
    private final EsHttp es;
    private final String day;

    EsPipeline(RestClient rest, EsHttp es, String day, Path spool) throws Exception {
        this(rest, es, day, spool, new CorrelationConfig());
    }

    EsPipeline(RestClient rest, EsHttp es, String day, Path spool, CorrelationConfig correlation) throws Exception {
        this.es = es;
        this.day = day;
        indexer = new BulkIndexer(rest, new BulkIndexer.Settings(500, 1 << 20, Duration.ofMillis(100), 2, 3,
                Duration.ofMillis(50), Duration.ofMillis(500), Duration.ofMillis(300)),
                new DiskSpool(spool, 1 << 20), () -> true, metrics);
        stages = Pipeline.builder(metrics)
                .add("parse", ctx -> new ParseStage(ctx, Protocols.standard(MAPPER, true)))
                .add("correlate", ctx -> new CorrelateStage(ctx, correlation))
                .add("index", ctx -> new IndexStage(ctx, new MessageDocumentWriter(), indexer))
                .buildStages();
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
