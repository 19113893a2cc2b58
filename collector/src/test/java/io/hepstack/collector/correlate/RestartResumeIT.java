package io.hepstack.collector.correlate;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hepstack.collector.StageChain;
import io.hepstack.collector.document.DocumentIds;
import io.hepstack.collector.es.ElasticsearchClients;
import io.hepstack.collector.es.StoredTail;
import io.hepstack.collector.es.TdrRecovery;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Restarts against a real Elasticsearch: a call answered before the restart is taken back from its
 * TDR and its BYE after the restart ends it (right status, duration, message count, one TDR, no
 * "bye" record, a higher version); a taken-back call that never ends closes as UNKNOWN_END; live
 * TDRs that nobody can still be updating are closed by the sweep, fresh ones are left alone; a call
 * whose messages were stored but whose TDR the crash lost is rebuilt from its stored messages
 * ({@link StoredTail}) and its BYE after the restart ends it; with write-ahead, what a killed run had
 * not stored is read again at the restart and its calls end right.
 * Test indices are dated 2003-04-05 and deleted afterwards.
 */
class RestartResumeIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String DAY = "2003.04.05";
    private static final TdrRecovery.Timeouts TIMEOUTS = new TdrRecovery.Timeouts(Duration.ofHours(4),
            Duration.ofSeconds(120), Duration.ofSeconds(32), Duration.ofMinutes(10));
    private static EsHttp es;
    private static RestClient rest;
    private static TdrRecovery recovery;

    @BeforeAll
    static void start() throws Exception {
        es = EsHttp.shared();
        rest = ElasticsearchClients.restClient(new ElasticsearchClients.Connection(List.of(TestElasticsearch.url()),
                null, null, null, null));
        new TemplateInstaller(rest, MAPPER, new TemplateInstaller.IndexSettings(1, 0, "1s")).install();
        recovery = new TdrRecovery(() -> rest, MAPPER, TIMEOUTS);
    }

    @BeforeEach
    void clean() {
        deleteIndices();
    }

    @AfterAll
    static void stop() throws Exception {
        deleteIndices();
        rest.close();
    }

    private static void deleteIndices() {
        for (String family : List.of("sip", "rtcp", "log", "tdr")) {
            es.delete("/hep-" + family + "-" + DAY + "?ignore_unavailable=true");
        }
    }

    private static TestSip.Dialog dialog(String callId) {
        TestSip.Dialog d = new TestSip.Dialog(callId);
        d.t0 = TestSip.micros("2003-04-05T10:00:00Z");
        return d;
    }

    private static JsonNode tdr(String callId) {
        return es.get("/hep-tdr-" + DAY + "/_doc/" + DocumentIds.ofKey("call:" + callId));
    }

    /** The first run: INVITE … 200, ACK, then a clean stop (its flush writes the live TDR). */
    private static long answeredThenStopped(TestSip.Dialog d, Path spool) throws Exception {
        EsPipeline before = new EsPipeline(rest, es, DAY, spool.resolve("before"));
        before.sip(d.invite(0), d.reply(100, "Trying", 10), d.reply(180, "Ringing", 200),
                d.reply(200, "OK", 2_000).sdp("10.2.2.2", 5000, "PCMA/8000"),
                d.inDialog("ACK", true, 1, "z9hG4bK-ack", 2_010));
        before.flush();
        before.close();
        JsonNode stored = tdr(d.callId);
        assertThat(stored.path("_source").path("tdr").path("status").asText()).isEqualTo("ANSWERED");
        assertThat(stored.path("_source").path("tdr").path("resume").path("caller_tag").asText()).isEqualTo(d.fromTag);
        return stored.path("_version").asLong();
    }

    /** The second run, with the calls live before the restart taken back. */
    private static EsPipeline restarted(Path spool, int expectedResumed) throws Exception {
        EsPipeline after = new EsPipeline(rest, es, DAY, spool.resolve("after"));
        List<Map.Entry<String, ObjectNode>> live = recovery.liveCalls(Instant.now(), 1_000);
        assertThat(after.correlate().resume(live)).isEqualTo(expectedResumed);
        return after;
    }

    @Test
    void aByeAfterARestartEndsTheCallThatWasAnsweredBeforeIt(@TempDir Path spool) throws Exception {
        TestSip.Dialog d = dialog("restart-bye@test");
        long before = answeredThenStopped(d, spool);

        EsPipeline after = restarted(spool, 1);
        TestSip.Msg bye = d.inDialog("BYE", false, 2, "z9hG4bK-bye", 62_000); // the callee hangs up
        after.sip(bye, d.answer(bye, 200, "OK", 62_020));
        after.flush();
        after.close();

        JsonNode finished = tdr(d.callId);
        JsonNode t = finished.path("_source").path("tdr");
        assertThat(after.metrics.meter("correlate.errors").getCount()).isZero();
        assertThat(t.path("status").asText()).isEqualTo("FINISHED");
        assertThat(t.path("ended_by").asText()).isEqualTo("callee");
        assertThat(t.path("duration_ms").asLong()).isEqualTo(60_000);
        assertThat(t.path("answer").asText()).isEqualTo("2003-04-05T10:00:02.000000Z");
        assertThat(t.path("messages").path("count").asInt()).as("5 before, 2 after the restart").isEqualTo(7);
        assertThat(t.path("messages").path("ids")).hasSize(7);
        assertThat(t.path("caller").path("user").asText()).isEqualTo("alice");
        assertThat(t.path("callee").path("media").path("port").asInt()).isEqualTo(5000);
        assertThat(t.has("resume")).as("a final TDR has nothing to resume").isFalse();
        assertThat(finished.path("_version").asLong()).isGreaterThan(before);
        assertThat(es.count("hep-tdr-" + DAY, null)).as("one TDR: no orphan 'bye' record").isEqualTo(1);
    }

    /**
     * A live collector's run: each message at its capture time on the wall clock (as an agent sends
     * it), then a tick past the reorder window, so the stages have processed every message.
     */
    private static void live(EsPipeline run, AtomicLong wall, TestSip.Msg... msgs) throws Exception {
        for (TestSip.Msg m : msgs) {
            wall.set(m.micros);
            run.sip(m);
        }
        wall.addAndGet(3_000_000);
        run.tick(wall.get());
    }

    private static TestSip.Msg[] answered(TestSip.Dialog d) {
        return new TestSip.Msg[]{d.invite(0), d.reply(100, "Trying", 10), d.reply(180, "Ringing", 200),
                d.reply(200, "OK", 2_000).sdp("10.2.2.2", 5000, "PCMA/8000"), d.inDialog("ACK", true, 1, "z9hG4bK-ack", 2_010)};
    }

    private static Instant instant(long micros) {
        return Instant.ofEpochSecond(micros / 1_000_000, micros % 1_000_000 * 1000);
    }

    @Test
    void aCallWhoseTdrTheCrashLostIsRebuiltFromItsStoredMessagesAndItsByeEndsIt(@TempDir Path spool) throws Exception {
        long t0 = TestSip.micros("2003-04-05T10:00:00Z");
        AtomicLong wall = new AtomicLong(t0 - 70_000_000);
        TestSip.Dialog old = dialog("tail-old@test"); // set up a minute before the crash: outside the 30 s window
        old.t0 = t0 - 60_000_000;
        TestSip.Dialog resumed = dialog("tail-resumed@test"); // its TDR was written: taken back from it
        resumed.t0 = t0 - 10_000_000;
        TestSip.Dialog lost = dialog("tail-lost@test"); // its TDR was in the bulk the crash lost
        lost.t0 = t0;

        EsPipeline before = EsPipeline.live(rest, es, DAY, spool.resolve("before"), wall::get);
        before.losingTdrs = true;
        live(before, wall, answered(old));
        before.losingTdrs = false;
        live(before, wall, answered(resumed));
        before.losingTdrs = true;
        live(before, wall, answered(lost));
        before.close(); // kill -9: no flush, the message documents are stored, two of the three TDRs are not
        assertThat(es.count("hep-sip-" + DAY, null)).isEqualTo(15);
        assertThat(es.count("hep-tdr-" + DAY, null)).isEqualTo(1);
        assertThat(tdr(resumed.callId).path("found").asBoolean()).isTrue();

        // the restart, 30 s after the last message
        wall.set(t0 + 30_000_000);
        EsPipeline after = EsPipeline.live(rest, es, DAY, spool.resolve("after"), wall::get);
        assertThat(after.correlate().resume(recovery.liveCalls(instant(wall.get()), 1_000))).isEqualTo(1);
        StoredTail tail = new StoredTail(() -> rest, MAPPER, new StoredTail.Settings(Duration.ofSeconds(30),
                Duration.ofHours(4), Duration.ofSeconds(10)));
        StoredTail.Result none = tail.replay(instant(wall.get()), 0, page -> after.stages.process(page));
        assertThat(none.callsSkipped()).as("no room in the correlator: counted, not replayed").isEqualTo(1);
        assertThat(none.messages()).isZero();
        StoredTail.Result r = tail.replay(instant(wall.get()), 1_000, page -> after.stages.process(page));
        after.flush(); // as Pipeline.endReplay: the reorder stage lets go, the correlator writes
        assertThat(r.calls()).as("only the call without a TDR whose INVITE is in the window").isEqualTo(1);
        assertThat(r.messages()).isEqualTo(5);
        assertThat(r.callsSkipped() + r.messagesSkipped() + r.unreadable()).isZero();
        assertThat(after.metrics.meter("index.documents").getCount()).as("stored messages are not written again").isZero();
        assertThat(es.count("hep-sip-" + DAY, null)).isEqualTo(15);
        JsonNode rebuilt = tdr(lost.callId).path("_source").path("tdr");
        assertThat(rebuilt.path("status").asText()).isEqualTo("ANSWERED");
        assertThat(rebuilt.path("final").asBoolean()).isFalse();

        TestSip.Msg lostBye = lost.inDialog("BYE", false, 2, "z9hG4bK-bye", 62_000); // the callee hangs up
        TestSip.Msg resumedBye = resumed.inDialog("BYE", true, 2, "z9hG4bK-bye2", 72_000); // the caller hangs up
        live(after, wall, lostBye, lost.answer(lostBye, 200, "OK", 62_020), resumedBye,
                resumed.answer(resumedBye, 200, "OK", 72_020));
        after.flush();
        after.close();

        assertThat(after.metrics.meter("correlate.errors").getCount()).isZero();
        JsonNode t = tdr(lost.callId).path("_source").path("tdr");
        assertThat(t.path("status").asText()).isEqualTo("FINISHED");
        assertThat(t.path("ended_by").asText()).isEqualTo("callee");
        assertThat(t.path("duration_ms").asLong()).isEqualTo(60_000);
        assertThat(t.path("answer").asText()).isEqualTo("2003-04-05T10:00:02.000000Z");
        assertThat(t.path("messages").path("count").asInt()).as("5 replayed, 2 after the restart").isEqualTo(7);
        assertThat(t.path("messages").path("ids")).hasSize(7);
        assertThat(t.path("callee").path("media").path("port").asInt()).isEqualTo(5000);
        JsonNode c = tdr(resumed.callId).path("_source").path("tdr");
        assertThat(c.path("status").asText()).isEqualTo("FINISHED");
        assertThat(c.path("duration_ms").asLong()).isEqualTo(70_000);
        assertThat(c.path("messages").path("count").asInt()).as("resumed, not replayed on top").isEqualTo(7);
        assertThat(es.status("GET", "/hep-tdr-" + DAY + "/_doc/" + DocumentIds.ofKey("call:" + old.callId)))
                .as("its INVITE is older than the window: not replayed").isEqualTo(404);
        assertThat(es.count("hep-tdr-" + DAY, null)).as("two call TDRs, no orphan 'bye' record").isEqualTo(2);
        assertThat(es.count("hep-sip-" + DAY, null)).isEqualTo(19);
    }

    @Test
    void aResumedCallWhoseEndIsNeverSeenClosesAsUnknownEnd(@TempDir Path spool) throws Exception {
        TestSip.Dialog d = dialog("restart-silent@test");
        answeredThenStopped(d, spool);

        EsPipeline after = restarted(spool, 1);
        after.tick(d.at(2_010) + Duration.ofHours(4).plusSeconds(5).toNanos() / 1000);
        after.flush();
        after.close();

        JsonNode t = tdr(d.callId).path("_source").path("tdr");
        assertThat(t.path("status").asText()).isEqualTo("UNKNOWN_END");
        assertThat(t.path("final").asBoolean()).isTrue();
        assertThat(t.path("ended_by").asText()).isEqualTo("restart");
    }

    @Test
    void theSweepClosesLiveTdrsNobodyCanStillUpdateAndLeavesFreshOnes(@TempDir Path spool) throws Exception {
        TestSip.Dialog answered = dialog("sweep-answered@test");
        answeredThenStopped(answered, spool);
        TestSip.Dialog ringing = dialog("sweep-ringing@test");
        EsPipeline run = new EsPipeline(rest, es, DAY, spool.resolve("ringing"));
        run.sip(ringing.invite(0), ringing.reply(180, "Ringing", 100));
        run.flush();
        run.close();

        Instant now = Instant.now();
        assertThat(recovery.sweep(now)).as("both were written just now").isZero();
        // past the set-up timeout (+ margin) only the ringing call can no longer be live
        assertThat(recovery.sweep(now.plus(Duration.ofMinutes(13)))).isEqualTo(1);
        assertThat(tdr(ringing.callId).path("_source").path("tdr").path("status").asText()).isEqualTo("UNKNOWN_END");
        assertThat(tdr(answered.callId).path("_source").path("tdr").path("status").asText()).isEqualTo("ANSWERED");
        // past the answered-call timeout (+ margin) the answered one neither
        assertThat(recovery.sweep(now.plus(Duration.ofHours(4)).plus(Duration.ofMinutes(11)))).isEqualTo(1);
        JsonNode t = tdr(answered.callId).path("_source").path("tdr");
        assertThat(t.path("status").asText()).isEqualTo("UNKNOWN_END");
        assertThat(t.path("final").asBoolean()).isTrue();
        assertThat(t.has("resume")).isFalse();
        assertThat(recovery.liveCalls(now, 100)).as("nothing live is left to resume").isEmpty();
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
        long farFuture = TestSip.micros("2003-04-05T12:00:00Z"); // the wall clock: no time guard holds these back
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

    private static TestSip.Dialog dialogAt(String callId, String t0) {
        TestSip.Dialog d = new TestSip.Dialog(callId);
        d.t0 = TestSip.micros(t0);
        return d;
    }

    private static long segments(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".seg")).count();
        }
    }

    /**
     * A {@code kill -9} with write-ahead: the first run takes the INVITE … ACK of two calls and dies
     * before any of it is stored (its sink is the memory a kill loses: some documents handed to it,
     * some messages still in the reorder window). The restart reads them again from the write-ahead
     * buffer, first, then the BYEs: both calls end FINISHED with their duration and all seven
     * messages, every message is stored once, no BYE becomes an orphan "bye" record, and the stored
     * segments are deleted.
     */
    @Test
    void whatTheKilledCollectorHadNotStoredIsStoredAfterTheRestartAndItsCallsEndRight(@TempDir Path dir) throws Exception {
        Path buffer = dir.resolve("buffer");
        TestSip.Dialog a = dialogAt("wal-a@test", "2003-04-05T10:00:00Z");
        TestSip.Dialog b = dialogAt("wal-b@test", "2003-04-05T10:00:01Z");

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
