package io.hepstack.bench;

import io.hepstack.collector.hep.HepChunk;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.index.IndexRequest;
import io.hepstack.collector.index.MessageDocumentWriter;
import io.hepstack.collector.pcap.PcapPacket;
import io.hepstack.collector.pcap.PcapReader;
import io.hepstack.collector.pcap.TcpStreamReassembler;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.Stages;
import io.hepstack.collector.pipeline.Transport;
import io.hepstack.collector.protocol.sip.SipStreamFramer;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes the index, id and document of every message the benchmarks use, and of more unusual input
 * (every SIP message of the shared test captures, hand-made edge cases: folding, UTF-8 and broken
 * UTF-8, control bytes, quotes, JSON and binary payloads, IPv6, MACs, vendor chunks), one line per
 * message, then every TDR the correlator wrote, with {@code event.ingested} masked. Run it with two builds of the collector and diff
 * the outputs to show that a change to the hot path left every document byte-identical:
 *
 * <pre>java -cp bench/target/benchmarks.jar io.hepstack.bench.DocumentDump out.txt</pre>
 */
public final class DocumentDump {

    private DocumentDump() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: DocumentDump output.txt");
            System.exit(2);
        }
        List<HepPacket> packets = new ArrayList<>();
        packets.addAll(BenchData.decoded(BenchData.Source.CAPTURES));
        packets.addAll(BenchData.decoded(BenchData.Source.HEPGEN));
        packets.addAll(sharedCaptures());
        packets.addAll(edgeCases());
        long documents = 0;
        try (PipelineFixture fixture = new PipelineFixture(true);
             PrintWriter out = new PrintWriter(new BufferedWriter(Files.newBufferedWriter(Path.of(args[0]))))) {
            fixture.sink.keptRecords = new ArrayList<>();
            MessageDocumentWriter writer = fixture.documentWriter();
            Stages stages = fixture.prepare();
            InetSocketAddress agent = new InetSocketAddress("127.0.0.1", 40000);
            for (HepPacket p : packets) {
                CapturedMessage m = new CapturedMessage(p, Transport.UDP, agent);
                stages.process(List.of(m));
                String doc;
                try {
                    doc = new String(writer.write(m), StandardCharsets.UTF_8).replaceFirst("\"ingested\":\\d+", "\"ingested\":0");
                } catch (RuntimeException e) {
                    doc = "FAILED " + e;
                }
                out.println(m.index + " " + m.id + " " + doc);
                documents++;
            }
            stages.flush(); // the correlator writes what it still holds
            for (IndexRequest r : fixture.sink.keptRecords) {
                out.println(r.index() + " " + r.id() + " v" + r.externalVersion() + " "
                        + new String(r.source(), StandardCharsets.UTF_8).replaceAll("\"(ingested|updated|written)\":(\\d+|\"[^\"]*\")", "\"$1\":0"));
                documents++;
            }
        }
        System.out.println(documents + " documents written to " + args[0]);
    }

    /** Every SIP message (UDP datagrams, TCP streams framed) of the shared test captures, as SIP HEP packets. */
    private static List<HepPacket> sharedCaptures() throws IOException {
        Path dir = Path.of(System.getProperty("hepstack.testdata", "/work/shared/testdata")).resolve("pcap");
        List<HepPacket> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            System.err.println("no shared captures at " + dir + "; only the repository's are used");
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                List<PcapPacket> frames = PcapReader.read(f);
                for (PcapPacket p : frames) {
                    if (!p.isTcp() && p.payload().length > 0) {
                        out.add(sip(p.payload(), p.srcIp(), p.dstIp(), p.srcPort(), p.dstPort(), p.ipProtocol(), p.timestampMicros()));
                    }
                }
                for (TcpStreamReassembler.Stream s : TcpStreamReassembler.reassemble(frames)) {
                    byte[] b = s.bytes();
                    try {
                        for (SipStreamFramer.Frame fr : new SipStreamFramer().split(b, 0, b.length).frames()) {
                            out.add(sip(Arrays.copyOfRange(b, fr.offset(), fr.offset() + fr.length()),
                                    new byte[]{10, 0, 0, 1}, new byte[]{10, 0, 0, 2}, 5060, 5060, 6, s.firstTimestampMicros()));
                        }
                    } catch (Exception e) {
                        out.add(sip(b, new byte[]{10, 0, 0, 1}, new byte[]{10, 0, 0, 2}, 5060, 5060, 6, s.firstTimestampMicros()));
                    }
                }
            }
        }
        return out;
    }

    private static HepPacket sip(byte[] payload, byte[] src, byte[] dst, int sport, int dport, int proto, long micros) {
        HepPacket p = HepPacket.sip(src, dst, sport, dport, proto, micros, payload);
        p.captureId = 7;
        p.nodeName = "dump";
        return p;
    }

    private static List<HepPacket> edgeCases() {
        byte[] v4a = {(byte) 192, 0, 2, 10};
        byte[] v4b = {(byte) 198, 51, 100, 23};
        byte[] v6a = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
        byte[] v6b = {0x26, 0, 0x60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12, 0, 1};
        String invite = "INVITE sip:+442071838750@sbc.example.net;user=phone SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-1;received=192.0.2.99;rport=5062, SIP/2.0/TCP [2001:db8::1]:5061;branch=z9hG4bK-2\r\n"
                + "Via: SIP/2.0/UDP proxy.example.net;branch=z9hG4bK-1\r\n"
                + "From: \"Zoë \\\"the\\\" Caller\" <sip:alice@example.com>;tag=a1\r\n"
                + "To: 日本 <tel:+1-212-555-0199>\r\n"
                + "Call-ID: edge-1@example.com\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:alice@192.0.2.10:5060;transport=udp>;expires=60, <sip:alice@[2001:db8::1]>\r\n"
                + "P-Asserted-Identity: <sip:+4930901820@example.com>\r\n"
                + "User-Agent: Tab\there \"quoted\" back\\slash\r\n"
                + "Subject: folded\r\n  over two lines\r\n"
                + "Reason: Q.850;cause=16;text=\"Normal call clearing\"\r\n"
                + "Allow: INVITE, ACK\r\nAllow: BYE\r\nSupported: timer\r\n"
                + "Max-Forwards: 70\r\nExpires: 120\r\n"
                + "Content-Type: application/sdp\r\nContent-Length: 129\r\n\r\n"
                + "v=0\r\no=- 1 2 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\n"
                + "m=audio 4000 RTP/AVP 0 8 101\r\na=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n";
        List<HepPacket> out = new ArrayList<>();
        out.add(sip(invite.getBytes(StandardCharsets.UTF_8), v4a, v4b, 5060, 5060, 17, 1_767_225_600_123_456L));
        byte[] broken = (invite.replace("Caller", "Caller\u0001").replace("ACK", "A\u00ffCK")).getBytes(StandardCharsets.ISO_8859_1);
        out.add(sip(broken, v6a, v6b, 5060, 5062, 17, 1_767_225_601_000_001L));
        byte[] badUtf8 = invite.getBytes(StandardCharsets.UTF_8);
        badUtf8[badUtf8.length - 3] = (byte) 0xc3; // a lone UTF-8 lead byte in the SDP
        out.add(sip(badUtf8, v4a, v4b, 5060, 5060, 17, 1_767_225_602_000_000L));
        out.add(sip(("SIP/2.0 486 Busy \"Here\"\r\nVia: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK-1\r\nFrom: <sip:a@b>;tag=1\r\n"
                + "To: <sip:c@d>;tag=2\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\nServer: srv/1.0\r\nContent-Length: 0\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8), v4b, v4a, 5060, 5060, 6, 1_767_225_603_000_000L));
        StringBuilder ascii = new StringBuilder("MESSAGE sip:x@y SIP/2.0\r\nX-All: ");
        for (char c = 1; c < 128; c++) {
            if (c != '\r' && c != '\n') {
                ascii.append(c);
            }
        }
        ascii.append("\r\nCall-ID: all\r\n\r\n\u0000\u007f\\\"/");
        out.add(sip(ascii.toString().getBytes(StandardCharsets.ISO_8859_1), v4a, v4b, 5060, 5060, 17, 1_767_225_603_500_000L));
        out.add(sip("not sip at all \u0000\u0001".getBytes(StandardCharsets.ISO_8859_1), v4a, v4b, 1, 2, 17, 1_767_225_604_000_000L));
        out.add(sip("OPTIONS sip:x SIP/2.0\r\nContent-Length: 5\r\n\r\nab".getBytes(StandardCharsets.UTF_8), v4a, v4b, 1, 2, 132, -5));

        HepPacket log = sip("{\"level\":\"info\",\"msg\":\"call \\\"ended\\\"\",\"n\":[1,2.5,null,true]}".getBytes(StandardCharsets.UTF_8),
                v4a, v4b, 0, 0, 17, 1_767_225_605_000_000L);
        log.protoType = HepPacket.PROTO_LOG;
        log.correlationId = "edge-1@example.com";
        out.add(log);
        HepPacket text = sip("ERROR: <core> [core/x.c:1]: tab\there, quote \" ü\n".getBytes(StandardCharsets.UTF_8),
                v4a, v4b, 0, 0, 17, 1_767_225_606_000_000L);
        text.protoType = HepPacket.PROTO_LOG;
        out.add(text);
        HepPacket json = sip("  [1, {\"a\": \"b\"}]".getBytes(StandardCharsets.UTF_8), v4a, v4b, 0, 0, 17, 1_767_225_607_000_000L);
        json.protoType = 60;
        out.add(json);
        HepPacket binary = sip(new byte[]{(byte) 0x80, (byte) 0xc8, 0, 6, 1, 2, 3, 4, 0, 0x1f}, v4a, v4b, 4000, 4001, 17, 1_767_225_608_000_000L);
        binary.protoType = 4;
        binary.srcMac = new byte[]{0, 0x1b, 0x21, (byte) 0xaa, (byte) 0xbb, (byte) 0xcc};
        binary.dstMac = new byte[]{0, 0, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f};
        binary.vlanId = 42;
        binary.ipTos = 184;
        binary.tcpFlags = 24;
        binary.ethernetType = 0x0800;
        binary.mos = 412;
        binary.rFactor = 9000;
        binary.jitter = 7;
        binary.groupId = "g1";
        binary.geoLocation = "x";
        binary.transactionType = "call";
        binary.payloadJsonKeys = "k";
        binary.tagsValues = "t=1";
        binary.tagType = 1;
        binary.eventType = 2;
        binary.keepAliveTimer = 30;
        binary.payloadWasCompressed = true;
        binary.addOtherChunk(new HepChunk(0x0b2b, 0x1001, new byte[]{1, 2}));
        out.add(binary);
        HepPacket rtcpBad = sip("{\"type\":200, broken".getBytes(StandardCharsets.UTF_8), v4a, v4b, 4001, 4003, 17, 1_767_225_609_000_000L);
        rtcpBad.protoType = HepPacket.PROTO_RTCP_JSON;
        out.add(rtcpBad);
        HepPacket qos = sip("{\"CORRELATION_ID\":\"edge-1\",\"MOS\":4.1,\"RTP_SIP_CALL_ID\":\"edge-1\",\"PACKET_LOSS\":3,\"JITTER\":2.5}"
                .getBytes(StandardCharsets.UTF_8), v4a, v4b, 4001, 4003, 17, 1_767_225_610_000_000L);
        qos.protoType = HepPacket.PROTO_QOS_REPORT;
        out.add(qos);
        HepPacket noTime = sip(invite.getBytes(StandardCharsets.UTF_8), v4a, v4b, 5060, 5060, 17, 0);
        noTime.timeSeconds = -1;
        noTime.timeMicros = -1;
        noTime.ipFamily = -1;
        noTime.ipProtocol = -1;
        out.add(noTime);
        return out;
    }
}
