package io.hepstack.collector.fraud;

import io.hepstack.collector.fraud.rules.FraudConfig;
import io.hepstack.collector.pcap.PcapPacket;
import io.hepstack.collector.pcap.PcapReader;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real scanner and flood traffic (SIPVicious and a SIPp REGISTER flood against Kamailio, see
 * testdata SOURCES.md) replayed as {@link SipSeen}, with the default checks; and quiet SIPp calls.
 */
class PcapReplayTest {

    private static final Path PCAPS = Path.of("../testdata/pcap");

    /** The few SIP fields the checks need, cut out of a UDP payload (the real parser lives elsewhere). */
    static SipSeen sipSeen(PcapPacket p) throws UnknownHostException {
        String text = new String(p.payload(), StandardCharsets.ISO_8859_1);
        int eol = text.indexOf("\r\n");
        if (eol < 0) {
            return null;
        }
        String first = text.substring(0, eol);
        String method = null;
        int status = 0;
        if (first.startsWith("SIP/2.0 ")) {
            status = Integer.parseInt(first.substring(8, 11));
        } else if (first.endsWith(" SIP/2.0")) {
            method = first.substring(0, first.indexOf(' '));
        } else {
            return null;
        }
        String ua = null;
        String from = null;
        String to = null;
        String callId = null;
        for (String line : text.substring(eol + 2).split("\r\n")) {
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase();
            String value = line.substring(colon + 1).trim();
            switch (name) {
                case "user-agent" -> ua = value;
                case "from", "f" -> from = uriUser(value);
                case "to", "t" -> to = uriUser(value);
                case "call-id", "i" -> callId = value;
                default -> { }
            }
        }
        // a response is about the requester, i.e. where the response goes
        byte[] party = method != null ? p.srcIp() : p.dstIp();
        String ip = InetAddress.getByAddress(party).getHostAddress();
        return new SipSeen(p.timestampMicros(), ip, method, status, ua, from, to, callId);
    }

    private static String uriUser(String header) {
        int sip = header.indexOf("sip:");
        int at = header.indexOf('@', sip);
        return sip < 0 || at < 0 ? null : header.substring(sip + 4, at);
    }

