package io.hepstack.collector.protocol.sip;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/**
 * Every SIP message of every capture parses, and the counts match what
 * {@code testdata/SOURCES.md} states (from tshark/capinfos and from how the files were made):
 * an independent answer, not one taken from this parser. Payloads that are not SIP (RTP, RTCP,
 * DNS, NetBIOS, HTTP, ...) must be rejected with a {@link SipParseException}, never anything else.
 */
class SipCaptureTest {

    private final SipParser parser = new SipParser();

    /** Parsed messages of one capture, and how many payloads were rejected as not SIP. */
    private record Result(List<SipMessage> messages, int rejected, Map<String, Integer> histogram) {
        Set<String> callIds() {
            Set<String> ids = new HashSet<>();
            messages.forEach(m -> ids.add(m.callId()));
            return ids;
        }
    }

    private Result parseAll(List<SipCaptures.Payload> payloads) {
        List<SipMessage> out = new ArrayList<>();
        Map<String, Integer> histogram = new TreeMap<>();
        int rejected = 0;
        for (SipCaptures.Payload p : payloads) {
            try {
                SipMessage m = parser.parse(p.data(), 0, p.data().length);
                touchEverything(m);
                out.add(m);
                histogram.merge(m.isRequest() ? m.method() : Integer.toString(m.statusCode()), 1, Integer::sum);
            } catch (SipParseException e) {
                rejected++;
            }
        }
        return new Result(out, rejected, histogram);
    }

    private Result raw(String file) {
        Path c = SipCaptures.rawCaptures().stream().filter(p -> p.getFileName().toString().equals(file)).findFirst()
                .orElseThrow(() -> new AssertionError("capture missing: " + file));
        List<SipCaptures.Payload> payloads = new ArrayList<>(SipCaptures.datagrams(c));
        payloads.addAll(SipCaptures.tcpMessages(c));
        payloads.addAll(SipCaptures.sctpMessages(c));
        return parseAll(payloads);
    }

    private Result hep(String file) {
        Path c = SipCaptures.hepCaptures().stream().filter(p -> p.getFileName().toString().equals(file)).findFirst()
                .orElseThrow(() -> new AssertionError("capture missing: " + file));
        return parseAll(SipCaptures.hepSip(c));
    }

    /** Every accessor must work (or return null/-1) on every real message. */
    static void touchEverything(SipMessage m) {
        m.problems();
        m.reasonPhrase();
        m.requestUri();
        m.userAgent();
        m.server();
        m.contentType();
        m.allow();
        m.supported();
        m.headerNames().forEach(m::headers);
        m.body();
        m.raw();
        if (m.sdp() != null) {
            m.sdp().media().forEach(x -> x.codecs().forEach(SdpCodec::toString));
        }
    }

    @Test
    void heplifyUdpWithRtp() {
        Result r = raw("heplify-rtp_rtcp_sip_ipv4_udp.pcap");
        assertThat(r.histogram()).containsOnly(entry("REGISTER", 3), entry("INVITE", 2), entry("100", 2),
                entry("180", 2), entry("200", 4), entry("ACK", 1));
        assertThat(r.callIds()).hasSize(4);
        assertThat(r.rejected()).isGreaterThan(2884); // RTP, RTCP and the unrelated TCP are not SIP
    }

    @Test
    void sipOverTcp() {
        Result r = raw("heplify-sip_ipv4_tcp.pcap");
        assertThat(r.histogram()).containsOnly(entry("INVITE", 1), entry("100", 1), entry("180", 1), entry("200", 2),
                entry("ACK", 1), entry("BYE", 1));
        r.messages().forEach(m -> assertThat(m.via().transport()).isEqualTo("TCP"));
    }

    @Test
    void tcpRetransmissionsCountOnce() {
        // 4 REGISTER, 401×2, 200×2: half over TCP, half over UDP; frame 38 retransmits a 200 over TCP
        Result r = raw("heplify-sip_ipv4_tcp_retrans.pcap");
        assertThat(r.histogram()).containsOnly(entry("REGISTER", 4), entry("401", 2), entry("200", 2));
        assertThat(r.messages()).allSatisfy(m -> assertThat(m.problems()).isEmpty());
    }

