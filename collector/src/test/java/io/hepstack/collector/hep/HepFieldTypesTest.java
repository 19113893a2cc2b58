package io.hepstack.collector.hep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Accepted means stored: every {@code hep.*} field of index-templates/component/hep-base.json can
 * hold the largest value the decoder lets through for it, and the decoder rejects what would not fit.
 */
class HepFieldTypesTest {

    private static final long U8 = 0xff;
    private static final long U16 = 0xffff;
    private static final long U32 = 0xffff_ffffL;
    /** Keyword fields: the decoder rejects texts longer than this many UTF-8 bytes. */
    private static final long KEYWORD = -1;
    /** Fields the collector fills itself (names, flags, the peer's address). */
    private static final long OURS = -2;

    /** Each hep.* field and the largest value the decoder can give it. */
    private static final Map<String, Long> LARGEST = new LinkedHashMap<>();

    static {
        LARGEST.put("hep.version", 3L);
        LARGEST.put("hep.proto_type", U8);
        LARGEST.put("hep.proto_name", OURS);
        LARGEST.put("hep.capture_id", U32);
        LARGEST.put("hep.node", KEYWORD);
        LARGEST.put("hep.group", KEYWORD);
        LARGEST.put("hep.correlation_id", KEYWORD);
        LARGEST.put("hep.transport", OURS);
        LARGEST.put("hep.peer.ip", OURS);
        LARGEST.put("hep.peer.port", U16);
        LARGEST.put("hep.ip_family", (long) HepFieldLimits.MAX_BYTE_FIELD);
        LARGEST.put("hep.ip_protocol", U8);
        LARGEST.put("hep.vlan", U16);
        LARGEST.put("hep.tcp_flags", U8);
        LARGEST.put("hep.tos", U8);
        LARGEST.put("hep.ethernet_type", U16);
        LARGEST.put("hep.keep_alive", U16);
        LARGEST.put("hep.mos", U16);
        LARGEST.put("hep.r_factor", U16);
        LARGEST.put("hep.jitter", U32);
        LARGEST.put("hep.geo_location", KEYWORD);
        LARGEST.put("hep.transaction_type", KEYWORD);
        LARGEST.put("hep.payload_json_keys", KEYWORD);
        LARGEST.put("hep.tags", KEYWORD);
        LARGEST.put("hep.tag_type", U16);
        LARGEST.put("hep.event_type", U16);
        LARGEST.put("hep.payload_size", (long) Integer.MAX_VALUE); // an int in memory; inflation is bounded far below
        LARGEST.put("hep.compressed", OURS);
        LARGEST.put("hep.chunks.vendor", U16);
        LARGEST.put("hep.chunks.type", U16);
        LARGEST.put("hep.duplicate", OURS);
        LARGEST.put("source.port", U16);
        LARGEST.put("destination.port", U16);
    }

    private static Map<String, String> templateTypes() throws IOException {
        JsonNode t = new ObjectMapper().readTree(Path.of("../index-templates/component/hep-base.json").toFile());
        Map<String, String> out = new LinkedHashMap<>();
        collect("", t.path("template").path("mappings").path("properties"), out);
        return out;
    }

    private static void collect(String prefix, JsonNode properties, Map<String, String> out) {
        Iterator<Map.Entry<String, JsonNode>> it = properties.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().has("properties")) {
                collect(prefix + e.getKey() + ".", e.getValue().path("properties"), out);
            } else {
                out.put(prefix + e.getKey(), e.getValue().path("type").asText());
            }
        }
    }

    private static long maxOf(String esType) {
        return switch (esType) {
            case "byte" -> Byte.MAX_VALUE;
            case "short" -> Short.MAX_VALUE;
            case "integer" -> Integer.MAX_VALUE;
            case "long" -> Long.MAX_VALUE;
            default -> throw new AssertionError("not a number type: " + esType);
        };
    }

    @Test
    void everyHepFieldOfTheTemplateHoldsTheLargestValueTheDecoderLetsThrough() throws IOException {
        Map<String, String> types = templateTypes();
        for (String field : types.keySet()) {
            if (field.startsWith("hep.")) {
                assertThat(LARGEST).as("the decoder's limit for " + field + " is known to this test").containsKey(field);
            }
        }
        for (Map.Entry<String, Long> e : LARGEST.entrySet()) {
            String type = types.get(e.getKey());
            assertThat(type).as(e.getKey() + " is mapped").isNotNull();
            if (e.getValue() == KEYWORD) {
                assertThat(type).as(e.getKey()).isEqualTo("keyword");
            } else if (e.getValue() >= 0) {
                assertThat(maxOf(type)).as(e.getKey() + " (" + type + ") holds " + e.getValue()).isGreaterThanOrEqualTo(e.getValue());
            }
        }
    }

    @Test
    void anIpFamilyItsByteFieldCannotHoldIsRejectedWithAReason() {
        HepDecoder d = new HepDecoder();
        byte[] bad = RawHep.hep3().u8(0x01, 200).text(0x0f, "X").build();
        HepDecoderTest.assertRejectedBy(d, bad, HepDecodeException.Reason.BAD_CHUNK_VALUE, 6);
        byte[] edge = RawHep.hep3().u8(0x01, 127).text(0x0f, "X").build();
        assertThat(d.decode(edge, 0, edge.length).ipFamily).isEqualTo(127);
    }

    @Test
    void aTextChunkLongerThanAKeywordMayBeIsRejected() {
        HepDecoder d = new HepDecoder();
        byte[] fits = RawHep.hep3().text(0x13, "n".repeat(HepFieldLimits.MAX_KEYWORD_BYTES)).text(0x0f, "X").build();
        assertThat(d.decode(fits, 0, fits.length).nodeName).hasSize(HepFieldLimits.MAX_KEYWORD_BYTES);
        byte[] tooLong = RawHep.hep3().text(0x13, "n".repeat(HepFieldLimits.MAX_KEYWORD_BYTES + 1)).text(0x0f, "X").build();
        HepDecoderTest.assertRejectedBy(d, tooLong, HepDecodeException.Reason.BAD_CHUNK_VALUE, 6);
        // invalid UTF-8 grows threefold when decoded: 12,000 bytes of 0xff become 36,000 bytes of U+FFFD
        byte[] bad = new byte[12_000];
        java.util.Arrays.fill(bad, (byte) 0xff);
        byte[] grows = RawHep.hep3().chunk(0, 0x26, bad).text(0x0f, "X").build();
        HepDecoderTest.assertRejectedBy(d, grows, HepDecodeException.Reason.BAD_CHUNK_VALUE, 6);
    }
}
