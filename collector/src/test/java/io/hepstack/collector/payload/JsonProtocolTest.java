package io.hepstack.collector.payload;

import com.fasterxml.jackson.databind.JsonNode;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.pipeline.ParseFailure;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** JSON payloads of the HEP types no other protocol takes: objects, whole arrays, and text lines opening with '['. */
class JsonProtocolTest {

    private static final int AGENT_STATS = 60;
    private final JsonProtocol json = new JsonProtocol(PayloadTesting.MAPPER);

    private static HepPacket packet(String payload) {
        return PayloadTesting.viaHep(AGENT_STATS, payload.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aWholeArrayIsJsonKeptUnderPayloadJson() throws Exception {
        HepPacket p = packet("  [1, {\"a\": \"b\"}, null]\n");
        assertThat(json.accepts(p)).isTrue();
        JsonNode parsed = json.parse(p);
        assertThat(parsed.isArray()).isTrue();
        JsonNode doc = PayloadTesting.document(json, parsed, p);
        assertThat(doc.at("/payload/format").asText()).isEqualTo("json");
        assertThat(doc.at("/payload/json/1/a").asText()).isEqualTo("b");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[2026-01-01 10:00:00] INFO call ended", "[cfg:12] text", "[1] [2]", "[", "[1, 2"})
    void aLineOpeningWithABracketThatIsNotOneArrayIsTextNotAFailure(String line) throws Exception {
        HepPacket p = packet(line);
        assertThat(json.accepts(p)).isTrue();
        assertThat(json.parse(p)).isNull();
        JsonNode doc = PayloadTesting.document(json, null, p);
        assertThat(doc.at("/payload/format").asText()).isEqualTo("text");
        assertThat(doc.at("/message").asText()).isEqualTo(line);
    }

    @Test
    void anObjectThatDoesNotParseIsStillAJsonParseFailure() {
        assertThatThrownBy(() -> json.parse(packet("{\"a\": ")))
                .isInstanceOf(ParseFailure.class);
    }
}
