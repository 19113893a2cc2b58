package io.hepstack.collector.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.WebApplicationException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each way a search can fail to finish becomes an error answer, never a 200 (UiApiIT does it with a
 * silent server and a real Elasticsearch that runs out of time).
 */
class SearchGuardTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static SearchGuard answering(String json, String[] asked) {
        return new SearchGuard(new CallStore() {
            @Override
            public JsonNode search(String indices, String body) throws IOException {
                asked[0] = body;
                return MAPPER.readTree(json);
            }
        }, MAPPER, Duration.ofMillis(1500));
    }

    private static SearchGuard failing(IOException e) {
        return new SearchGuard((indices, body) -> {
            throw e;
        }, MAPPER, Duration.ofSeconds(1));
    }

    private static void assertAnswer(Runnable r, int status, boolean timedOut, String message) {
        assertThatThrownBy(r::run).isInstanceOf(WebApplicationException.class).satisfies(e -> {
            WebApplicationException w = (WebApplicationException) e;
            assertThat(w.getResponse().getStatus()).isEqualTo(status);
            @SuppressWarnings("unchecked")
            Map<String, Object> body = (Map<String, Object>) w.getResponse().getEntity();
            assertThat(body.get("timed_out")).isEqualTo(timedOut);
            assertThat((String) body.get("error")).contains(message);
        });
    }

    @Test
    void aCompleteAnswerPassesAndCarriedTheTimeout() {
        String[] asked = new String[1];
        JsonNode r = answering("{\"timed_out\":false,\"_shards\":{\"total\":2,\"failed\":0},\"hits\":{\"hits\":[]}}", asked)
                .search("hep-sip-*", MAPPER.createObjectNode().put("size", 1));
        assertThat(r.path("hits").isObject()).isTrue();
        assertThat(asked[0]).isEqualTo("{\"size\":1,\"timeout\":\"1500ms\"}");
    }

    @Test
    void timeoutsAndFailuresAreErrorAnswers() {
        String[] asked = new String[1];
        assertAnswer(() -> answering("{\"timed_out\":true,\"hits\":{\"hits\":[]}}", asked).search("x", MAPPER.createObjectNode()),
                504, true, "did not finish the search within 1500 ms");
        assertAnswer(() -> answering("{\"timed_out\":false,\"_shards\":{\"total\":3,\"failed\":1,\"failures\":[{\"reason\":"
                + "{\"type\":\"query_shard_exception\",\"reason\":\"bad\"}}]},\"hits\":{\"hits\":[]}}", asked)
                .search("x", MAPPER.createObjectNode()), 502, false, "1 of 3 shards failed: query_shard_exception: bad");
        assertAnswer(() -> answering("{\"error\":{\"root_cause\":[{\"type\":\"search_context_missing_exception\","
                + "\"reason\":\"No search context found for id [1]\"}]},\"status\":404}", asked)
                .search("x", MAPPER.createObjectNode()), 400, false, "expired");
        assertAnswer(() -> failing(new SocketTimeoutException("30,000 milliseconds timeout")).search("x", MAPPER.createObjectNode()),
                504, true, "did not answer in time");
        assertAnswer(() -> failing(new IOException("Connection refused")).search("x", MAPPER.createObjectNode()),
                502, false, "Connection refused");
    }
}
