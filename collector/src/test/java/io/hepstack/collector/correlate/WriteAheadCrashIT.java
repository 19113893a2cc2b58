package io.hepstack.collector.correlate;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.collector.StageChain;
import io.hepstack.collector.document.DocumentIds;
import io.hepstack.collector.es.ElasticsearchClients;
import io.hepstack.collector.index.BulkIndexer;
import io.hepstack.collector.index.DiskSpool;
import io.hepstack.collector.index.DocumentSink;
import io.hepstack.collector.index.IndexRequest;
import io.hepstack.collector.index.IndexStage;
import io.hepstack.collector.index.MessageDocumentWriter;
import io.hepstack.collector.index.TemplateInstaller;
import io.hepstack.collector.journal.DiskBuffer;
import io.hepstack.collector.journal.Durability;
import io.hepstack.collector.parse.Protocols;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.Pipeline;
import io.hepstack.collector.pipeline.StoredMark;
import io.hepstack.collector.pipeline.Transport;
import io.hepstack.collector.testing.EsHttp;
import io.hepstack.collector.testing.TestElasticsearch;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A {@code kill -9} with write-ahead, against a real Elasticsearch: the first run takes the INVITE …
 * ACK of two calls and dies before any of it is stored (its sink is the memory a kill loses: some
 * documents handed to it, some messages still in the reorder window). The restart reads them again
 * from the write-ahead buffer, first, then the BYEs: both calls end FINISHED with their duration and
 * all seven messages, every message is stored once, no BYE becomes an orphan "bye" record, and the
 * stored segments are deleted.
 */
class WriteAheadCrashIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String DAY = "2003.04.06";
    private static EsHttp es;
    private static RestClient rest;

    @BeforeAll
    static void start() throws Exception {
        es = EsHttp.shared();
        rest = ElasticsearchClients.restClient(new ElasticsearchClients.Connection(List.of(TestElasticsearch.url()),
                null, null, null, null));
        new TemplateInstaller(rest, MAPPER, new TemplateInstaller.IndexSettings(1, 0, "1s")).install();
        deleteIndices();
    }

    @AfterAll
    static void stop() throws Exception {
        deleteIndices();
        rest.close();
    }

    private static void deleteIndices() {
        for (String family : List.of("sip", "tdr")) {
            es.delete("/hep-" + family + "-" + DAY + "?ignore_unavailable=true");
        }
    }

    /** The memory a kill loses: takes documents and never stores them. */
    private static final class LostWithTheProcess implements DocumentSink, StoredMark {
        final AtomicInteger taken = new AtomicInteger();
        long marks;

        @Override
        public void accept(IndexRequest request) {
            taken.incrementAndGet();
        }

        @Override
        public long mark() {
            return ++marks;
        }

        @Override
        public boolean reached(long mark) {
            return false;
        }
    }

    private static <S extends DocumentSink & StoredMark> Pipeline pipeline(Path buffer, S sink, MetricRegistry metrics)
            throws Exception {
        long farFuture = TestSip.micros("2003-04-06T12:00:00Z"); // the wall clock: no time guard holds these back
        return new StageChain(Protocols.standard(MAPPER, true)).wallClock(() -> farFuture).correlation(new CorrelationConfig())
                .addTo(Pipeline.builder(metrics).batchSize(4).tickEvery(Duration.ofMillis(50))
                        .spillTo(new DiskBuffer(buffer, 64 << 20, 1 << 20, Durability.defaults(), true)).storedBy(sink))
                .add("index", ctx -> new IndexStage(ctx, new MessageDocumentWriter(), sink))
                .build().start();
    }

    private static void offer(Pipeline p, TestSip.Msg... msgs) {
        for (TestSip.Msg m : msgs) {
            assertThat(p.offer(new CapturedMessage(m.hep(), Transport.UDP, null))).isTrue();
        }
    }

    private static TestSip.Dialog dialog(String callId, String t0) {
        TestSip.Dialog d = new TestSip.Dialog(callId);
        d.t0 = TestSip.micros(t0);
        return d;
    }

    private static long segments(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".seg")).count();
        }
    }

    @Test
    void whatTheKilledCollectorHadNotStoredIsStoredAfterTheRestartAndItsCallsEndRight(@TempDir Path dir) throws Exception {
        Path buffer = dir.resolve("buffer");
        TestSip.Dialog a = dialog("wal-a@test", "2003-04-06T10:00:00Z");
        TestSip.Dialog b = dialog("wal-b@test", "2003-04-06T10:00:01Z");

        LostWithTheProcess memory = new LostWithTheProcess();
        Pipeline killed = pipeline(buffer, memory, new MetricRegistry()); // never closed: kill -9
        for (TestSip.Dialog d : List.of(a, b)) {
            offer(killed, d.invite(0), d.reply(100, "Trying", 10), d.reply(180, "Ringing", 200),
                    d.reply(200, "OK", 2_000).sdp("10.2.2.2", 5000, "PCMA/8000"), d.inDialog("ACK", true, 1, "z9hG4bK-ack", 2_010));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> memory.taken.get() >= 5); // processed, then lost with the process
        assertThat(segments(buffer)).as("nothing stored: every segment kept").isPositive();

        MetricRegistry metrics = new MetricRegistry();
        BulkIndexer indexer = new BulkIndexer(rest, new BulkIndexer.Settings(500, 1 << 20, Duration.ofMillis(100), 2, 3,
                Duration.ofMillis(50), Duration.ofMillis(500), Duration.ofMillis(300)),
                new DiskSpool(dir.resolve("spool"), 1 << 20), () -> true, metrics);
        Pipeline restarted = pipeline(buffer, indexer, metrics);
        for (TestSip.Dialog d : List.of(a, b)) {
            TestSip.Msg bye = d.inDialog("BYE", false, 2, "z9hG4bK-bye", 62_000); // the callee hangs up a minute later
            offer(restarted, bye, d.answer(bye, 200, "OK", 62_020));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> restarted.awaitDrained(Duration.ofMillis(10))
                && metrics.meter("index.documents").getCount() >= 14);
        restarted.close();
        assertThat(indexer.awaitIdle(Duration.ofSeconds(30))).isTrue();
        indexer.close();
        es.refresh("hep-*-" + DAY);

        assertThat(es.count("hep-sip-" + DAY, null)).as("every message of both calls, once").isEqualTo(14);
        for (TestSip.Dialog d : List.of(a, b)) {
            JsonNode t = es.get("/hep-tdr-" + DAY + "/_doc/" + DocumentIds.ofKey("call:" + d.callId)).path("_source").path("tdr");
            assertThat(t.path("status").asText()).as(d.callId).isEqualTo("FINISHED");
            assertThat(t.path("duration_ms").asLong()).isEqualTo(60_000);
            assertThat(t.path("ended_by").asText()).isEqualTo("callee");
            assertThat(t.path("messages").path("count").asInt()).isEqualTo(7);
        }
        assertThat(es.count("hep-tdr-" + DAY, null)).as("two call TDRs, no orphan 'bye' record").isEqualTo(2);
        assertThat(metrics.meter("correlate.errors").getCount()).isZero();
        assertThat(segments(buffer)).as("stored: the restart deleted what the crash left and its own").isZero();
    }
}
