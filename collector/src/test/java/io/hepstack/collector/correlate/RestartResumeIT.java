package io.hepstack.collector.correlate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hepstack.collector.document.DocumentIds;
import io.hepstack.collector.es.ElasticsearchClients;
import io.hepstack.collector.es.TdrRecovery;
import io.hepstack.collector.index.TemplateInstaller;
import io.hepstack.collector.testing.EsHttp;
import io.hepstack.collector.testing.TestElasticsearch;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Restarts against a real Elasticsearch: a call answered before the restart is taken back from its
 * TDR and its BYE after the restart ends it (right status, duration, message count, one TDR, no
 * "bye" record, a higher version); a taken-back call that never ends closes as UNKNOWN_END; live
 * TDRs that nobody can still be updating are closed by the sweep, fresh ones are left alone.
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
}
