package io.hepstack.collector.document;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.collector.index.MessageDocumentWriter;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.Transport;
import io.hepstack.collector.testing.HepPackets;
import io.hepstack.collector.testing.Parsing;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class RawTextTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void onlyTextWhoseEveryLineEndIsCrlfIsStoredWithoutItsCrs() {
        assertThat(stripped("INVITE sip:a@b SIP/2.0\r\nCall-ID: x\r\n\r\n")).isEqualTo("INVITE sip:a@b SIP/2.0\nCall-ID: x\n\n");
        assertThat(stripped("")).isEmpty();
        assertThat(stripped("no line end")).isEqualTo("no line end");
        assertThat(stripped("\r\n")).isEqualTo("\n");
        assertThat(stripped("a\r\nb\nc\r\n")).as("a bare LF").isNull();
        assertThat(stripped("a\r\nb\rc\r\n")).as("a lone CR").isNull();
        assertThat(stripped("a\r\n\r")).as("a CR at the end").isNull();
        assertThat(stripped("\na")).as("an LF first").isNull();
        assertThat(stripped("a\r\r\n")).as("CR CR LF").isNull();
    }

    @Test
    void strippingAndRestoringGivesBackEveryAcceptedTextByteForByte() {
        Random random = new Random(7);
        byte[] alphabet = bytes("ab\r\n:;\u00e9");
        int accepted = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[random.nextInt(12)];
            for (int j = 0; j < b.length; j++) {
                b[j] = alphabet[random.nextInt(alphabet.length)];
            }
            byte[] into = new byte[b.length];
            int n = RawText.stripCr(b, into);
            String text = new String(b, StandardCharsets.ISO_8859_1);
            boolean crlfOnly = !text.replace("\r\n", "").contains("\r") && !text.replace("\r\n", "").contains("\n");
            assertThat(n >= 0).as("%s", text).isEqualTo(crlfOnly);
            if (n < 0) {
                continue;
            }
            accepted++;
            String stored = new String(into, 0, n, StandardCharsets.ISO_8859_1);
            assertThat(stored).doesNotContain("\r");
            assertThat(RawText.restore(stored)).isEqualTo(new String(b, StandardCharsets.ISO_8859_1));
        }
        assertThat(accepted).isGreaterThan(1_000);
        assertThat(RawText.restore("a\r\nb\nc")).as("a CRLF stays one").isEqualTo("a\r\nb\r\nc");
        assertThat(RawText.restore("\n\n")).isEqualTo("\r\n\r\n");
    }

    /** The documents the writer makes: lean without the CRs or marked as captured, full as captured; the reader gives the captured text of each. */
    /**
     * The one-pass escape writes what Jackson's generator writes for the stripped text (every ASCII
     * byte, control bytes and 0x7f included), and refuses what the slower path handles.
     */
    @Test
    void theOnePassEscapeIsWhatTheGeneratorWritesForTheStrippedText() throws Exception {
        Random random = new Random(11);
        byte[] into = new byte[64];
        int compared = 0;
        for (int i = 0; i < 50_000; i++) {
            byte[] b = new byte[random.nextInt(40)];
            for (int k = 0; k < b.length; k++) {
                int r = random.nextInt(10);
                // mostly CRLFs and printable text, now and then any ASCII byte
                b[k] = (byte) (r < 2 ? '\r' : r < 4 ? '\n' : r < 8 ? 'a' + random.nextInt(26) : random.nextInt(128));
            }
            if (random.nextInt(4) == 0) { // make its line ends CRLFs
                b = new String(b, StandardCharsets.US_ASCII).replace("\r", "").replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII);
            }
            int n = RawText.jsonWithoutCrs(b, b.length, into);
            if (n == RawText.NO_ROOM) {
                into = new byte[6 * b.length];
                n = RawText.jsonWithoutCrs(b, b.length, into);
            }
            String stripped = stripped(new String(b, StandardCharsets.US_ASCII));
            if (stripped == null) {
                assertThat(n).as("line ends other than CRLF").isEqualTo(RawText.NOT_CRLF);
                continue;
            }
            String json = MAPPER.writeValueAsString(stripped);
            assertThat(new String(into, 0, n, StandardCharsets.US_ASCII)).isEqualTo(json.substring(1, json.length() - 1));
            compared++;
        }
        assertThat(compared).isGreaterThan(10_000);
        byte[] utf8 = "a\r\nM\u00fcller\r\n".getBytes(StandardCharsets.UTF_8);
        assertThat(RawText.jsonWithoutCrs(utf8, utf8.length, new byte[100])).isEqualTo(RawText.NOT_ASCII);
        byte[] plain = "0123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(RawText.jsonWithoutCrs(plain, plain.length, new byte[9])).isEqualTo(RawText.NO_ROOM);
        byte[] control = {'a', 1};
        assertThat(RawText.jsonWithoutCrs(control, 2, new byte[6])).isEqualTo(RawText.NO_ROOM);
        assertThat(RawText.jsonWithoutCrs(control, 2, new byte[7])).isEqualTo(7);
    }

    @Test
    void everyDocumentGivesItsReaderTheCapturedText() throws Exception {
        String crlf = "OPTIONS sip:a@example.net SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\nFrom: <sip:b@example.net>;tag=1\r\n"
                + "To: <sip:a@example.net>\r\nCall-ID: raw-text@192.0.2.1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
        String bareLf = crlf.replace("\r\n", "\n");
        String mixed = crlf.replaceFirst("\r\n", "\n");
        for (String text : List.of(crlf, bareLf, mixed)) {
            CapturedMessage m = parsed(text);
            JsonNode lean = MAPPER.readTree(new MessageDocumentWriter(MessageFields.LEAN).write(m));
            JsonNode full = MAPPER.readTree(new MessageDocumentWriter(MessageFields.FULL).write(m));
            assertThat(m.parseError).as(text).isNull();
            assertThat(full.at("/event/original").asText()).isEqualTo(text);
            assertThat(full.at("/hep/raw_as_captured").isMissingNode()).isTrue();
            assertThat(RawText.original(full)).isEqualTo(text);
            assertThat(RawText.original(lean)).isEqualTo(text);
            assertThat(StoredPackets.sipPayload(lean)).isEqualTo(bytes(text));
            if (text.equals(crlf)) {
                assertThat(lean.at("/event/original").asText()).isEqualTo(bareLf);
                assertThat(lean.at("/hep/raw_as_captured").isMissingNode()).isTrue();
            } else {
                assertThat(lean.at("/event/original").asText()).isEqualTo(text);
                assertThat(lean.at("/hep/raw_as_captured").asBoolean()).isTrue();
            }
        }
        // a lean document of an earlier version kept its CRs: read as it is
        JsonNode earlier = MAPPER.readTree("{\"event\":{\"dataset\":\"hep.sip\",\"original\":" + MAPPER.writeValueAsString(mixed) + "}}");
        assertThat(RawText.original(earlier)).isEqualTo(mixed);
    }

    private static CapturedMessage parsed(String text) {
        CapturedMessage m = new CapturedMessage(HepPackets.sip(text), Transport.UDP, null);
        new Parsing().parse(List.of(m));
        return m;
    }

    /** {@link RawText#stripCr} as text; null when it refused. */
    private static String stripped(String s) {
        byte[] into = new byte[s.length()];
        int n = RawText.stripCr(bytes(s), into);
        return n < 0 ? null : new String(into, 0, n, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
