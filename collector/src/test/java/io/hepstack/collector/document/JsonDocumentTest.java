package io.hepstack.collector.document;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The reused generator and buffer of {@link JsonDocument}: every document stands alone, whatever came before. */
class JsonDocumentTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** What Jackson writes for {@code {"f": new String(bytes, UTF_8)}} with a fresh generator: the reference. */
    private static byte[] reference(byte[] value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("f", new String(value, StandardCharsets.UTF_8));
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static byte[] utf8Document(JsonDocument doc, byte[] value) throws IOException {
        JsonGenerator g = doc.begin();
        JsonDocument.utf8(g, "f", value);
        return doc.end();
    }

    @Test
    void consecutiveDocumentsAreSeparateObjectsWithoutSeparator() throws IOException {
        JsonDocument doc = new JsonDocument();
        JsonGenerator g = doc.begin();
        g.writeStringField("a", "one");
        g.writeNumberField("n", 1);
        byte[] first = doc.end();
        g = doc.begin();
        g.writeStringField("b", "two");
        byte[] second = doc.end();
        assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo("{\"a\":\"one\",\"n\":1}");
        assertThat(new String(second, StandardCharsets.UTF_8)).isEqualTo("{\"b\":\"two\"}");
    }

    @Test
    void everyNameIsWrittenAsItselfHoweverManyShareACacheSlot() throws IOException {
        // 6,000 names: more than the cache's slots and its map's bound, so names share slots, evict
        // each other and some are written uncached; the same name objects come back as literals do
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 6000; i++) {
            names.add(("n" + i + "_" + Integer.toString(i * 7919, 36)).intern());
        }
        JsonDocument doc = new JsonDocument();
        Random random = new Random(3);
        for (int round = 0; round < 30; round++) {
            List<String> some = new ArrayList<>(names.subList(0, round % 2 == 0 ? 300 : names.size()));
            Collections.shuffle(some, random);
            some = some.subList(0, 200);
            JsonGenerator g = doc.begin();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (JsonGenerator plain = new JsonFactory().createGenerator(out)) {
                plain.writeStartObject();
                for (String name : some) {
                    g.writeNumberField(name, name.length());
                    plain.writeNumberField(name, name.length());
                }
                plain.writeEndObject();
            }
            assertThat(new String(doc.end(), StandardCharsets.UTF_8)).isEqualTo(out.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aLentDocumentIsTheSameBytesAsTheCopyAndIsReplacedByTheNext() throws IOException {
        JsonDocument doc = new JsonDocument();
        JsonGenerator g = doc.begin();
        g.writeStringField("a", "one");
        JsonDocument lent = doc.finish();
        assertThat(new String(lent.bytes(), 0, lent.length(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":\"one\"}");
        assertThat(lent.toByteArray()).isEqualTo("{\"a\":\"one\"}".getBytes(StandardCharsets.UTF_8));
        g = doc.begin();
        g.writeNumberField("n", 22);
        lent = doc.finish();
        assertThat(new String(lent.bytes(), 0, lent.length(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":22}");
        byte[] merged = "{\"merged\":true}".getBytes(StandardCharsets.UTF_8);
        assertThat(doc.finish(merged).toByteArray()).isEqualTo(merged);
    }

    @Test
    void asciiBytesAreEscapedExactlyAsTheStringPath() throws IOException {
        byte[] all = new byte[128];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i; // every control byte, quote, backslash, slash, DEL
        }
        JsonDocument doc = new JsonDocument();
        assertThat(utf8Document(doc, all)).isEqualTo(reference(all));
        byte[] sip = "INVITE sip:a@b SIP/2.0\r\nFrom: \"A \\\"B\\\"\" <sip:a@b>\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(utf8Document(doc, sip)).isEqualTo(reference(sip));
        assertThat(MAPPER.readTree(utf8Document(doc, sip)).get("f").asText()).isEqualTo(new String(sip, StandardCharsets.US_ASCII));
    }

    @Test
    void nonAsciiAndMalformedUtf8AreDecodedAsNewStringDoes() throws IOException {
        JsonDocument doc = new JsonDocument();
        byte[] utf8 = "From: Zoë 日本 <sip:z@x>".getBytes(StandardCharsets.UTF_8);
        assertThat(utf8Document(doc, utf8)).isEqualTo(reference(utf8));
        byte[] broken = {'a', (byte) 0xc3, 'b', (byte) 0xff, 'c'};
        assertThat(utf8Document(doc, broken)).isEqualTo(reference(broken));
        assertThat(MAPPER.readTree(utf8Document(doc, broken)).get("f").asText()).isEqualTo("a\uFFFDb\uFFFDc");
    }

    @Test
    void aDocumentAbandonedHalfWayDoesNotLeakIntoTheNext() throws IOException {
        JsonDocument doc = new JsonDocument();
        JsonGenerator g = doc.begin();
        g.writeObjectFieldStart("open");
        g.writeStringField("x", "y"); // the caller fails here and never calls end()
        g = doc.begin();
        g.writeStringField("ok", "yes");
        assertThat(new String(doc.end(), StandardCharsets.UTF_8)).isEqualTo("{\"ok\":\"yes\"}");
    }

    @Test
    void writesParsedJsonTrees() throws IOException {
        JsonNode tree = MAPPER.readTree("{\"level\":\"info\",\"n\":[1,2.5,null,true],\"o\":{}}");
        JsonDocument doc = new JsonDocument();
        JsonGenerator g = doc.begin();
        g.writeFieldName("json");
        g.writeTree(tree);
        assertThat(MAPPER.readTree(doc.end()).get("json")).isEqualTo(tree);
    }

    @Test
    void aHugeDocumentDoesNotSpoilTheNextOnes() throws IOException {
        JsonDocument doc = new JsonDocument();
        byte[] big = new byte[3 << 20];
        java.util.Arrays.fill(big, (byte) 'x');
        byte[] first = utf8Document(doc, big);
        assertThat(first.length).isEqualTo(big.length + "{\"f\":\"\"}".length());
        assertThat(utf8Document(doc, "small".getBytes(StandardCharsets.US_ASCII))).isEqualTo(reference("small".getBytes(StandardCharsets.US_ASCII)));
    }
}
