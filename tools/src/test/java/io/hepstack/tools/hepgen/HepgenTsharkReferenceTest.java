package io.hepstack.tools.hepgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.collector.hep.HepDecoder;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.pcap.PcapPacket;
import io.hepstack.collector.pcap.PcapReader;
import io.hepstack.collector.protocol.sip.SipMessage;
import io.hepstack.collector.protocol.sip.SipParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hepgen's pcap output against tshark's reading of it. The table was written by
 * {@code bench/hepgen-tshark-check.sh} (tshark 4.0 + {@code hep3.lua}, which also checked that no
 * packet is malformed); this test makes the same pcap and compares every packet with tshark's
 * fields. A change to the model makes this fail until the script is run again and the new table
 * reviewed.
 */
class HepgenTsharkReferenceTest {

    /** Keep identical to ARGS in bench/hepgen-tshark-check.sh (the --pcap file aside). */
    static final String[] ARGS = {"--calls", "30", "--registrations", "8", "--seed", "2026", "--start",
        "2026-01-01T00:00:00Z", "--cps", "5", "--rps", "2", "--capture-id", "2001", "--node", "hepgen-01",
        "--auth-key", "myHep", "--call-duration", "uniform:5-40", "--rtcp-interval", "10"};

    @Test
    void everyPacketMatchesTsharksDecoding(@TempDir Path dir) throws Exception {
        Path pcap = dir.resolve("hepgen-check.pcap");
        List<String> args = new ArrayList<>(List.of("hepgen", "--pcap", pcap.toString(), "--json"));
        args.addAll(List.of(ARGS));
        HepgenCommand command = new HepgenCommand(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        command.execute(HepgenCommand.parser(command).parseArgs(args.toArray(new String[0])));

        List<String[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("src/test/resources/hepgen/tshark-reference.tsv"))) {
            if (!line.startsWith("#")) {
                rows.add(line.split("\t", -1));
            }
        }
        List<PcapPacket> frames = PcapReader.read(pcap);
        assertThat(frames).hasSize(rows.size()).hasSize(332);

        HepDecoder decoder = HepDecoder.builder().requiredAuthKey("myHep").build();
        SipParser parser = new SipParser();
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < rows.size(); i++) {
            String[] r = rows.get(i);
            PcapPacket f = frames.get(i);
            HepPacket p = decoder.decode(f.payload(), 0, f.payload().length);
            String at = "frame " + r[0];
            assertThat(Long.parseLong(r[0])).isEqualTo(f.frameNumber());
            // time_epoch has nanoseconds: the frame time is the HEP time to the microsecond
            assertThat(r[1]).as(at).isEqualTo(String.format("%d.%06d000", p.timeSeconds, p.timeMicros));
            assertThat(f.timestampMicros()).as(at).isEqualTo(p.timestampMicros());
            assertThat(Integer.parseInt(r[2])).as(at).isEqualTo(p.protoType);
            assertThat(r[3] + ":" + r[4] + ">" + r[5] + ":" + r[6]).as(at)
                    .isEqualTo(p.srcIpText() + ":" + p.srcPort + ">" + p.dstIpText() + ":" + p.dstPort);
            assertThat(Long.parseLong(r[7])).as(at).isEqualTo(p.captureId);
            assertThat(r[8]).as(at).isEqualTo(p.nodeName);
            assertThat(r[9]).as(at).isEqualTo(p.authKey);
            assertThat(r[10]).as(at).isEqualTo(p.correlationId == null ? "" : p.correlationId);
            if (p.protoType == HepPacket.PROTO_SIP) {
                SipMessage m = parser.parse(p.payload);
                assertThat(m.problems()).as(at).isEmpty();
                assertThat(r[11]).as(at).isEqualTo(m.isRequest() ? m.method() : "");
                assertThat(r[12]).as(at).isEqualTo(m.isResponse() ? Integer.toString(m.statusCode()) : "");
                assertThat(r[13]).as(at).isEqualTo(m.callId());
                assertThat(Long.parseLong(r[14])).as(at).isEqualTo(m.cseqNumber());
                assertThat(r[15]).as(at).isEqualTo(m.sdp() == null ? "" : Integer.toString(m.sdp().media().get(0).port()));
            } else if (p.protoType == HepPacket.PROTO_RTCP_JSON) {
                JsonNode n = json.readTree(p.payload);
                assertThat(r[16]).as(at).isEqualTo(n.get("sender_information").get("ntp_timestamp_sec").asText());
                // NTP seconds are the HEP seconds since 1900
                assertThat(Long.parseLong(r[16])).as(at).isEqualTo(p.timeSeconds + 2_208_988_800L);
            } else {
                assertThat(p.protoType).as(at).isEqualTo(HepPacket.PROTO_LOG);
                assertThat(r[11] + r[12] + r[13] + r[16]).as(at).isEmpty();
            }
        }
    }
}
