package io.hepstack.collector.correlate;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hepstack.collector.api.CallsResource;
import io.hepstack.collector.api.ElasticsearchCallStore;
import io.hepstack.collector.es.ElasticsearchClients;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.index.BulkIndexer;
import io.hepstack.collector.index.DiskSpool;
import io.hepstack.collector.index.MessageDocumentWriter;
import io.hepstack.collector.index.TemplateInstaller;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.index.IndexStage;
import io.hepstack.collector.pipeline.Transport;
import io.hepstack.collector.testing.EsHttp;
import io.hepstack.collector.testing.TestElasticsearch;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Against a real Elasticsearch: parse → correlate → index with the bulk indexer and the installed
 * templates. A call's TDR appears, is updated (RINGING → ANSWERED → FINISHED, version rising) and
 * ends with the right status; the call API returns its SIP, RTCP and log messages in capture
 * order and finds the TDR by status, user and address. Test indices are dated 2002-03-04 and
 * deleted afterwards.
 */
class CallsApiIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String DAY = "2002.03.04";
    private static EsHttp es;
    private static RestClient rest;

    @BeforeAll
    static void start() throws Exception {
        es = EsHttp.shared();
        rest = ElasticsearchClients.restClient(new ElasticsearchClients.Connection(List.of(TestElasticsearch.url()),
                null, null, null, null));
        new TemplateInstaller(rest, MAPPER, new TemplateInstaller.IndexSettings(1, 0, "1s")).install();
    }

    @AfterAll
    static void stop() throws Exception {
        for (String family : List.of("sip", "rtcp", "log", "tdr")) {
            es.delete("/hep-" + family + "-" + DAY + "?ignore_unavailable=true");
        }
        rest.close();
    }

    /** The stages of the pipeline that matter here, writing into Elasticsearch. */
    private static final class Pipeline {
        final MetricRegistry metrics = new MetricRegistry();
        final BulkIndexer indexer;
        final io.hepstack.collector.pipeline.Stages stages;

        Pipeline(Path spool) throws Exception {
            indexer = new BulkIndexer(rest, new BulkIndexer.Settings(500, 1 << 20, Duration.ofMillis(100), 2, 3,
                    Duration.ofMillis(50), Duration.ofMillis(500), Duration.ofMillis(300)),
                    new DiskSpool(spool, 1 << 20), () -> true, metrics);
            stages = io.hepstack.collector.pipeline.Pipeline.builder(metrics)
                    .add("parse", ctx -> new io.hepstack.collector.parse.ParseStage(ctx,
                            io.hepstack.collector.parse.Protocols.standard(MAPPER, true)))
                    .add("correlate", ctx -> new CorrelateStage(ctx, new CorrelationConfig()))
                    .add("index", ctx -> new IndexStage(ctx, new MessageDocumentWriter(), indexer))
                    .buildStages();
        }

        List<CapturedMessage> run(List<HepPacket> packets) throws InterruptedException {
            List<CapturedMessage> batch = new ArrayList<>();
            for (HepPacket p : packets) {
                batch.add(new CapturedMessage(p, Transport.UDP, null));
            }
            stages.process(batch);
            indexer.flush();
            assertThat(indexer.awaitIdle(Duration.ofSeconds(30))).isTrue();
            es.refresh("hep-*-" + DAY);
            return batch;
        }

        /** The pipeline's tick at this capture time (TDRs are written at most once a second), then indexed. */
        void tick(long micros) throws InterruptedException {
            stages.tick(micros);
            indexer.flush();
            assertThat(indexer.awaitIdle(Duration.ofSeconds(30))).isTrue();
            es.refresh("hep-*-" + DAY);
        }

        List<CapturedMessage> sip(TestSip.Msg... msgs) throws InterruptedException {
            List<HepPacket> p = new ArrayList<>();
            for (TestSip.Msg m : msgs) {
                p.add(m.hep());
            }
            return run(p);
        }
    }

    private static JsonNode tdr(String docId) {
        return es.get("/hep-tdr-" + DAY + "/_doc/" + docId);
    }

    @Test
    void aCallsTdrAppearsUpdatesAndEndsAndTheApiShowsItsWholeStory(@TempDir Path spool) throws Exception {
        Pipeline p = new Pipeline(spool);
        TestSip.Dialog d = new TestSip.Dialog("it-call-1@test");
        d.t0 = TestSip.micros("2002-03-04T10:00:00Z");
        String docId = io.hepstack.collector.document.DocumentIds.ofKey("call:" + d.callId);

        p.sip(d.invite(0), d.reply(100, "Trying", 10), d.reply(180, "Ringing", 200));
        assertThat(es.count("hep-tdr-" + DAY, null)).as("the first write waits a second").isZero();
        p.tick(d.at(1_000));
        JsonNode ringing = tdr(docId);
        assertThat(ringing.path("_source").path("tdr").path("status").asText()).isEqualTo("RINGING");
        long v1 = ringing.path("_version").asLong();

        p.sip(d.reply(200, "OK", 2_000).sdp("10.2.2.2", 5000, "PCMA/8000"));
        JsonNode answered = tdr(docId);
        assertThat(answered.path("_source").path("tdr").path("status").asText()).isEqualTo("ANSWERED");
        long v2 = answered.path("_version").asLong();
        assertThat(v2).isGreaterThan(v1);

        TestSip.Msg bye = d.inDialog("BYE", true, 2, "z9hG4bK-bye", 32_000);
        List<HepPacket> rest = new ArrayList<>();
        rest.add(d.inDialog("ACK", true, 1, "z9hG4bK-ack", 2_010).hep());
        rest.add(TestSip.rtcp("10.2.2.2", 5001, "10.1.1.1", 4001, d.at(17_000), d.callId, 222, 111, 750, 3, 8, 758, 40));
        rest.add(TestSip.log(d.at(17_000), d.callId, "call " + d.callId + " media ok"));
        rest.add(bye.hep());
        rest.add(d.answer(bye, 200, "OK", 32_020).hep());
        rest.add(TestSip.log(d.at(32_030), d.callId, "call " + d.callId + " ended"));
        p.run(rest);
        p.stages.flush();
        assertThat(p.indexer.awaitIdle(Duration.ofSeconds(30))).isTrue();
        es.refresh("hep-*-" + DAY);

        JsonNode finished = tdr(docId);
        JsonNode t = finished.path("_source").path("tdr");
        assertThat(t.path("status").asText()).isEqualTo("FINISHED");
        assertThat(finished.path("_version").asLong()).isGreaterThan(v2).isEqualTo(t.path("version").asLong());
        assertThat(t.path("duration_s").asLong()).isEqualTo(30);
        assertThat(t.path("messages").path("count").asInt()).isEqualTo(10);
        assertThat(finished.path("_source").path("qos").path("a_leg").path("packets").asLong()).isEqualTo(750);
        assertThat(es.count("hep-tdr-" + DAY, null)).isEqualTo(1);

        // the API over the same Elasticsearch
        CallsResource api = new CallsResource(new ElasticsearchCallStore(CallsApiIT.rest, MAPPER), MAPPER);
        ObjectNode call = api.call(d.callId, null, null);
        assertThat(call.path("tdrs")).hasSize(1);
        JsonNode msgs = call.path("messages");
        assertThat(msgs).extracting(m -> m.path("summary").asText().replaceAll(" MOS .*", " MOS")).containsExactly(
                "INVITE sip:+4930901820@example.com", "100 Trying (INVITE)", "180 Ringing (INVITE)", "200 OK (INVITE)",
                "ACK sip:+4930901820@10.2.2.2", "RTCP sr ssrc=222 MOS", "call it-call-1@test media ok",
                "BYE sip:+4930901820@10.2.2.2", "200 OK (BYE)", "call it-call-1@test ended");
        assertThat(msgs).extracting(m -> m.path("protocol").asText())
                .containsExactly("sip", "sip", "sip", "sip", "sip", "rtcp", "log", "sip", "sip", "log");
        assertThat(msgs.get(0).path("time").asText()).isEqualTo("2002-03-04T10:00:00.000000Z");
        assertThat(msgs.get(9).path("time").asText()).isEqualTo("2002-03-04T10:00:32.030000Z");
        assertThat(msgs.get(0).path("raw").asText()).startsWith("INVITE sip:+4930901820@example.com SIP/2.0\r\n");
        assertThat(msgs.get(1).path("source").path("ip").asText()).isEqualTo("10.2.2.2");
        List<String> ids = new ArrayList<>();
        t.path("messages").path("ids").forEach(n -> ids.add(n.asText()));
        assertThat(msgs).extracting(m -> m.path("id").asText()).containsExactlyInAnyOrderElementsOf(ids);

        assertThat(api.search("2002-03-04T00:00:00Z", "2002-03-05T00:00:00Z", "finished", "+4930901820", null, null, null)
                .path("total").asLong()).isEqualTo(1);
        assertThat(api.search(null, null, null, null, "10.1.1.1", "call", null).path("tdrs").get(0).path("tdr")
                .path("call_id").asText()).isEqualTo(d.callId);
        assertThat(api.search(null, null, "USER_BUSY", null, "10.1.1.1", null, null).path("total").asLong()).isZero();
        p.indexer.close();
    }
}
