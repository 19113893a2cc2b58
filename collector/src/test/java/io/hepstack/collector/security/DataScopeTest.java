package io.hepstack.collector.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DataScopeTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void unrestrictedAddsNothing() throws Exception {
        assertThat(DataScope.UNRESTRICTED.filter(DataScope.Target.TDRS)).isEmpty();
        ObjectNode body = (ObjectNode) MAPPER.readTree("{\"query\":{\"match_all\":{}}}");
        assertThat(DataScope.UNRESTRICTED.restrict(body, DataScope.Target.MESSAGES).toString()).isEqualTo("{\"query\":{\"match_all\":{}}}");
    }

    @Test
    void eachDimensionNamesTheFieldsItsTargetWrites() throws Exception {
        DataScope s = new DataScope(Set.of(2001), Set.of("sbc-1"), Set.of("example.com"), List.of("10.1.0.0/16"), List.of("+4420"));
        JsonNode tdr = MAPPER.readTree(s.filter(DataScope.Target.TDRS).orElseThrow()).path("bool").path("filter");
        assertThat(tdr).hasSize(5);
        assertThat(tdr.toString()).contains("{\"terms\":{\"tdr.capture_ids\":[\"2001\"]}}", "{\"terms\":{\"tdr.nodes\":[\"sbc-1\"]}}",
                "{\"terms\":{\"tdr.caller.domain\":[\"example.com\"]}}", "{\"terms\":{\"tdr.callee.ip\":[\"10.1.0.0/16\"]}}",
                "{\"prefix\":{\"tdr.caller.number.e164\":\"+4420\"}}", "{\"prefix\":{\"tdr.callee.user\":\"4420\"}}");
        String msg = s.filter(DataScope.Target.MESSAGES).orElseThrow();
        assertThat(msg).contains("hep.capture_id", "hep.node", "sip.from.uri.host", "source.ip", "sip.to.number.e164");
    }

    @Test
    void aDimensionAnAlertDoesNotCarryMatchesNothing() throws Exception {
        DataScope byNode = new DataScope(null, Set.of("sbc-1"), null, null, null);
        assertThat(MAPPER.readTree(byNode.filter(DataScope.Target.ALERTS).orElseThrow()).toString())
                .isEqualTo("{\"bool\":{\"filter\":[{\"match_none\":{}}]}}");
    }

    @Test
    void restrictKeepsTheQueryAndAddsTheFilter() throws Exception {
        DataScope s = new DataScope(Set.of(7), null, null, null, null);
        ObjectNode body = (ObjectNode) MAPPER.readTree("{\"size\":5,\"query\":{\"term\":{\"a\":1}}}");
        JsonNode q = s.restrict(body, DataScope.Target.TDRS).path("query").path("bool");
        assertThat(q.path("must").get(0).toString()).isEqualTo("{\"term\":{\"a\":1}}");
        assertThat(q.path("filter").get(0).toString()).contains("tdr.capture_ids");
        assertThat(body.path("size").asInt()).isEqualTo(5);
    }

    @Test
    void badRangesAreRefused() {
        assertThatThrownBy(() -> new DataScope(null, null, null, List.of("10.1.0.1/16"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host bits");
    }
}