    @Test
    void messageSplitOverTcpSegments() {
        Result r = raw("pkts-fragmented_tcp_sip.pcap");
        assertThat(r.histogram()).containsOnly(entry("INVITE", 1), entry("180", 1), entry("200", 2), entry("ACK", 1),
                entry("BYE", 1));
        SipMessage invite = r.messages().stream().filter(m -> SipMethod.INVITE.equals(m.method())).findFirst().orElseThrow();
        // frames 4, 6 and 8 carry 1448 + 1448 + 2259 bytes of it
        assertThat(invite.length()).isEqualTo(1448 + 1448 + 2259);
        assertThat(invite.bodyLength()).isEqualTo(invite.contentLength());
        assertThat(invite.headers("X-Hello-World")).hasSizeGreaterThan(30);
        assertThat(invite.sdp()).isNotNull();
        assertThat(invite.problems()).isEmpty();
    }

    @Test
    void firstIpFragmentOnlyIsAMessageWithProblems() {
        Path c = SipCaptures.repoTestdata().resolve("pcap/pkts-fragmented_udp_sip.pcap");
        SipCaptures.Payload first = SipCaptures.datagrams(c).get(0);
        assertThat(first.fragment()).isTrue();
        Result r = parseAll(List.of(first));
        SipMessage m = r.messages().get(0);
        assertThat(m.method()).isEqualTo(SipMethod.INVITE);
        assertThat(m.callId()).isEqualTo("1-21520@10.192.243.79");
        assertThat(m.problems()).contains("message truncated inside the header block; last 39 bytes dropped");
        assertThat(raw("pkts-fragmented_udp_sip.pcap").histogram()).containsOnly(entry("INVITE", 1), entry("180", 1),
                entry("200", 2), entry("ACK", 1), entry("BYE", 1));
    }

    @Test
    void sctpWithAMessageOverTwoChunks() {
        Result r = raw("heplify-sip_sctp.pcap");
        assertThat(r.histogram()).containsOnly(entry("INVITE", 1), entry("100", 1), entry("403", 1), entry("ACK", 1));
        SipMessage invite = r.messages().get(0);
        assertThat(invite.via().transport()).isEqualTo("SCTP");
        assertThat(invite.bodyLength()).isEqualTo(657);
        assertThat(invite.contentType()).startsWith("multipart/mixed");
        assertThat(invite.pAssertedIdentity().uri().user()).isEqualTo("9171969136");
        assertThat(invite.requestUri().param("user")).isEqualTo("phone");
    }

    @Test
    void greTunnelledPcapng() {
        Result r = raw("heplify-erspan_sip_ipv4_udp.pcapng");
        assertThat(r.histogram()).containsOnly(entry("INVITE", 16), entry("SUBSCRIBE", 12), entry("NOTIFY", 11),
                entry("REFER", 4), entry("BYE", 6), entry("ACK", 18), entry("100", 14), entry("180", 6), entry("200", 30),
                entry("202", 8), entry("401", 1), entry("407", 4), entry("481", 8), entry("488", 2));
        assertThat(r.callIds()).hasSize(7);
        // six messages of one dialog carry garbage bytes at the end of their To tag (tshark shows them too)
        List<SipMessage> bad = r.messages().stream().filter(m -> !m.problems().isEmpty()).toList();
        assertThat(bad).hasSize(6).allSatisfy(m -> {
            assertThat(m.problems()).singleElement().asString().startsWith("To: control byte 0x");
            assertThat(m.to().tag()).startsWith("00E4EF38-be");
        });
    }

    @Test
    void ipv6AndIpInIp() {
        Result v6 = raw("heplify-sip_ipv6_udp.pcap");
        assertThat(v6.histogram()).containsOnly(entry("INVITE", 1), entry("100", 1), entry("200", 2), entry("ACK", 1),
                entry("BYE", 1));
        SipMessage invite = v6.messages().get(0);
        assertThat(invite.sdp().connectionAddress()).isEqualTo("fe80:0:0:0:21a:a0ff:fe07:32e0");
        assertThat(invite.sdp().media().get(0).codecs()).extracting(SdpCodec::toString).containsExactly("pcmu/8000");

        Result ipip = raw("sngrep-ipip.pcap");
        assertThat(ipip.histogram()).containsOnly(entry("INVITE", 1), entry("183", 1), entry("BYE", 1), entry("200", 1));
    }

