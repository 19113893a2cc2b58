package io.hepstack.collector.protocol.rtcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepstack.collector.pcap.PcapPacket;
import io.hepstack.collector.pcap.PcapReader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every RTCP compound packet of three real captures, parsed and compared field by field with the
 * tables tshark made of the same files ({@code scripts/make-rtcp-reference.sh},
 * {@code src/test/resources/rtcp/}). The captures are read from the shared folder (AGPL/GPL).
 */
class RtcpBinaryParserPcapTest {

    private final RtcpBinaryParser parser = new RtcpBinaryParser();

    /**
     * {@code tshark} counts 26, 2 and 1 RTCP compounds. In the first capture the relay at
     * 200.57.7.196 forwards two compounds of X-Lite (frames 529 and 2644, decoded by tshark through
     * the SDP) as frames 531 and 2646, which tshark's heuristic RTCP dissector skips because X-Lite
     * appended 2 null bytes to the UDP payload; the parser reads them, and they must equal the
     * originals.
     */
    @ParameterizedTest
    @CsvSource({
            "pcap/heplify-rtp_rtcp_sip_ipv4_udp.pcap, 26, 2",
            "pcap/heplify-sip_ipv4_tcp.pcap, 2, 0",
            "pcap/sngrep-aaa.pcap, 1, 0"})
    void everyRtcpPacketMatchesTshark(String relative, int tsharkCompounds, int relayedCopies) throws Exception {
        Path capture = SharedTestData.file(relative);
        String name = capture.getFileName().toString();
        Map<Long, List<String[]>> packetRows = rowsByFrame("rtcp-packets.csv", name);
        Map<Long, List<String[]>> blockRows = rowsByFrame("rtcp-blocks.csv", name);
        assertThat(packetRows).as("reference rows for " + name).hasSize(tsharkCompounds);

        Map<Long, RtcpReport> parsed = new TreeMap<>();
        Map<Long, byte[]> payloads = new TreeMap<>();
        for (PcapPacket p : PcapReader.read(capture)) {
            if (p.isUdp() && looksLikeRtcp(p.payload())) {
                parsed.put(p.frameNumber(), parser.parse(p.payload()));
                payloads.put(p.frameNumber(), p.payload());
            }
        }

        assertThat(parsed).hasSize(tsharkCompounds + relayedCopies);
        assertThat(parsed.keySet()).containsAll(packetRows.keySet());
        int copies = 0;
        for (long frame : parsed.keySet()) {
            if (!packetRows.containsKey(frame)) {
                long original = packetRows.keySet().stream()
                        .filter(f -> Arrays.equals(payloads.get(f), payloads.get(frame))).findFirst().orElse(-1L);
                assertThat(original).as(name + " frame " + frame + " is a copy of a tshark-decoded frame")
                        .isPositive();
                assertThat(payloads.get(frame)).as("ends with X-Lite's 2 null bytes")
                        .endsWith((byte) 0, (byte) 0);
                assertThat(parsed.get(frame)).isEqualTo(parsed.get(original));
                copies++;
            }
        }
        assertThat(copies).isEqualTo(relayedCopies);
        parsed.keySet().retainAll(packetRows.keySet());

        for (Map.Entry<Long, RtcpReport> e : parsed.entrySet()) {
            long frame = e.getKey();
            RtcpReport r = e.getValue();
            List<String[]> packets = packetRows.get(frame);
            List<String[]> blocks = blockRows.getOrDefault(frame, List.of());
            String at = name + " frame " + frame;

            assertThat(r.format()).isEqualTo(RtcpReport.Format.BINARY);
            assertThat(r.packetTypes()).as(at + " packet types")
                    .containsExactlyElementsOf(packets.stream().map(row -> Integer.parseInt(row[3])).toList());
            assertThat(r.senderSsrc()).as(at + " sender SSRC").isEqualTo(Long.parseLong(packets.get(0)[7]));

            String[] sr = packets.stream().filter(row -> row[3].equals("200")).findFirst().orElse(null);
            if (sr == null) {
                assertThat(r.senderInfo()).as(at).isNull();
            } else {
                RtcpReport.SenderInfo si = r.senderInfo();
                assertThat(si).as(at + " sender info").isNotNull();
                assertThat(si.ntpSeconds()).as(at + " NTP MSW").isEqualTo(Long.parseLong(sr[8]));
                assertThat(si.ntpFraction()).as(at + " NTP LSW").isEqualTo(Long.parseLong(sr[9]));
                assertThat(si.rtpTimestamp()).as(at + " RTP timestamp").isEqualTo(Long.parseLong(sr[10]));
                assertThat(si.packetCount()).as(at + " sender packets").isEqualTo(Long.parseLong(sr[11]));
                assertThat(si.octetCount()).as(at + " sender octets").isEqualTo(Long.parseLong(sr[12]));
            }

            String cname = packets.stream().map(row -> row[13]).filter(s -> !s.isEmpty()).findFirst().orElse(null);
            assertThat(r.cname()).as(at + " CNAME").isEqualTo(cname);
            String byeRow = packets.stream().filter(row -> row[3].equals("203")).map(row -> row[7]).findFirst()
                    .orElse(null);
            if (byeRow == null) {
                assertThat(r.bye()).as(at).isNull();
            } else {
                String reason = packets.stream().filter(row -> row[3].equals("203")).findFirst().get()[14];
                assertThat(r.bye().ssrcs()).as(at + " BYE").containsExactly(Long.parseLong(byeRow));
                assertThat(r.bye().reason()).as(at + " BYE reason").isEqualTo(reason.isEmpty() ? null : reason);
            }

            assertThat(r.reportBlocks()).as(at + " report blocks").hasSize(blocks.size());
            for (int i = 0; i < blocks.size(); i++) {
                String[] row = blocks.get(i);
                RtcpReport.ReportBlock b = r.reportBlocks().get(i);
                String bat = at + " block " + i;
                int packetIndex = Integer.parseInt(row[2]);
                assertThat(b.reporterSsrc()).as(bat + " reporter")
                        .isEqualTo(Long.parseLong(packets.get(packetIndex)[7]));
                assertThat(b.sourceSsrc()).as(bat + " source SSRC").isEqualTo(Long.parseLong(row[4]));
                assertThat(b.fractionLost()).as(bat + " fraction lost").isEqualTo(Integer.parseInt(row[5]));
                assertThat(b.cumulativeLost()).as(bat + " cumulative lost").isEqualTo(Integer.parseInt(row[6]));
                assertThat(b.extHighestSeq()).as(bat + " ext highest seq").isEqualTo(Long.parseLong(row[7]));
                assertThat(b.jitter()).as(bat + " jitter").isEqualTo(Long.parseLong(row[8]));
                assertThat(b.lsr()).as(bat + " LSR").isEqualTo(Long.parseLong(row[9]));
                assertThat(b.dlsr()).as(bat + " DLSR").isEqualTo(Long.parseLong(row[10]));
            }
            int reportCount = packets.stream().filter(row -> row[3].equals("200") || row[3].equals("201"))
                    .mapToInt(row -> Integer.parseInt(row[4])).sum();
            assertThat(r.reportBlocks()).as(at + " RC total").hasSize(reportCount);
        }
    }

    /** RTCP detection independent of the parser: version 2 and an SR..XR packet type in the first header. */
    static boolean looksLikeRtcp(byte[] udp) {
        return udp.length >= 8 && (udp[0] & 0xc0) == 0x80 && (udp[1] & 0xff) >= 200 && (udp[1] & 0xff) <= 207;
    }

    /** Rows of a reference CSV for one capture, grouped by frame, in file order. */
    private static Map<Long, List<String[]>> rowsByFrame(String csv, String capture) throws IOException {
        Map<Long, List<String[]>> out = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(Path.of("src/test/resources/rtcp", csv), StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            assertThat(line).as("reference CSV needs no quoting").doesNotContain("\"");
            String[] row = line.split(",", -1);
            if (row[0].equals(capture)) {
                out.computeIfAbsent(Long.parseLong(row[1]), k -> new ArrayList<>()).add(row);
            }
        }
        return out;
    }
}
