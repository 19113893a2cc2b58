package io.hepstack.collector.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.WebApplicationException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The call API's queries and how it assembles their answers (Elasticsearch faked; see CallsApiIT for the real one). */
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

    @Test
    void aCallWithItsLinkedLegAndItsMessagesInCaptureOrder() throws IOException {
        FakeStore store = new FakeStore();
        store.tdrHits = """
                [{"_id":"t1","_source":{"tdr":{"call_id":"a@x","linked_call_ids":["b@y"],"start":"2002-01-01T10:00:00.000000Z",
                  "end":"2002-01-01T10:01:00.000000Z","messages":{"ids":["m2","m1","m3"]}}}}]""";
        store.messageHits = """
                [{"_id":"m3","_index":"hep-log-2002.01.01","_source":{"@timestamp":"2002-01-01T10:00:01Z","event":{"dataset":"hep.log"},
                   "call":{"id":"a@x"},"message":"call a@x answered\\nmore","hep":{"capture_id":7,"node":"n1"}}},
                 {"_id":"m1","_index":"hep-sip-2002.01.01","_source":{"@timestamp":"2002-01-01T10:00:00.5Z","event":{"dataset":"hep.sip",
                   "original":"SIP/2.0 200 OK\\r\\n"},"sip":{"type":"response","code":200,"status":"OK","cseq":{"code":1,"method":"INVITE"},"call_id":"a@x"},
                   "source":{"ip":"10.2.2.2","port":5060},"destination":{"ip":"10.1.1.1","port":5060}}},
                 {"_id":"m2","_index":"hep-sip-2002.01.01","_source":{"@timestamp":"2002-01-01T10:00:00.500000Z","event":{"dataset":"hep.sip",
                   "original":"INVITE sip:bob@x SIP/2.0\\r\\n"},"sip":{"type":"request","method":"INVITE","uri":{"original":"sip:bob@x"},
                   "call_id":"a@x"}}},
                 {"_id":"m4","_index":"hep-rtcp-2002.01.01","_source":{"@timestamp":"2002-01-01T10:00:30.000001Z",
                   "event":{"dataset":"hep.rtcp"},"call":{"id":"b@y"},"rtcp":{"type":"sr","ssrc":42,"format":"json"},
                   "qos":{"mos":4.1,"loss_pct":1.5,"jitter_ms":3.25}}}]""";
        ObjectNode out = new CallsResource(store, MAPPER).call("a@x", null, null);
        assertThat(out.path("call_ids").toString()).isEqualTo("[\"a@x\",\"b@y\"]");
        assertThat(out.path("tdrs")).hasSize(1);
        JsonNode msgs = out.path("messages");
        assertThat(msgs).extracting(m -> m.path("id").asText()).containsExactly("m2", "m1", "m3", "m4");
        assertThat(msgs.get(0).path("time").asText()).isEqualTo("2002-01-01T10:00:00.500000Z");
        assertThat(msgs.get(0).path("summary").asText()).isEqualTo("INVITE sip:bob@x");
        assertThat(msgs.get(0).path("raw").asText()).isEqualTo("INVITE sip:bob@x SIP/2.0\r\n");
        assertThat(msgs.get(1).path("summary").asText()).isEqualTo("200 OK (INVITE)");
        assertThat(msgs.get(1).path("source").path("ip").asText()).isEqualTo("10.2.2.2");
        assertThat(msgs.get(1).path("destination").path("port").asInt()).isEqualTo(5060);
        assertThat(msgs.get(3).path("summary").asText()).isEqualTo("RTCP sr ssrc=42 MOS 4.1 loss 1.5% jitter 3.25 ms");
        assertThat(msgs.get(3).path("call_id").asText()).isEqualTo("b@y");
        assertThat(msgs.get(3).path("time").asText()).isEqualTo("2002-01-01T10:00:30.000001Z");
        assertThat(msgs.get(2).path("summary").asText()).isEqualTo("call a@x answered");
        assertThat(msgs.get(2).path("protocol").asText()).isEqualTo("log");
        assertThat(msgs.get(2).path("time").asText()).isEqualTo("2002-01-01T10:00:01.000000Z");
        assertThat(msgs.get(2).path("capture_id").asLong()).isEqualTo(7);
        assertThat(out.path("truncated").asBoolean()).isFalse();

        JsonNode q = json(store.asked.get(1)[1]);
        assertThat(store.asked.get(1)[0]).isEqualTo(CallQueries.MESSAGE_INDICES);
        JsonNode range = q.path("query").path("bool").path("filter").get(0).path("range").path("@timestamp");
        assertThat(range.path("gte").asText()).as("an hour before the start").isEqualTo("2002-01-01T09:00:00.000000Z");
        assertThat(range.path("lte").asText()).as("an hour after the end").isEqualTo("2002-01-01T11:01:00.000000Z");
        assertThat(q.path("query").path("bool").path("should").get(0).path("terms").path("sip.call_id").toString())
                .isEqualTo("[\"a@x\",\"b@y\"]");
    }

    @Test
    void unknownCallsBadParametersAndElasticsearchFailuresAnswerWithTheirStatus() {
        FakeStore store = new FakeStore();
        CallsResource r = new CallsResource(store, MAPPER);
        assertThatThrownBy(() -> r.call("nothing@x", null, null)).isInstanceOf(WebApplicationException.class)
                .satisfies(e -> assertThat(((WebApplicationException) e).getResponse().getStatus()).isEqualTo(404));
        assertThatThrownBy(() -> r.call("a@x", 0, null)).satisfies(e -> assertThat(((WebApplicationException) e).getResponse().getStatus()).isEqualTo(400));
        assertThatThrownBy(() -> r.search(null, null, null, null, "10.1.1.300", null, null))
                .satisfies(e -> assertThat(((WebApplicationException) e).getResponse().getStatus()).isEqualTo(400));
        assertThatThrownBy(() -> r.search("yesterday", null, null, null, null, null, null))
                .satisfies(e -> assertThat(((WebApplicationException) e).getResponse().getStatus()).isEqualTo(400));
        store.failure = new IOException("connection refused");
        assertThatThrownBy(() -> r.search(null, null, null, null, null, null, null))
                .satisfies(e -> assertThat(((WebApplicationException) e).getResponse().getStatus()).isEqualTo(502));
    }

    @Test
    void searchTakesIsoOrEpochMillisAndNormalisesStatusAndAddress() throws IOException {
        FakeStore store = new FakeStore();
        store.tdrHits = "[{\"_source\":{\"tdr\":{\"call_id\":\"a@x\"}}}]";
        ObjectNode out = new CallsResource(store, MAPPER).search("1009879200000", "2002-01-01T11:00:00Z", "finished, user_busy",
                "alice", "2001:0db8::0001", "Call", 5);
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
