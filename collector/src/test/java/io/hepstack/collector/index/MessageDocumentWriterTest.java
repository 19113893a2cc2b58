package io.hepstack.collector.index;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.collector.document.LeanDefaults;
import io.hepstack.collector.document.MessageFields;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.parse.ParseStage;
import io.hepstack.collector.pipeline.Transport;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Documents of hand-made messages, read back with Jackson: the fields the hot-path rewrite touched
 * (raw text from bytes, Via arrays, constants, the HEP sender, JSON payloads) carry what the
 * message says.
 */
class MessageDocumentWriterTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final io.hepstack.collector.testing.Parsing parse = new io.hepstack.collector.testing.Parsing();
    private final MessageDocumentWriter writer = new MessageDocumentWriter(MessageFields.FULL);
    private final MessageDocumentWriter lean = new MessageDocumentWriter();

    private static HepPacket packet(int type, String payload, String src, String dst) {
        HepPacket p = new HepPacket();
        p.version = 3;
        p.ipFamily = HepPacket.AF_INET;
        p.ipProtocol = 17;
        p.srcIp = ip(src);
        p.dstIp = ip(dst);
        p.srcPort = 5060;
        p.dstPort = 5062;
        p.timeSeconds = 1_767_225_600L;
        p.timeMicros = 42;
        p.protoType = type;
        p.captureId = 2001;
        p.payload = payload.getBytes(StandardCharsets.UTF_8);
        return p;
    }

    private static byte[] ip(String dotted) {
        String[] parts = dotted.split("\\.");
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            b[i] = (byte) Integer.parseInt(parts[i]);
        }
        return b;
    }

    private JsonNode document(HepPacket p, InetSocketAddress peer) throws IOException {
        return document(writer, p, peer);
    }

    private JsonNode document(MessageDocumentWriter w, HepPacket p, InetSocketAddress peer) throws IOException {
        CapturedMessage m = new CapturedMessage(p, Transport.UDP, peer);
        parse.parse(m);
        return MAPPER.readTree(w.write(m));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void sipRequestCarriesItsOwnText() throws IOException {
        String sip = "INVITE sip:+442071838750@sbc.example.net;user=phone SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-1, SIP/2.0/TCP proxy.example.net;branch=z9hG4bK-2\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-1;received=198.51.100.7\r\n"
                + "From: \"Zoë \\\"Z\\\"\" <sip:zoe@example.com>;tag=a1\r\nTo: <sip:+442071838750@sbc.example.net>\r\n"
                + "Call-ID: c1@example.com\r\nCSeq: 7 INVITE\r\nAllow: INVITE, ACK\r\nAllow: BYE\r\nContent-Length: 0\r\n\r\n";
        JsonNode d = document(packet(1, sip, "192.0.2.10", "198.51.100.7"), new InetSocketAddress("127.0.0.9", 40000));
        assertThat(d.at("/event/original").asText()).isEqualTo(sip); // non-ASCII: the String path
        assertThat(d.at("/event/dataset").asText()).isEqualTo("hep.sip");
        assertThat(d.at("/event/action").asText()).isEqualTo("sip-invite"); // Packetbeat's
        assertThat(d.at("/sip/method").asText()).isEqualTo("INVITE");
        assertThat(d.at("/sip/cseq/method").asText()).isEqualTo("INVITE");
        assertThat(d.at("/@timestamp").asText()).isEqualTo("2026-01-01T00:00:00.000042Z");
        assertThat(d.at("/network/iana_number").asText()).isEqualTo("17");
        assertThat(d.at("/sip/uri/original").asText()).isEqualTo("sip:+442071838750@sbc.example.net;user=phone");
        assertThat(d.at("/sip/from/display_info").asText()).isEqualTo("Zoë \"Z\"");
        assertThat(texts(d.at("/sip/via/original"))).containsExactly("SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-1",
                "SIP/2.0/TCP proxy.example.net;branch=z9hG4bK-2", "SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-1;received=198.51.100.7");
        assertThat(texts(d.at("/sip/via/branch"))).containsExactly("z9hG4bK-1", "z9hG4bK-2");
        assertThat(texts(d.at("/sip/via/host"))).containsExactly("192.0.2.10", "proxy.example.net");
        assertThat(texts(d.at("/sip/via/transport"))).containsExactly("UDP", "TCP");
        assertThat(texts(d.at("/sip/via/received"))).containsExactly("198.51.100.7");
        assertThat(d.at("/sip/allow").asText()).isEqualTo("INVITE, ACK, BYE");
        assertThat(d.at("/hep/peer/ip").asText()).isEqualTo("127.0.0.9");
    }

    @Test
    void aResponseHasTheMethodItAnswersOnlyInCseqAndAsciiTextIsKeptByteForByte() throws IOException {
        String sip = "SIP/2.0 486 Busy Here\r\nVia: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK-1\r\nFrom: <sip:a@b>;tag=1\r\n"
                + "To: <sip:c@d>;tag=2\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\nUser-Agent: tab\there \"q\" back\\slash\r\n"
                + "Content-Length: 0\r\n\r\n";
        JsonNode d = document(packet(1, sip, "198.51.100.7", "192.0.2.10"), new InetSocketAddress("127.0.0.1", 1));
        // Packetbeat: sip.method on requests only; the answered method in sip.cseq.method; the action of the dialog's method
        assertThat(d.at("/event/action").asText()).isEqualTo("sip-invite");
        assertThat(d.at("/sip/method").isMissingNode()).isTrue();
        assertThat(d.at("/sip/cseq/method").asText()).isEqualTo("INVITE");
        assertThat(d.at("/sip/type").asText()).isEqualTo("response");
        assertThat(d.at("/event/original").asText()).isEqualTo(sip);
        assertThat(d.at("/sip/code").asInt()).isEqualTo(486);
        assertThat(d.at("/sip/via/received").isMissingNode()).isTrue(); // no value: no array
    }

    @Test
    void theSenderAddressFollowsEachMessage() throws IOException {
        String sip = "OPTIONS sip:x@y SIP/2.0\r\nCall-ID: o\r\nContent-Length: 0\r\n\r\n";
        String[] peers = {"127.0.0.2", "127.0.0.2", "10.1.2.3", "127.0.0.2"};
        for (String peer : peers) {
            JsonNode d = document(packet(1, sip, "192.0.2.1", "192.0.2.2"), new InetSocketAddress(peer, 9));
            assertThat(d.at("/hep/peer/ip").asText()).isEqualTo(peer);
        }
    }

    @Test
    void logLineInJsonIsWrittenAsATree() throws IOException {
        String json = "{\"level\":\"info\",\"msg\":\"call \\\"ended\\\"\",\"n\":[1,2.5,null,true]}";
        HepPacket p = packet(HepPacket.PROTO_LOG, json, "192.0.2.1", "192.0.2.2");
        p.correlationId = "c1@example.com";
        JsonNode d = document(p, null);
        assertThat(d.at("/payload/format").asText()).isEqualTo("json");
        assertThat(d.at("/payload/json")).isEqualTo(MAPPER.readTree(json));
        assertThat(d.at("/message").asText()).isEqualTo("call \"ended\""); // its msg; the event whole is event.original
        assertThat(d.at("/event/original").asText()).isEqualTo(json);
        assertThat(d.at("/log/level").asText()).isEqualTo("info");
        assertThat(d.at("/call/id").asText()).isEqualTo("c1@example.com");
        assertThat(d.at("/event/dataset").asText()).isEqualTo("hep.log");
    }

    @Test
    void plainLogLineIsText() throws IOException {
        String line = "ERROR: <core> [core/x.c:1]: tab\there, quote \" ü\n";
        JsonNode d = document(packet(HepPacket.PROTO_LOG, line, "192.0.2.1", "192.0.2.2"), null);
        assertThat(d.at("/payload/format").asText()).isEqualTo("text");
        // a Kamailio line: level and module read, the rest is the message, the line whole is event.original
        assertThat(d.at("/message").asText()).isEqualTo("[core/x.c:1]: tab\there, quote \" ü");
        assertThat(d.at("/event/original").asText()).isEqualTo(line);
        assertThat(d.at("/log/level").asText()).isEqualTo("err");
        assertThat(d.at("/log/logger").asText()).isEqualTo("core");

        String unknown = "[cfg:12] tab\there, quote \" ü\n";
        JsonNode u = document(packet(HepPacket.PROTO_LOG, unknown, "192.0.2.1", "192.0.2.2"), null);
        assertThat(u.at("/message").asText()).isEqualTo(unknown); // unknown text: whole, as before
        assertThat(u.at("/event/original").isMissingNode()).isTrue();
        assertThat(u.at("/event/outcome").asText()).isEqualTo("success");
    }

    @Test
    void aLeanSipDocumentKeepsTheRawTextAndWhatQueriesReadNotWhatTheTextRepeats() throws IOException {
        String sip = "INVITE sip:+442071838750@sbc.example.net;user=phone SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-1\r\n"
                + "From: \"Zoë\" <sip:zoe@example.com;user=phone>;tag=a1\r\nTo: <sip:+442071838750@sbc.example.net>\r\n"
                + "Contact: <sip:zoe@192.0.2.10:5060>\r\nCall-ID: c1@example.com\r\nCSeq: 7 INVITE\r\n"
                + "Allow: INVITE, ACK\r\nContent-Type: application/sdp\r\nContent-Length: 0\r\n\r\n";
        JsonNode d = document(lean, packet(1, sip, "192.0.2.10", "198.51.100.7"), new InetSocketAddress("127.0.0.9", 40000));
        assertThat(d.at("/event/original").asText()).as("without the CRs of its CRLFs").isEqualTo(sip.replace("\r\n", "\n"));
        assertThat(io.hepstack.collector.document.RawText.original(d)).isEqualTo(sip);
        assertThat(d.at("/event/dataset").asText()).isEqualTo("hep.sip");
        assertThat(d.at("/sip/method").asText()).isEqualTo("INVITE");
        assertThat(d.at("/sip/cseq/code").asInt()).isEqualTo(7);
        assertThat(d.at("/sip/cseq/method").isMissingNode()).as("a request's CSeq names its own method").isTrue();
        assertThat(LeanDefaults.cseqMethod(d.path("sip"))).isEqualTo("INVITE");
        assertThat(d.at("/sip/uri/original").asText()).isEqualTo("sip:+442071838750@sbc.example.net;user=phone");
        assertThat(d.at("/sip/from/uri/username").asText()).isEqualTo("zoe");
        assertThat(d.at("/sip/from/uri/host").asText()).isEqualTo("example.com");
        assertThat(d.at("/sip/content_type").isMissingNode()).as("the raw text has it").isTrue();
        assertThat(LeanDefaults.contentType(d)).isEqualTo("application/sdp");
        assertThat(d.at("/network").isMissingNode()).as("udp, the usual transport, and nothing else to say").isTrue();
        assertThat(LeanDefaults.networkTransport(d)).isEqualTo("udp");
        assertThat(LeanDefaults.sipType(d.path("sip"))).isEqualTo("request");
        assertThat(d.at("/hep/capture_id").asInt()).isEqualTo(2001);
        // repeated by the raw text or another field, or read by nothing: full documents only
        for (String gone : List.of("/event/action", "/event/ingested", "/network/iana_number", "/network/protocol",
                "/hep/version", "/hep/proto_name", "/hep/peer", "/hep/payload_size", "/sip/type", "/sip/version", "/sip/from/display_info",
                "/sip/from/uri/original", "/sip/from/uri/user_param", "/sip/from/tag", "/sip/via", "/sip/contact", "/sip/allow",
                "/sip/content_length")) {
            assertThat(d.at(gone).isMissingNode()).as(gone).isTrue();
        }
    }

    @Test
    void withoutTheRawTextALeanSipDocumentKeepsTheVias() throws Exception {
        io.hepstack.collector.payload.SipProtocol noRaw = new io.hepstack.collector.payload.SipProtocol(false);
        String sip = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK-1\r\nFrom: <sip:a@b>;tag=1\r\n"
                + "To: <sip:c@d>;tag=2\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";
        CapturedMessage m = new CapturedMessage(packet(1, sip, "198.51.100.7", "192.0.2.10"), Transport.UDP, null);
        java.io.StringWriter out = new java.io.StringWriter();
        com.fasterxml.jackson.core.JsonGenerator g = MAPPER.getFactory().createGenerator(out);
        g.writeStartObject();
        noRaw.write(noRaw.parse(m.hep), m, g, MessageFields.LEAN);
        g.writeEndObject();
        g.close();
        JsonNode d = MAPPER.readTree(out.toString());
        // the call ladder tells copies of a message by its Vias and tags when there is no raw text
        assertThat(texts(d.at("/sip/via/original"))).containsExactly("SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK-1");
        assertThat(d.at("/sip/from/tag").asText()).isEqualTo("1");
        assertThat(d.at("/sip/to/tag").asText()).isEqualTo("2");
        assertThat(d.at("/sip/via/branch").isMissingNode()).isTrue();
    }

    @Test
    void aLeanLogDocumentHoldsTheLineOnceAndTheCallIdOnce() throws IOException {
        String line = "ERROR: <core> [core/x.c:1]: it failed\n";
        HepPacket p = packet(HepPacket.PROTO_LOG, line, "192.0.2.1", "192.0.2.2");
        p.correlationId = "c1@example.com";
        JsonNode d = document(lean, p, null);
        assertThat(d.at("/message").asText()).isEqualTo("[core/x.c:1]: it failed");
        assertThat(d.at("/log/level").asText()).isEqualTo("err");
        assertThat(d.at("/log/logger").asText()).isEqualTo("core");
        assertThat(d.at("/event/original").isMissingNode()).isTrue(); // full: the line a second time
        assertThat(d.at("/call/id").asText()).isEqualTo("c1@example.com");
        assertThat(d.at("/hep/correlation_id").isMissingNode()).isTrue(); // full: the same value a second time

        JsonNode full = document(p, null);
        assertThat(full.at("/event/original").asText()).isEqualTo(line);
        assertThat(full.at("/hep/correlation_id").asText()).isEqualTo("c1@example.com");

        String unknown = "[cfg:12] not a known format\n";
        JsonNode u = document(lean, packet(HepPacket.PROTO_LOG, unknown, "192.0.2.1", "192.0.2.2"), null);
        assertThat(u.at("/message").asText()).isEqualTo(unknown); // kept whole, once
    }
}
