package io.hepstack.collector.hep;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepstack.collector.pcap.PcapPacket;
import io.hepstack.collector.pcap.PcapReader;
import io.hepstack.collector.pcap.TcpStreamReassembler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every HEP packet of the real captures in {@code testdata/hep} decodes, and every field agrees
 * with what tshark and the independent Lua dissector report. The reference tables were made once
 * by {@code scripts/make-hep-reference.sh}; the expected counts come from testdata/SOURCES.md.
 */
class HepCaptureReferenceTest {

    private static final Path CAPTURES = Path.of("../testdata/hep");

    @Test
    void kamailioUdpCapture() throws IOException {
        List<Row> rows = compareUdp("kamailio-hep3", new HepDecoder());

        assertThat(rows).hasSize(279);
        assertThat(countType(rows, 1)).isEqualTo(259);
        assertThat(countType(rows, 100)).isEqualTo(20);
        assertThat(rows).allSatisfy(r -> assertThat(r.decoded.captureId).isEqualTo(2001));
        assertThat(rows).allSatisfy(r -> assertThat(r.decoded.nodeName).isNull());
        assertThat(rows).allSatisfy(r -> assertThat(r.decoded.authKey).isNull());
        // LOG packets carry the Call-ID as correlation id
        assertThat(rows).filteredOn(r -> r.decoded.protoType == 100)
                .allSatisfy(r -> assertThat(r.decoded.correlationId).matches("\\d+-\\d+@127\\.0\\.0\\.1"));
        assertThat(rows.stream().filter(r -> r.decoded.protoType == 1).map(r -> r.decoded.payload)
                .filter(p -> startsWith(p, "INVITE ")).count()).isEqualTo(40);
    }

