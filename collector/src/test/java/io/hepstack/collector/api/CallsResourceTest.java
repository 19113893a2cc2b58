package io.hepstack.collector.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hepstack.collector.correlate.CollectorFixtures;
import io.hepstack.collector.index.IndexRequest;
import jakarta.ws.rs.WebApplicationException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The call API's queries and how it assembles their answers from the collector's documents (Elasticsearch faked; see CallsApiIT for the real one). */
class CallsResourceTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Answers TDR searches and message searches with canned hits; records what it was asked. */
    static final class FakeStore implements CallStore {
        final List<String[]> asked = new ArrayList<>();
        String tdrHits = "[]";
        String messageHits = "[]";
        IOException failure;

        @Override
        public JsonNode search(String indices, String body) throws IOException {
            asked.add(new String[]{indices, body});
            if (failure != null) {
                throw failure;
            }
            String hits = indices.equals(CallQueries.TDR_INDICES) ? tdrHits : messageHits;
            JsonNode arr = MAPPER.readTree(hits);
            return MAPPER.readTree("{\"hits\":{\"total\":{\"value\":" + arr.size() + "},\"hits\":" + hits + "}}");
        }
    }

    private static JsonNode json(String s) throws IOException {
        return MAPPER.readTree(s);
    }

    @Test
    void queriesNameTheTemplateFields() throws IOException {
        CallQueries q = new CallQueries(MAPPER);
        assertThat(json(q.tdrsOfCall("abc@x", 50))).isEqualTo(json("""
                {"size":50,"query":{"bool":{"should":[{"term":{"tdr.call_id":"abc@x"}},{"term":{"tdr.call_ids":"abc@x"}},
                {"term":{"tdr.linked_call_ids":"abc@x"}}],"minimum_should_match":1}},"sort":[{"@timestamp":{"order":"asc"}}]}"""));
        assertThat(json(q.messagesOfCalls(List.of("a", "b"), "2002-01-01T09:00:00.000000Z", null, 10))).isEqualTo(json("""
                {"size":10,"query":{"bool":{"should":[{"terms":{"sip.call_id":["a","b"]}},{"terms":{"call.id":["a","b"]}},
                {"terms":{"hep.correlation_id":["a","b"]}}],"minimum_should_match":1,
                "filter":[{"range":{"@timestamp":{"gte":"2002-01-01T09:00:00.000000Z","format":"strict_date_optional_time_nanos"}}}]}},
                "sort":[{"@timestamp":{"order":"asc"}}]}"""));
        JsonNode s = json(q.searchTdrs(null, "2002-01-02T00:00:00.000000Z", List.of("FINISHED", "USER_BUSY"), "4930901820",
                "10.1.1.1", "call", 25));
        assertThat(s.path("size").asInt()).isEqualTo(25);
        assertThat(s.path("sort").get(0).path("@timestamp").path("order").asText()).isEqualTo("desc");
        JsonNode f = s.path("query").path("bool").path("filter");
        assertThat(f.get(0).path("range").path("@timestamp").path("lte").asText()).isEqualTo("2002-01-02T00:00:00.000000Z");
        assertThat(f.get(1)).isEqualTo(json("{\"terms\":{\"tdr.status\":[\"FINISHED\",\"USER_BUSY\"]}}"));
        assertThat(f.get(2)).isEqualTo(json("{\"term\":{\"tdr.type\":\"call\"}}"));
        JsonNode users = f.get(3).path("bool").path("should");
        assertThat(users).hasSize(CallQueries.USER_FIELDS.size());
        assertThat(users.get(3)).as("digits also match the e.164 form")
                .isEqualTo(json("{\"terms\":{\"tdr.caller.number.e164\":[\"4930901820\",\"+4930901820\"]}}"));
        assertThat(f.get(4).path("bool").path("should").get(0)).isEqualTo(json("{\"terms\":{\"source.ip\":[\"10.1.1.1\"]}}"));
    }

    /**
     * The documents are what the collector writes for a B2BUA call (two legs linked by X-CID, a log
     * line, an RTCP report on leg B, both hung up): {@link CollectorFixtures#linkedCall()} runs its
     * traffic through the stages and the real writers. The store answers with them as Elasticsearch
     * would for this call (both legs' TDRs, every message of both); the expectations come from the
     * scenario's facts.
     */
    @Test
    void aCallWithItsLinkedLegAndItsMessagesInCaptureOrder() throws IOException {
        CollectorFixtures.LinkedCall c = CollectorFixtures.linkedCall();
        FakeStore store = new FakeStore();
        store.tdrHits = hits(c, true);
        store.messageHits = hits(c, false);
        ObjectNode out = new CallsResource(store, MAPPER).call(c.callA(), null, null);

        assertThat(out.path("call_ids").toString()).as("the requested leg first, then the one it links")
                .isEqualTo("[\"" + c.callA() + "\",\"" + c.callB() + "\"]");
        assertThat(out.path("tdrs")).hasSize(2);
        JsonNode msgs = out.path("messages");
        // in capture order: INVITE A, INVITE B (100 ms), 200 B, 200 A, the log, the RTCP, BYE A, BYE B, their 200s
        String invite = "INVITE " + c.requestUri();
        assertThat(msgs).extracting(m -> m.path("summary").asText()).containsExactly(invite, invite,
                "200 OK (INVITE)", "200 OK (INVITE)", c.logText().substring(0, c.logText().indexOf('\n')),
                "RTCP sr ssrc=" + c.rtcpSsrc() + " MOS " + r2(mos(c.rtcpLossPct(), c.rtcpJitterMs())) + " loss "
                        + r2(c.rtcpLossPct()) + "% jitter " + r2(c.rtcpJitterMs()) + " ms", "BYE sip:bob@10.2.2.2",
                "BYE sip:bob@10.3.3.3", "200 OK (BYE)", "200 OK (BYE)");
        assertThat(msgs).extracting(m -> m.path("call_id").asText()).containsExactly(c.callA(), c.callB(), c.callB(),
                c.callA(), c.callA(), c.callB(), c.callA(), c.callB(), c.callA(), c.callB());
        JsonNode first = msgs.get(0);
        assertThat(first.path("time").asText()).isEqualTo(iso(c.micros(c.inviteMs())));
        assertThat(first.path("raw").asText()).startsWith(invite + " SIP/2.0\r\n");
        assertThat(first.path("protocol").asText()).isEqualTo("sip");
        JsonNode answerA = msgs.get(3);
        assertThat(answerA.path("time").asText()).isEqualTo(iso(c.micros(c.answerMs())));
        assertThat(answerA.path("source").path("ip").asText()).as("the callee side of leg A").isEqualTo("10.2.2.2");
        assertThat(answerA.path("destination").path("port").asInt()).isEqualTo(5060);
        JsonNode log = msgs.get(4);
        assertThat(log.path("protocol").asText()).isEqualTo("log");
        assertThat(log.path("time").asText()).isEqualTo(iso(c.micros(c.logMs())));
        assertThat(log.path("capture_id").asLong()).isEqualTo(c.logCaptureId());
        assertThat(log.path("node").asText()).isEqualTo(c.logNode());
        JsonNode rtcp = msgs.get(5);
        assertThat(rtcp.path("time").asText()).isEqualTo(iso(c.micros(c.rtcpMs())));
        assertThat(rtcp.path("protocol").asText()).isEqualTo("rtcp");
        assertThat(out.path("truncated").asBoolean()).isFalse();

        JsonNode q = json(store.asked.get(1)[1]);
        assertThat(store.asked.get(1)[0]).isEqualTo(CallQueries.MESSAGE_INDICES);
        JsonNode range = q.path("query").path("bool").path("filter").get(0).path("range").path("@timestamp");
        long hour = 3_600_000_000L;
        assertThat(range.path("gte").asText()).as("an hour before the first start").isEqualTo(iso(c.micros(c.inviteMs()) - hour));
        assertThat(range.path("lte").asText()).as("an hour after the last end (leg B's BYE)")
                .isEqualTo(iso(c.micros(c.byeMs() + 10) + hour));
        assertThat(q.path("query").path("bool").path("should").get(0).path("terms").path("sip.call_id").toString())
                .isEqualTo("[\"" + c.callA() + "\",\"" + c.callB() + "\"]");
    }

    /** The written documents of one kind (TDRs or messages) as search hits. */
    private static String hits(CollectorFixtures.LinkedCall c, boolean tdrs) throws IOException {
        com.fasterxml.jackson.databind.node.ArrayNode out = MAPPER.createArrayNode();
        for (IndexRequest r : c.documents()) {
            if (r.index().startsWith("hep-tdr-") == tdrs) {
                ObjectNode hit = out.addObject();
                hit.put("_id", r.id());
                hit.put("_index", r.index());
                hit.set("_source", MAPPER.readTree(r.source()));
            }
        }
        return out.toString();
    }

    /** The MOS of a report on a G.711 stream (E-model, no delay): what the collector's RTCP documents carry. */
    private static double mos(double lossPct, double jitterMs) {
        return new io.hepstack.collector.qos.EModel().evaluate(io.hepstack.collector.qos.Codec.G711, lossPct, 1.0, 0, jitterMs).mos();
    }

    /** Message documents carry QoS figures with two decimals. */
    private static double r2(double v) {
        return Math.round(v * 100.0) / 100.0;
    }

    private static String iso(long micros) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(java.time.ZoneOffset.UTC)
                .format(java.time.Instant.ofEpochSecond(micros / 1_000_000, micros % 1_000_000 * 1000));
    }

    @Test
    void unknownCallsBadParametersAndElasticsearchFailuresAnswerWithTheirStatus() {
        FakeStore store = new FakeStore();
        CallsResource r = new CallsResource(store, MAPPER);
        assertThatThrownBy(() -> r.call("nothing@x", null, null)).isInstanceOf(WebApplicationException.class)
                .satisfies(e -> assertThat(((WebApplicationException) e).getResponse().getStatus()).isEqualTo(404));
        assertThatThrownBy(() -> r.call("a@x", 0, null)).satisfies(e -> assertThat(((WebApplicationException) e).getResponse().getStatus()).isEqualTo(400));
        assertThatThrownBy(() -> r.search(null, null, null, null, "10.1.1.300", null, null, null))
                .satisfies(e -> assertThat(((WebApplicationException) e).getResponse().getStatus()).isEqualTo(400));
        assertThatThrownBy(() -> r.search("yesterday", null, null, null, null, null, null, null))
                .satisfies(e -> assertThat(((WebApplicationException) e).getResponse().getStatus()).isEqualTo(400));
        store.failure = new IOException("connection refused");
        assertThatThrownBy(() -> r.search(null, null, null, null, null, null, null, null))
                .satisfies(e -> assertThat(((WebApplicationException) e).getResponse().getStatus()).isEqualTo(502));
    }

    @Test
    void searchTakesIsoOrEpochMillisAndNormalisesStatusAndAddress() throws IOException {
        FakeStore store = new FakeStore();
        store.tdrHits = "[{\"_source\":{\"tdr\":{\"call_id\":\"a@x\"}}}]";
        ObjectNode out = new CallsResource(store, MAPPER).search("1009879200000", "2002-01-01T11:00:00Z", "finished, user_busy",
                "alice", "2001:0db8::0001", "Call", 5, null);
        assertThat(out.path("total").asLong()).isEqualTo(1);
        assertThat(out.path("tdrs").get(0).path("tdr").path("call_id").asText()).isEqualTo("a@x");
        JsonNode f = json(store.asked.get(0)[1]).path("query").path("bool").path("filter");
        assertThat(f.get(0).path("range").path("@timestamp").path("gte").asText()).isEqualTo("2002-01-01T10:00:00.000000Z");
        assertThat(f.get(0).path("range").path("@timestamp").path("lte").asText()).isEqualTo("2002-01-01T11:00:00.000000Z");
        assertThat(f.get(1).path("terms").path("tdr.status").toString()).isEqualTo("[\"FINISHED\",\"USER_BUSY\"]");
        assertThat(f.get(2).path("term").path("tdr.type").asText()).isEqualTo("call");
        assertThat(f.get(4).path("bool").path("should").get(0).path("terms").path("source.ip").get(0).asText())
                .isEqualTo("2001:db8::1");
    }
}