    @Test
    void realSoftphoneAgainstSerAndCirpack() {
        Result r = raw("sngrep-aaa.pcap");
        assertThat(r.histogram()).containsOnly(entry("REGISTER", 18), entry("INVITE", 11), entry("CANCEL", 11),
                entry("ACK", 7), entry("100", 7), entry("183", 1), entry("200", 3), entry("401", 14), entry("403", 3),
                entry("407", 3), entry("408", 2), entry("480", 1));
        assertThat(r.callIds()).hasSize(6);
    }

    @Test
    void pktsCaptures() {
        assertThat(raw("pkts-sip_rtp.pcap").histogram()).containsOnly(entry("INVITE", 1), entry("180", 1), entry("200", 2),
                entry("ACK", 1), entry("BYE", 1));
        Result sipp = raw("pkts-sipp.pcap");
        assertThat(sipp.histogram()).containsOnly(entry("INVITE", 5), entry("180", 5), entry("200", 10), entry("ACK", 5),
                entry("BYE", 5));
        assertThat(sipp.callIds()).hasSize(5);
        assertThat(raw("pkts-cancel.pcap").histogram()).containsOnly(entry("INVITE", 1), entry("100", 1), entry("180", 1),
                entry("CANCEL", 1), entry("200", 1), entry("487", 1), entry("ACK", 1));
    }

    @Test
    void zeekMalformedOnes() {
        Result cl = raw("zeek-invalid-content-length.pcap");
        assertThat(cl.histogram()).containsOnly(entry("INVITE", 1), entry("200", 1));
        assertThat(cl.messages()).allSatisfy(m -> {
            assertThat(m.contentLength()).isEqualTo(-1);
            assertThat(m.problems()).singleElement().asString().startsWith("Content-Length: not a number");
        });

        Path junk = SipCaptures.repoTestdata().resolve("pcap/zeek-sip-junk-before-request.pcap");
        List<SipCaptures.Payload> d = SipCaptures.datagrams(junk);
        assertThat(d).hasSize(2);
        assertThatThrownBy(() -> parser.parse(d.get(0).data()))
                .isInstanceOf(SipParseException.class)
                .hasMessage("not SIP: starts with byte 0x00 (offset 0)");
        Result r = parseAll(d);
        assertThat(r.histogram()).containsOnly(entry("REGISTER", 1));
        assertThat(r.messages().get(0).expires()).isEqualTo(3600);
        assertThat(r.messages().get(0).problems()).contains("missing mandatory header Call-ID");
    }

    @Test
    void scannersAndFloods() {
        Result scan = raw("sipvicious-scan-kamailio.pcap");
        assertThat(scan.histogram()).containsOnly(entry("OPTIONS", 3), entry("REGISTER", 203), entry("200", 1),
                entry("401", 108), entry("404", 95));
        Result flood = raw("register-flood-kamailio.pcap");
        assertThat(flood.histogram()).containsOnly(entry("REGISTER", 600), entry("401", 36), entry("404", 564));
        assertThat(flood.callIds()).hasSize(600);
        for (Result r : List.of(scan, flood, hep("kamailio-hep3-scan.pcap"), hep("kamailio-hep3-register-flood.pcap"))) {
            r.messages().stream().filter(SipMessage::isRequest)
                    .forEach(m -> assertThat(m.userAgent()).isEqualTo("friendly-scanner"));
            assertThat(r.messages()).allSatisfy(m -> assertThat(m.problems()).isEmpty());
        }
    }

    @Test
    void hepCaptures() {
        Result udp = hep("kamailio-hep3.pcap");
        assertThat(udp.histogram()).containsOnly(entry("INVITE", 40), entry("100", 20), entry("180", 39), entry("200", 80),
                entry("ACK", 40), entry("BYE", 40));
        assertThat(udp.callIds()).hasSize(20).allMatch(id -> id.endsWith("@127.0.0.1"));
        assertThat(hep("kamailio-hep3-tcp.pcap").messages()).hasSize(130); // 140 HEP, 10 of them LOG
        assertThat(hep("kamailio-hep3-scan.pcap").histogram()).containsOnly(entry("OPTIONS", 1), entry("200", 1),
                entry("REGISTER", 203), entry("401", 108), entry("404", 95));
        assertThat(hep("kamailio-hep3-register-flood.pcap").histogram()).containsOnly(entry("REGISTER", 600),
                entry("401", 36), entry("404", 564));
        for (Result r : List.of(udp, hep("kamailio-hep3-tcp.pcap"))) {
            assertThat(r.messages()).allSatisfy(m -> assertThat(m.problems()).isEmpty());
        }
    }

