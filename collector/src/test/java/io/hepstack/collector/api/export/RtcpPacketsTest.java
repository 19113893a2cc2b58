package io.hepstack.collector.api.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.collector.protocol.rtcp.RtcpBinaryParser;
import io.hepstack.collector.protocol.rtcp.RtcpReport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A stored RTCP document back into RTCP bytes, read again by the collector's own binary parser. */
class RtcpPacketsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void aSenderReportWithItsBlockAndCnameRoundTrips() throws Exception {
        JsonNode doc = MAPPER.readTree("""
                {"rtcp":{"type":"sr","ssrc":3000000001,"sender":{"packets":750,"octets":120000,"rtp_timestamp":160000,
                 "ntp_timestamp":3976214400},"report":[{"source_ssrc":111,"fraction_lost":3,"packets_lost":8,
                 "highest_seq":758,"jitter":40,"lsr":1234,"dlsr":5678}],"sdes":{"cname":"alice@10.1.1.1"}}}""");
        byte[] bytes = RtcpPackets.of(doc);
        assertThat(bytes.length % 4).as("32-bit aligned").isZero();
        RtcpReport r = new RtcpBinaryParser().parse(bytes);
        assertThat(r.senderSsrc()).isEqualTo(3000000001L);
        assertThat(r.hasSenderInfo()).isTrue();
        assertThat(r.senderInfo().packetCount()).isEqualTo(750);
        assertThat(r.senderInfo().octetCount()).isEqualTo(120000);
        assertThat(r.senderInfo().ntpSeconds()).isEqualTo(3976214400L);
        RtcpReport.ReportBlock b = r.reportBlocks().get(0);
        assertThat(b.sourceSsrc()).isEqualTo(111);
        assertThat(b.fractionLost()).isEqualTo(3);
        assertThat(b.cumulativeLost()).isEqualTo(8);
        assertThat(b.extHighestSeq()).isEqualTo(758);
        assertThat(b.jitter()).isEqualTo(40);
        assertThat(b.lsr()).isEqualTo(1234);
        assertThat(b.dlsr()).isEqualTo(5678);
        assertThat(r.cname()).isEqualTo("alice@10.1.1.1");
    }

    @Test
    void aReceiverReportAndNothingWithoutRtcpFields() throws Exception {
        byte[] rr = RtcpPackets.of(MAPPER.readTree("{\"rtcp\":{\"type\":\"rr\",\"ssrc\":5}}"));
        assertThat(rr).containsExactly(0x80, 201, 0, 1, 0, 0, 0, 5);
        assertThat(RtcpPackets.of(MAPPER.readTree("{\"message\":\"x\"}"))).isNull();
    }
}
