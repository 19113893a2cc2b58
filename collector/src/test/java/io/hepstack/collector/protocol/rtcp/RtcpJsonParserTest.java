package io.hepstack.collector.protocol.rtcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hepstack.collector.pcap.PcapPacket;
import io.hepstack.collector.pcap.PcapReader;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RtcpJsonParserTest {

    /**
     * testdata/SOURCES.md, hepgen-20calls.pcap table: Call-ID → "RTCP lost/pkts, ia_jitter" of the 18
     * answered calls (the two busy calls 6 and 13 have no RTCP).
     */
    private static final String HEPGEN_RTCP = """
            325a1333-0ebb-5c2d-38a24bec5164@81.2.69.142 59 3650 226
            1b97b907-9371-3386-bf3d0348cb04@89.160.20.112 25 3275 384
            58f03404-ff10-cadd-f828e65f08c8@216.160.83.56 24 2550 382
            98136680-8ae6-adf0-2974bac3dcda@2.125.160.216 11 1625 265
            cad69fd5-e72a-138e-08e25b00c109@175.16.199.10 7 2425 309
            fd0707ea-a4c7-67d9-5d7422dcf414@81.2.69.142 111 3850 280
            0bd909f4-9a95-2c4e-a37c7e9eed08@89.160.20.112 83 3075 162
            140722c4-3191-cc22-9a1ad0393a3b@216.160.83.56 2 925 36
            ca476959-8ff7-076f-a09ac7995b98@2.125.160.216 33 1150 131
            e9efe16c-8d8f-0f43-64d7cbc71c0b@175.16.199.10 32 4550 325
            2351c79e-26f8-ecea-a7e1a9f82f24@12.81.92.20 61 2325 271
            cb5f16c7-2c43-cc38-ab59ce65d9c7@89.160.20.112 46 4600 25
            7295142d-571f-f00b-206f7607036f@216.160.83.56 2 1600 74
            80b8cdb3-bdee-6d5f-d125bad90879@2.125.160.216 8 2450 178
            5678584c-6d7b-5464-f294c190697a@175.16.199.10 12 475 121
            455256d9-0875-2d0c-424e9c7084ac@12.81.92.20 41 3900 346
            507b1e83-60e2-cd9c-3a93ae985da4@81.2.69.142 29 5875 9
            ff57e3a2-6d40-e1ed-7c81f8e4a860@89.160.20.112 98 5475 89
            """;

    private final RtcpJsonParser parser = new RtcpJsonParser();

    /** The 18 type-5 packets of hepgen-20calls.pcap (HEP3 walked by a test helper). */
    static List<Hep3TestReader> hepgenRtcp() throws Exception {
        return PcapReader.read(Path.of("../testdata/hep/hepgen-20calls.pcap")).stream()
                .filter(PcapPacket::isUdp)
                .map(p -> Hep3TestReader.read(p.payload()))
                .filter(h -> h != null && h.protoType() == 5)
                .toList();
    }

    /** Call-ID → {lost, packets, jitter} from the SOURCES.md table. */
    static Map<String, long[]> hepgenTable() {
        Map<String, long[]> m = new HashMap<>();
        for (String line : HEPGEN_RTCP.strip().split("\n")) {
            String[] f = line.trim().split(" ");
            m.put(f[0], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])});
        }
        return m;
    }

    @Test
    void hepgenRtcpMatchesTheSourcesTable() throws Exception {
        List<Hep3TestReader> packets = hepgenRtcp();
        Map<String, long[]> table = hepgenTable();
        assertThat(packets).hasSize(18);
        assertThat(table).hasSize(18);
        for (Hep3TestReader h : packets) {
            long[] expected = table.remove(h.correlationId());
            assertThat(expected).as("Call-ID %s in the table, once", h.correlationId()).isNotNull();
            RtcpReport r = parser.parseRtcp(h.payload());
            assertThat(r.format()).isEqualTo(RtcpReport.Format.JSON);
            assertThat(r.packetTypes()).containsExactly(200);
            assertThat(r.senderInfo().packetCount()).as("packets").isEqualTo(expected[1]);
            assertThat(r.reportBlocks()).hasSize(1);
            RtcpReport.ReportBlock b = r.reportBlocks().get(0);
            assertThat(b.cumulativeLost()).as("lost").isEqualTo(expected[0]);
            assertThat(b.jitter()).as("ia_jitter").isEqualTo(expected[2]);
            assertThat(b.reporterSsrc()).isEqualTo(r.senderSsrc());
            assertThat(b.lsr()).isZero();
            assertThat(r.xrBlocks()).as("all-zero report_blocks_xr means no XR").isEmpty();
        }
        assertThat(table).isEmpty();
    }

    @Test
    void heplifyFormWithXrVoipMetrics() throws Exception {
        String json = """
                {"sender_information":{"ntp_timestamp_sec":0,"ntp_timestamp_usec":0,"rtp_timestamp":0,"packets":0,\
                "octets":0},"ssrc":3000000001,"type":207,"report_count":1,\
                "report_blocks":[{"source_ssrc":42,"fraction_lost":26,"packets_lost":16777211,"highest_seq_no":70000,\
                "ia_jitter":80,"lsr":-1097006646,"dlsr":7733}],\
                "report_blocks_xr":{"type":7,"id":42,"fraction_lost":12,"fraction_discard":3,"burst_density":100,\
                "gap_density":2,"burst_duration":60,"gap_duration":3000,"round_trip_delay":70,"end_system_delay":45},\
                "sdes_ssrc":3000000001}""";
        RtcpReport r = parser.parseRtcp(bytes(json));
        assertThat(r.senderSsrc()).isEqualTo(3_000_000_001L);
        assertThat(r.packetTypes()).containsExactly(207);
        assertThat(r.senderInfo()).as("heplify's all-zero sender_information is no SR").isNull();
        assertThat(r.reportBlocks()).containsExactly(new RtcpReport.ReportBlock(3_000_000_001L, 42, 26, -5, 70000, 80,
                -1097006646L & 0xffffffffL, 7733));
        assertThat(r.voipMetrics()).containsExactly(new XrBlock.VoipMetrics(3_000_000_001L, 42, 12, 3, 100, 2, 60,
                3000, 70, 45, 127, 127, 127, 0, 127, 127, 127, 127, 0, 0, 0, 0));
        XrBlock.VoipMetrics vm = r.voipMetrics().get(0);
        assertThat(vm.rFactorValue()).isNaN();
        assertThat(vm.mosCqValue()).isNaN();
    }

    @Test
    void captagentFormSignExtendedLossAndSdesInformation() throws Exception {
        String json = """
                { "sender_information":{"ntp_timestamp_sec":3914236800,"ntp_timestamp_usec":2147483648,"octets":16000,\
                "rtp_timestamp":160000, "packets":100},"ssrc":1234,"type":200, "report_blocks":[{"source_ssrc":5678,\
                "highest_seq_no":65636,"fraction_lost":0,"ia_jitter":40,"packets_lost":4294967291,"lsr":1000,\
                "dlsr":2000}],"report_count":1,"sdes_ssrc":1234,"sdes_chunk_ssrc":1234,"sdes_information": [ \
                {"type":6,"text":"softphone 1.0"},{"type":1,"text":"alice@example.com"}],"sdes_report_count":2}""";
        RtcpReport r = parser.parseRtcp(bytes(json));
        assertThat(r.senderInfo()).isEqualTo(new RtcpReport.SenderInfo(3_914_236_800L, 2_147_483_648L, 160_000,
                100, 16_000));
        assertThat(r.reportBlocks().get(0).cumulativeLost()).isEqualTo(-5);
        assertThat(r.reportBlocks().get(0).extHighestSeq()).isEqualTo(65636);
        assertThat(r.cname()).isEqualTo("alice@example.com");
    }

    @Test
    void rtpengineFormSeveralBlocksAndChunkSsrcs() throws Exception {
        String json = """
                { "sender_information":{"ntp_timestamp_sec":3914236800,"ntp_timestamp_usec":0,"octets":320,\
                "rtp_timestamp":320, "packets":2},"ssrc":11,"type":200,"report_count":2,"report_blocks":[\
                {"source_ssrc":21,"highest_seq_no":100,"fraction_lost":1,"ia_jitter":8,"packets_lost":16777215,\
                "lsr":0,"dlsr":0},{"source_ssrc":22,"highest_seq_no":200,"fraction_lost":2,"ia_jitter":16,\
                "packets_lost":3,"lsr":5,"dlsr":6}],"sdes_report_count":1,"sdes_information": [ \
                {"sdes_chunk_ssrc":11,"type":1,"text":"rtpengine \\"edge\\""} ] }""";
        RtcpReport r = parser.parseRtcp(bytes(json));
        assertThat(r.reportBlocks()).extracting(RtcpReport.ReportBlock::sourceSsrc).containsExactly(21L, 22L);
        assertThat(r.reportBlocks()).extracting(RtcpReport.ReportBlock::cumulativeLost).containsExactly(-1, 3);
        assertThat(r.reportBlocks()).extracting(RtcpReport.ReportBlock::reporterSsrc).containsOnly(11L);
        assertThat(r.cname()).isEqualTo("rtpengine \"edge\"");
    }

    @Test
    void asteriskAndFreeswitchSendNumbersAsText() throws Exception {
        // Asterisk res_hep_rtcp: NTP seconds/microseconds as strings; hepipe ESL: SSRCs as strings,
        // jitter as a fraction
        String json = """
                {"ssrc":"2543003035","type":200,"report_count":1,"report_blocks":[{"source_ssrc":"0x5312ED1B",\
                "fraction_lost":0,"packets_lost":0,"highest_seq_no":29662,"ia_jitter":12.7,"lsr":"0","dlsr":0}],\
                "sender_information":{"ntp_timestamp_sec":"1767225600","ntp_timestamp_usec":"250000",\
                "rtp_timestamp":360902880,"packets":4017,"octets":642720}}""";
        RtcpReport r = parser.parseRtcp(bytes(json));
        assertThat(r.senderSsrc()).isEqualTo(2_543_003_035L);
        assertThat(r.senderInfo().ntpSeconds()).isEqualTo(1_767_225_600L);
        assertThat(r.senderInfo().ntpFraction()).isEqualTo(250_000L);
        assertThat(r.reportBlocks().get(0).sourceSsrc()).isEqualTo(0x5312ED1BL);
        assertThat(r.reportBlocks().get(0).jitter()).isEqualTo(13);
    }

    /** A thread's parses reuse their field holders: nothing of one report shows in the next, however many objects it had. */
    @Test
    void aReportKeepsNothingOfThePreviousOne() throws Exception {
        String block = "{\"source_ssrc\":7,\"fraction_lost\":12,\"packets_lost\":3,\"highest_seq_no\":900,"
                + "\"ia_jitter\":40,\"lsr\":5,\"dlsr\":6}";
        String full = "{\"ssrc\":11,\"type\":200,\"sender_information\":{\"ntp_timestamp_sec\":1,\"ntp_timestamp_usec\":2,"
                + "\"rtp_timestamp\":3,\"packets\":4,\"octets\":5},\"report_blocks\":[" + (block + ",").repeat(39) + block
                + "],\"sdes_information\":[{\"type\":1,\"text\":\"cname@x\"}]}";
        RtcpReport a = parser.parseRtcp(bytes(full));
        assertThat(a.reportBlocks()).hasSize(40).allSatisfy(b -> assertThat(b.jitter()).isEqualTo(40));
        assertThat(a.senderInfo().packetCount()).isEqualTo(4);
        assertThat(a.cname()).isEqualTo("cname@x");

        RtcpReport b = parser.parseRtcp(bytes("{\"ssrc\":12,\"report_blocks\":[{\"source_ssrc\":8}]}"));
        assertThat(b.senderSsrc()).isEqualTo(12);
        assertThat(b.packetTypes()).isEmpty();
        assertThat(b.senderInfo()).isNull();
        assertThat(b.cname()).isNull();
        assertThat(b.reportBlocks()).containsExactly(new RtcpReport.ReportBlock(12, 8, 0, 0, 0, 0, 0, 0));
        assertThat(parser.parseRtcp(bytes(full))).isEqualTo(a);
    }

    @Test
    void badRtcpJsonGivesTypedErrors() {
        assertRtcpError("", "empty JSON payload");
        assertRtcpError("[1,2]", "JSON root is ARRAY, expected an object");
        assertRtcpError("{}", "no RTCP fields");
        assertRtcpError("{\"ssrc\":1,\"report_blocks\":{}}", "report_blocks is OBJECT, expected an array");
        assertRtcpError("{\"ssrc\":\"abc\"}", "ssrc \"abc\" is not a number");
        assertRtcpError("{\"ssrc\":4294967296}", "ssrc 4294967296 outside");
        assertRtcpError("{\"ssrc\":1,\"report_blocks\":[{\"fraction_lost\":256}]}",
                "report_blocks[0].fraction_lost 256 outside 0..255");
        assertRtcpError("{\"ssrc\":1,\"report_blocks\":[{\"packets_lost\":16777216}]}",
                "report_blocks[0].packets_lost 16777216 is not a 24-bit cumulative loss");
        assertRtcpError("{\"ssrc\":1,\"report_blocks\":[7]}", "report_blocks[0] is NUMBER, expected an object");
        // the names of the first 32 items are made once, later ones when needed: the same text either way
        String ok = "{\"source_ssrc\":2},";
        assertRtcpError("{\"ssrc\":1,\"report_blocks\":[" + ok.repeat(31) + "{\"dlsr\":-4294967296}]}",
                "report_blocks[31].dlsr -4294967296 outside");
        assertRtcpError("{\"ssrc\":1,\"report_blocks\":[" + ok.repeat(32) + "{\"lsr\":\"x\"}]}",
                "report_blocks[32].lsr \"x\" is not a number");
        assertRtcpError("{\"ssrc\":1,\"report_blocks\":[" + ok.repeat(40) + "null]}", "report_blocks[40] is NULL, expected an object");
        assertRtcpError("{\"ssrc\":1,\"sdes_information\":[{\"type\":2},{\"type\":256}]}",
                "sdes_information[1].type 256 outside 0..255");
        assertRtcpError("{\"ssrc\":1,\"sdes_information\":[" + "{\"type\":2},".repeat(33) + "[]]}",
                "sdes_information[33] is ARRAY, expected an object");
        assertRtcpError("{\"ssrc\":1,\"report_blocks_xr\":{\"type\":7,\"gap_duration\":70000}}",
                "report_blocks_xr.gap_duration 70000 outside 0..65535");
        assertRtcpError("{\"ssrc\":1,\"sender_information\":{\"packets\":true}}",
                "sender_information.packets is BOOLEAN, expected a number");
        assertThatThrownBy(() -> parser.parseRtcp(bytes("{\"ssrc\":1, \"type\":200,,}")))
                .isInstanceOfSatisfying(RtcpParseException.class, e -> {
                    assertThat(e.reason()).startsWith("malformed JSON");
                    assertThat(e.offset()).isEqualTo(22);
                });
    }

    @Test
    void garbageNeverThrowsAnythingButRtcpParseException() {
        byte[] seed = bytes("{\"ssrc\":1,\"type\":200,\"report_blocks\":[{\"source_ssrc\":2,\"fraction_lost\":3,"
                + "\"packets_lost\":4,\"highest_seq_no\":5,\"ia_jitter\":6,\"lsr\":7,\"dlsr\":8}],"
                + "\"report_blocks_xr\":{\"type\":7,\"id\":2},\"sdes_information\":[{\"type\":1,\"text\":\"x\"}]}");
        String alphabet = " {}[]\":,0123456789-.eEabc\\";
        java.util.Random rnd = new java.util.Random(5);
        for (int i = 0; i < 5_000; i++) {
            byte[] b = seed.clone();
            for (int k = 0; k < 1 + rnd.nextInt(3); k++) {
                b[rnd.nextInt(b.length)] = (byte) alphabet.charAt(rnd.nextInt(alphabet.length()));
            }
            try {
                parser.parseRtcp(b);
            } catch (RtcpParseException expected) {
                // fine
            } catch (Throwable t) {
                org.assertj.core.api.Assertions.fail(new String(b, StandardCharsets.UTF_8) + " threw " + t, t);
            }
        }
    }

    // ------------------------------------------------------------------ QoS reports (HEP 32/34/35)

    @Test
    void rtpagentPeriodicReport() throws Exception {
        // the field set hepsim and the hepipe/horaclifix bridges send as HEP type 34
        String json = """
                {"CORRELATION_ID":"c1@host","RTP_SIP_CALL_ID":"c1@host","DELTA":19.983,"JITTER":6.5,\
                "REPORT_TS":1767225601.5,"TL_BYTE":0,"SKEW":0.000,"TOTAL_PK":1500,"EXPECTED_PK":1512,\
                "PACKET_LOSS":12,"SEQ":0,"MAX_JITTER":10.25,"MAX_DELTA":20.024,"MAX_SKEW":0.172,"MEAN_JITTER":4.75,\
                "MIN_MOS":4.032,"MEAN_MOS":4.1,"MOS":4.2,"RFACTOR":85.5,"MIN_RFACTOR":80.2,"MEAN_RFACTOR":82.25,\
                "SRC_IP":"192.0.2.10","SRC_PORT":20000,"DST_IP":"198.51.100.7","DST_PORT":30000,\
                "SRC_MAC":"00-30-48-7E-5D-C6","DST_MAC":"00-12-80-D7-38-5E","OUT_ORDER":0,"SSRC_CHG":0,\
                "CODEC_PT":8,"CLOCK":8000,"CODEC_NAME":"PCMA","DIR":1,"REPORT_NAME":"192.0.2.10:20000",\
                "PARTY":1,"SSRC":"0X6687F6CF","TYPE":"PERIODIC"}""";
        QosReport r = parser.parseQosReport(bytes(json), 34);
        assertThat(r).isEqualTo(new QosReport(34, "c1@host", "c1@host", "PERIODIC", "192.0.2.10:20000",
                1767225601.5, 4.2, 4.032, 4.1, 85.5, 80.2, 82.25, 6.5, 10.25, 4.75, 1500, 1512, 12, 0x6687F6CFL,
                "192.0.2.10", 20000, "198.51.100.7", 30000, 8, "PCMA", 8000, 1, 1, Double.NaN, Double.NaN));
        assertThat(r.cumulative()).isFalse();
        assertThat(r.expectedOrDerived()).isEqualTo(1512);
    }

    @Test
    void finalAndShortReportsUseTheirOwnCountNames() throws Exception {
        QosReport fin = parser.parseQosReport(bytes("""
                {"CORRELATION_ID":"c2","MIN_MOS":4.409,"MEAN_MOS":4.3,"MEAN_RFACTOR":88.0,"MEAN_JITTER":2.5,\
                "TOTAL_PACKET_LOSS":7,"TOTAL_PACKETS":5000,"DIR":0,"PARTY":0,"ONE_WAY_RTP":0,"TYPE":"FINAL"}"""), 34);
        assertThat(fin.cumulative()).isTrue();
        assertThat(fin.packets()).isEqualTo(5000);
        assertThat(fin.lost()).isEqualTo(7);
        assertThat(fin.expected()).isEqualTo(-1);
        assertThat(fin.expectedOrDerived()).isEqualTo(5007);
        assertThat(fin.mos()).isNaN();
        assertThat(fin.mosMean()).isEqualTo(4.3);

        QosReport shortReport = parser.parseQosReport(bytes("""
                {"CORRELATION_ID":"c3","RTP_SIP_CALL_ID":"c3","PACKET_LOSS":3,"EXPECTED_PK":996,"CODEC_PT":9,\
                "CODEC_NAME":"G722","CODEC_RATE":8000,"MEAN_JITTER":1.5,"MOS":4.0,"RFACTOR":80,"DIR":0,\
                "REPORT_NAME":"10.0.0.1:26876","PARTY":0,"TYPE":"HANGUP"}"""), 35);
        assertThat(shortReport.hepType()).isEqualTo(35);
        assertThat(shortReport.clockRate()).isEqualTo(8000);
        assertThat(shortReport.expected()).isEqualTo(996);
        assertThat(shortReport.lost()).isEqualTo(3);
        assertThat(shortReport.srcPort()).isEqualTo(-1);
    }

    @Test
    void hepipeEslQosReportType32LowerCaseAndOddValues() throws Exception {
        // hepipe.js ESL bridge shape (type 32), with lower-case keys, an out-of-range MOS and R (ignored)
        QosReport r = parser.parseQosReport(bytes("""
                {"correlation_id":"fs-1","rtp_sip_call_id":"fs-1","jitter":3,"report_ts":1767225600123456,\
                "tl_byte":160000,"total_pk":1000,"packet_loss":0,"max_jitter":"5.5","min_jitter":0,"delta":20.1,\
                "mos":0,"rfactor":140,"src_ip":"203.0.113.5","src_port":16384,"dst_ip":"203.0.113.9",\
                "dst_port":16386,"codec_pt":0,"ptime":20,"clock":8000,"codec_name":"PCMU","type":"CHANNEL_DESTROY"}\
                """), 32);
        assertThat(r.correlationId()).isEqualTo("fs-1");
        assertThat(r.jitterMs()).isEqualTo(3.0);
        assertThat(r.jitterMaxMs()).isEqualTo(5.5);
        assertThat(r.mos()).as("MOS 0 = not measured").isNaN();
        assertThat(r.rFactor()).as("R 140 out of range").isNaN();
        assertThat(r.packets()).isEqualTo(1000);
        assertThat(r.expectedOrDerived()).isEqualTo(1000);
        assertThat(r.ssrc()).isEqualTo(-1);
        assertThat(r.codecName()).isEqualTo("PCMU");
    }

    @Test
    void badQosReportsGiveTypedErrors() {
        assertQosError("{\"CORRELATION_ID\":\"x\",\"TYPE\":\"PERIODIC\"}", "none of MOS");
        assertQosError("{\"MOS\":\"good\"}", "MOS is not a number");
        assertQosError("{\"MOS\":4,\"SRC_PORT\":70000}", "SRC_PORT 70000 outside 0..65535");
        assertQosError("{\"MOS\":4,\"TOTAL_PK\":-3}", "TOTAL_PK -3 outside");
        assertQosError("\"MOS\"", "JSON root is STRING");
        assertQosError("{\"MOS\":4", "malformed JSON");
    }

    private void assertRtcpError(String json, String reason) {
        assertThatThrownBy(() -> parser.parseRtcp(bytes(json)))
                .isInstanceOfSatisfying(RtcpParseException.class, e -> assertThat(e.reason()).contains(reason));
    }

    private void assertQosError(String json, String reason) {
        assertThatThrownBy(() -> parser.parseQosReport(bytes(json), 34))
                .isInstanceOfSatisfying(RtcpParseException.class, e -> assertThat(e.reason()).contains(reason));
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