    @Test
    void hepgenCallsMatchTheirTable() {
        // testdata/SOURCES.md, "hepgen-20calls.pcap: the 20 calls": Call-ID, from, to, outcome
        String[][] calls = {
            {"325a1333-0ebb-5c2d-38a24bec5164@81.2.69.142", "+442071838750", "+442079460123", "answered"},
            {"1b97b907-9371-3386-bf3d0348cb04@89.160.20.112", "+46812345678", "+4915123456789", "answered"},
            {"58f03404-ff10-cadd-f828e65f08c8@216.160.83.56", "+12065550147", "+4915123456789", "answered"},
            {"98136680-8ae6-adf0-2974bac3dcda@2.125.160.216", "+441865270000", "+33142685300", "answered"},
            {"cad69fd5-e72a-138e-08e25b00c109@175.16.199.10", "+8643188881234", "+447700900123", "answered"},
            {"9bd824b6-78c8-847b-2f1e0af95318@12.81.92.20", "+12125550199", "+88213000123", "486"},
            {"fd0707ea-a4c7-67d9-5d7422dcf414@81.2.69.142", "+442071838750", "+33142685300", "answered"},
            {"0bd909f4-9a95-2c4e-a37c7e9eed08@89.160.20.112", "+46812345678", "+88213000123", "answered"},
            {"140722c4-3191-cc22-9a1ad0393a3b@216.160.83.56", "+12065550147", "+3727123456", "answered"},
            {"ca476959-8ff7-076f-a09ac7995b98@2.125.160.216", "+441865270000", "+4915123456789", "answered"},
            {"e9efe16c-8d8f-0f43-64d7cbc71c0b@175.16.199.10", "+8643188881234", "+33142685300", "answered"},
            {"2351c79e-26f8-ecea-a7e1a9f82f24@12.81.92.20", "+12125550199", "+861012345678", "answered"},
            {"d5e3fb30-8968-1dc8-a368882cdc7c@81.2.69.142", "+442071838750", "+447700900123", "486"},
            {"cb5f16c7-2c43-cc38-ab59ce65d9c7@89.160.20.112", "+46812345678", "+4930901820", "answered"},
            {"7295142d-571f-f00b-206f7607036f@216.160.83.56", "+12065550147", "+5372345678", "answered"},
            {"80b8cdb3-bdee-6d5f-d125bad90879@2.125.160.216", "+441865270000", "+4930901820", "answered"},
            {"5678584c-6d7b-5464-f294c190697a@175.16.199.10", "+8643188881234", "+5372345678", "answered"},
            {"455256d9-0875-2d0c-424e9c7084ac@12.81.92.20", "+12125550199", "+5372345678", "answered"},
            {"507b1e83-60e2-cd9c-3a93ae985da4@81.2.69.142", "+442071838750", "+4915123456789", "answered"},
            {"ff57e3a2-6d40-e1ed-7c81f8e4a860@89.160.20.112", "+46812345678", "+442079460123", "answered"},
        };
        Result r = hep("hepgen-20calls.pcap");
        assertThat(r.messages()).hasSize(134);
        assertThat(r.callIds()).hasSize(20);
        for (String[] call : calls) {
            List<SipMessage> dialog = r.messages().stream().filter(m -> call[0].equals(m.callId())).toList();
            SipMessage invite = dialog.stream().filter(m -> SipMethod.INVITE.equals(m.method())).findFirst().orElseThrow();
            assertThat(invite.from().uri().user()).as(call[0]).isEqualTo(call[1]);
            assertThat(invite.to().uri().user()).as(call[0]).isEqualTo(call[2]);
            assertThat(invite.via().host()).as(call[0]).isEqualTo(call[0].substring(call[0].indexOf('@') + 1));
            assertThat(invite.sdp()).as(call[0]).isNotNull();
            boolean busy = dialog.stream().anyMatch(m -> m.statusCode() == 486);
            boolean bye = dialog.stream().anyMatch(m -> SipMethod.BYE.equals(m.method()));
            assertThat(busy).as(call[0]).isEqualTo(call[3].equals("486"));
            assertThat(bye).as(call[0]).isEqualTo(call[3].equals("answered"));
        }
        assertThat(r.messages()).allSatisfy(m -> assertThat(m.problems()).isEmpty());
    }
}