    @Test
    void hepgenCaptureWithAuthKeyAndNodeName() throws IOException {
        List<Row> rows = compareUdp("hepgen-20calls", HepDecoder.builder().requiredAuthKey("myHep").build());

        assertThat(rows).hasSize(172);
        assertThat(countType(rows, 1)).isEqualTo(134);
        assertThat(countType(rows, 5)).isEqualTo(18);
        assertThat(countType(rows, 100)).isEqualTo(20);
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.decoded.nodeName).isEqualTo("hepgen-01");
            assertThat(r.decoded.authKey).isEqualTo("myHep");
            assertThat(r.decoded.captureId).isEqualTo(2001);
        });
        assertThat(rows).filteredOn(r -> r.decoded.protoType != 1)
                .allSatisfy(r -> assertThat(r.decoded.correlationId).endsWith("@" + r.decoded.correlationId.split("@")[1]));
        // the first call's INVITE: 2026-01-01T00:00:00Z from the London test address
        HepPacket first = rows.get(0).decoded;
        assertThat(first.timestampMicros()).isEqualTo(1_767_225_600_000_000L);
        assertThat(first.srcIpText()).isEqualTo("81.2.69.142");
        // and the same capture is refused without the key
        HepDecoder wrongKey = HepDecoder.builder().requiredAuthKey("notMyHep").build();
        PcapPacket any = PcapReader.read(CAPTURES.resolve("hepgen-20calls.pcap")).get(0);
        HepDecoderTest.assertRejectedBy(wrongKey, any.payload(), HepDecodeException.Reason.AUTH_FAILED, -1);
    }

    @Test
    void scanAndFloodCaptures() throws IOException {
        assertThat(compareUdp("kamailio-hep3-scan", new HepDecoder())).hasSize(408);
        assertThat(compareUdp("kamailio-hep3-register-flood", new HepDecoder())).hasSize(1200);
    }

    @Test
    void kamailioTcpCaptureFramedFromTheReassembledStream() throws IOException {
        List<TcpStreamReassembler.Stream> streams =
                TcpStreamReassembler.reassemble(PcapReader.read(CAPTURES.resolve("kamailio-hep3-tcp.pcap")));
        byte[] toCollector = streams.stream().filter(s -> s.key().endsWith(":9060")).findFirst().orElseThrow().bytes();
        List<Map<String, String>> reference = reference("kamailio-hep3-tcp");
        HepDecoder decoder = HepDecoder.builder().requiredAuthKey("myHepSecret").build();

        // the same stream cut three ways: whole, and in random pieces that split packets anywhere
        for (int seed = 0; seed < 3; seed++) {
            RecordingListener listener = new RecordingListener();
            EmbeddedChannel ch = new EmbeddedChannel(new HepFrameDecoder(listener));
            Random rnd = new Random(seed);
            int off = 0;
            while (off < toCollector.length) {
                int n = seed == 0 ? toCollector.length : Math.min(toCollector.length - off, 1 + rnd.nextInt(1500));
                ch.writeInbound(Unpooled.wrappedBuffer(toCollector, off, n));
                off += n;
            }
            List<Row> rows = new ArrayList<>();
            for (ByteBuf frame; (frame = ch.readInbound()) != null; ) {
                try {
                    rows.add(new Row(reference.get(rows.size()), decoder.decode(frame), frame.readableBytes()));
                } finally {
                    frame.release();
                }
            }
            assertThat(ch.finish()).isFalse();
            assertThat(listener.rejections).isEmpty();
            assertThat(rows).hasSize(140).hasSameSizeAs(reference);
            assertThat(countType(rows, 100)).isEqualTo(10);
            assertThat(rows).allSatisfy(r -> {
                assertThat(r.decoded.captureId).isEqualTo(2002);
                assertThat(r.decoded.authKey).isEqualTo("myHepSecret");
            });
            // SIP on TCP for the UAC leg, on UDP for the other leg; LOG always says UDP
            assertThat(rows).extracting(r -> r.decoded.ipProtocol).contains(6, 17);
            compareAll(rows);
        }
    }

    @Test
    void everyCaptureInTheFolderHasAReferenceTable() throws IOException {
        try (Stream<Path> files = Files.list(CAPTURES)) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".pcap"))
                    .map(n -> n.substring(0, n.length() - 5)).sorted().toList();
            assertThat(names).containsExactly("hepgen-20calls", "kamailio-hep3", "kamailio-hep3-register-flood",
                    "kamailio-hep3-scan", "kamailio-hep3-tcp");
        }
    }

    // ------------------------------------------------------------ comparison

    private record Row(Map<String, String> ref, HepPacket decoded, int wireLength) {
    }

    /** Decodes every UDP datagram to 9060 and compares it with the reference row of its frame. */
    private static List<Row> compareUdp(String name, HepDecoder decoder) throws IOException {
        Map<String, Map<String, String>> byFrame = new LinkedHashMap<>();
        for (Map<String, String> r : reference(name)) {
            byFrame.put(r.get("frame.number"), r);
        }
        List<Row> rows = new ArrayList<>();
        for (PcapPacket p : PcapReader.read(CAPTURES.resolve(name + ".pcap"))) {
            if (!p.isUdp() || p.dstPort() != 9060) {
                continue;
            }
            Map<String, String> ref = byFrame.get(String.valueOf(p.frameNumber()));
            assertThat(ref).as("tshark saw HEP3 in frame %d", p.frameNumber()).isNotNull();
            rows.add(new Row(ref, decoder.decode(p.payload(), 0, p.payload().length), p.payload().length));
        }
        assertThat(rows).hasSameSizeAs(byFrame.values());
        compareAll(rows);
        return rows;
    }

    /** Collects every field that differs (plain comparisons: soft assertions are slow for thousands of rows). */
    private static void compareAll(List<Row> rows) {
        List<String> diffs = new ArrayList<>();
        for (Row row : rows) {
            Map<String, String> r = row.ref;
            HepPacket p = row.decoded;
            Diff d = new Diff("frame " + r.get("frame.number"), diffs);
            d.check("length", row.wireLength, num(r, "hep3.length"));
            d.check("version", p.version, 3);
            d.check("ip_family", p.ipFamily, num(r, "hep3.ip_family"));
            d.check("ip_proto", p.ipProtocol, num(r, "hep3.ip_proto"));
            d.check("src_ip", ip(p.srcIp, 4), text(r, "hep3.src_ip"));
            d.check("dst_ip", ip(p.dstIp, 4), text(r, "hep3.dst_ip"));
            d.check("src_ip6", ip(p.srcIp, 16), text(r, "hep3.src_ip6"));
            d.check("dst_ip6", ip(p.dstIp, 16), text(r, "hep3.dst_ip6"));
            d.check("src_port", p.srcPort, num(r, "hep3.src_port"));
            d.check("dst_port", p.dstPort, num(r, "hep3.dst_port"));
            d.check("ts_sec", p.timeSeconds, num(r, "hep3.ts_sec"));
            d.check("ts_usec", p.timeMicros, num(r, "hep3.ts_usec"));
            d.check("proto_type", p.protoType, num(r, "hep3.proto_type"));
            d.check("capture_id", p.captureId, num(r, "hep3.capture_id"));
            d.check("keepalive", p.keepAliveTimer, num(r, "hep3.keepalive"));
            d.check("auth_key", p.authKey, text(r, "hep3.auth_key"));
            d.check("corr_id", p.correlationId, text(r, "hep3.corr_id"));
            d.check("vlan", p.vlanId, num(r, "hep3.vlan"));
            d.check("node", p.nodeName, text(r, "hep3.node"));
            d.check("payload_len", p.payload == null ? -1 : p.payload.length, num(r, "payload_len"));
            d.check("other chunks", p.otherChunks().size(), 0);
        }
        assertThat(diffs).as("fields that differ from tshark").isEmpty();
    }

    private record Diff(String where, List<String> out) {
        void check(String field, Object actual, Object expected) {
            Object a = actual instanceof Integer i ? Long.valueOf(i) : actual;
            Object e = expected instanceof Integer i ? Long.valueOf(i) : expected;
            if (!java.util.Objects.equals(a, e)) {
                out.add(where + " " + field + ": decoded " + actual + ", tshark " + expected);
            }
        }
    }

    private static long countType(List<Row> rows, int type) {
        return rows.stream().filter(r -> r.decoded.protoType == type).count();
    }

    /** The text form of an address of the given size, or null when absent or of the other family. */
    private static String ip(byte[] address, int size) {
        return address != null && address.length == size ? HepPacket.ipText(address) : null;
    }

    private static String text(Map<String, String> row, String column) {
        String v = row.get(column);
        assertThat(v).as("column %s", column).isNotNull();
        return v.isEmpty() ? null : v;
    }

    private static long num(Map<String, String> row, String column) {
        String v = text(row, column);
        return v == null ? -1 : Long.parseLong(v);
    }

    private static boolean startsWith(byte[] payload, String prefix) {
        return new String(payload, 0, Math.min(payload.length, prefix.length()), StandardCharsets.US_ASCII).equals(prefix);
    }

    /** The tab-separated table of {@code scripts/make-hep-reference.sh}, one map per packet. */
    private static List<Map<String, String>> reference(String name) throws IOException {
        String resource = "/hep/reference/" + name + ".tsv";
        try (InputStream in = HepCaptureReferenceTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            String[] header = lines.get(0).split("\t", -1);
            List<Map<String, String>> rows = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split("\t", -1);
                assertThat(cells).as(line).hasSameSizeAs(header);
                Map<String, String> row = new HashMap<>();
                for (int i = 0; i < header.length; i++) {
                    row.put(header[i], cells[i]);
                }
                rows.add(row);
            }
            return rows;
        }
    }
}