    private static List<SipSeen> replay(String file) throws Exception {
        List<SipSeen> out = new ArrayList<>();
        for (PcapPacket p : PcapReader.read(PCAPS.resolve(file))) {
            SipSeen s = p.payload() == null || p.payload().length == 0 ? null : sipSeen(p);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    private static Set<String> kinds(List<Alert> alerts) {
        return alerts.stream().map(a -> a.rule().code() + "/" + a.parameter() + "/" + a.severity().code())
                .collect(Collectors.toSet());
    }

    @Test
    void aRegisterFloodRaisesFloodScannerAndFailureRatioAlerts() throws Exception {
        List<SipSeen> sip = replay("register-flood-kamailio.pcap");
        // known answer (SOURCES.md): 600 REGISTER, 36 x 401, 564 x 404
        assertThat(sip.stream().filter(SipSeen::isRequest).count()).isEqualTo(600);
        assertThat(sip.stream().filter(s -> s.statusCode() == 404).count()).isEqualTo(564);
        FraudTestSupport.Recorder rec = new FraudTestSupport.Recorder();
        FraudEngine e = new FraudEngine(FraudConfig.defaults(), rec);
        sip.forEach(e::onSip);
        e.tick(sip.get(sip.size() - 1).timeMicros() + 600_000_000L);

        assertThat(kinds(rec.all)).containsExactlyInAnyOrder(
                "sip-flood/REGISTER/warning", "sip-flood/REGISTER/critical",
                "scanner-user-agent/scanner-user-agent/warning", "scanner-user-agent/scanner-user-agent/critical",
                "auth-failure-ratio/auth-failure-ratio/critical");
        List<Alert> latest = e.recentAlerts(100);
        Alert flood = latest.stream().filter(a -> a.rule() == AlertRule.SIP_FLOOD && a.severity() == Severity.CRITICAL)
                .findFirst().orElseThrow();
        assertThat(flood.subject()).isEqualTo("127.0.0.1");
        assertThat(flood.threshold()).isEqualTo(300);
        assertThat(flood.value()).as("REGISTERs in the 10 s window at the last one").isEqualTo(600);
        assertThat(flood.count()).as("REGISTER number 300 to 600").isEqualTo(301);
        Alert ratio = latest.stream().filter(a -> a.rule() == AlertRule.AUTH_FAILURE_RATIO).findFirst().orElseThrow();
        assertThat(ratio.value()).as("every final response is a 401 or a 404").isEqualTo(1.0);
        Alert scanner = latest.stream().filter(a -> a.rule() == AlertRule.SCANNER_USER_AGENT
                && a.severity() == Severity.CRITICAL).findFirst().orElseThrow();
        assertThat(scanner.message()).contains("friendly-scanner");
        assertThat(e.metrics().sipSeen()).isEqualTo(1200);
        assertThat(e.metrics().alertsCreatedTotal()).isEqualTo(5);
    }

    @Test
    void aSipviciousScanRaisesScannerAndFailureRatioAlertsButNoCriticalFlood() throws Exception {
        List<SipSeen> sip = replay("sipvicious-scan-kamailio.pcap");
        // known answer: 3 OPTIONS and 203 REGISTER (friendly-scanner); 1 x 200, 108 x 401, 95 x 404
        assertThat(sip.stream().filter(SipSeen::isRequest).count()).isEqualTo(206);
        assertThat(sip.stream().filter(s -> "friendly-scanner".equals(s.userAgent())).count()).isEqualTo(206);
        FraudTestSupport.Recorder rec = new FraudTestSupport.Recorder();
        FraudEngine e = new FraudEngine(FraudConfig.defaults(), rec);
        sip.forEach(e::onSip);

        assertThat(kinds(rec.all)).containsExactlyInAnyOrder(
                "sip-flood/REGISTER/warning",   // 203 REGISTER within 10 s: over 100, under 300
                "scanner-user-agent/scanner-user-agent/warning", "scanner-user-agent/scanner-user-agent/critical",
                "auth-failure-ratio/auth-failure-ratio/critical");
        Alert ratio = e.recentAlerts(100).stream().filter(a -> a.rule() == AlertRule.AUTH_FAILURE_RATIO)
                .findFirst().orElseThrow();
        assertThat(ratio.value()).as("203 failures of 204 final responses").isEqualTo(0.9951);
        assertThat(ratio.message()).contains("203 of 204");
    }

    @Test
    void quietSippCallsRaiseNothing() throws Exception {
        List<SipSeen> sip = replay("pkts-sipp.pcap");
        assertThat(sip.stream().filter(s -> "INVITE".equals(s.method())).count()).isEqualTo(5);
        FraudTestSupport.Recorder rec = new FraudTestSupport.Recorder();
        FraudEngine e = new FraudEngine(FraudConfig.defaults(), rec);
        for (SipSeen s : sip) {
            e.onSip(s);
            if ("INVITE".equals(s.method())) {
                e.onCallStarted(CallStarted.builder(s.callId(), s.timeMicros()).user(s.fromUser())
                        .calledNumber(s.toUser()).sourceIp(s.sourceIp()).build());
            } else if ("BYE".equals(s.method())) {
                e.onCallEnded(CallEnded.answered(s.callId(), s.timeMicros(), 1));
            }
        }
        e.tick(sip.get(sip.size() - 1).timeMicros() + 3_600_000_000L);
        assertThat(rec.all).isEmpty();
        assertThat(e.metrics().alertsCreatedTotal()).isZero();
        assertThat(e.metrics().callsStarted()).isEqualTo(5);
        assertThat(e.metrics().liveCalls()).isZero();
    }
}
