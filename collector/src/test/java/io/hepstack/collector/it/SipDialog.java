package io.hepstack.collector.it;

import io.hepstack.collector.hep.HepEncoder;
import io.hepstack.collector.hep.HepPacket;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One SIP dialog between two hosts as HEP3 packets with exact microsecond capture times, for the
 * end-to-end tests that need calls the bundled captures do not have (current times for the live
 * overview, a B2BUA whose second leg names the first in X-CID). Each message is recorded with its
 * time and start line, so a test knows the ladder it must see.
 */
final class SipDialog {

    /** A message sent: capture time (µs since the epoch), sender, receiver, label as the ladder shows it. */
    record Sent(long micros, String from, String to, String label, byte[] hep) {
    }

    private static final HepEncoder ENCODER = new HepEncoder();

    final String callId;
    final String callerIp;
    final int callerPort;
    final String calleeIp;
    final int calleePort;
    final String fromUser;
    final String toUser;
    private final List<String> inviteHeaders = new ArrayList<>();
    private final List<Sent> sent = new ArrayList<>();
    private int cseq = 1;

    SipDialog(String callId, String callerIp, int callerPort, String calleeIp, int calleePort, String fromUser, String toUser) {
        this.callId = callId;
        this.callerIp = callerIp;
        this.callerPort = callerPort;
        this.calleeIp = calleeIp;
        this.calleePort = calleePort;
        this.fromUser = fromUser;
        this.toUser = toUser;
    }

    /** An extra header on the INVITE, e.g. {@code X-CID: <A leg's Call-ID>}. */
    SipDialog inviteHeader(String name, String value) {
        inviteHeaders.add(name + ": " + value);
        return this;
    }

    List<Sent> sent() {
        return List.copyOf(sent);
    }

    SipDialog invite(long micros) {
        StringBuilder extra = new StringBuilder();
        inviteHeaders.forEach(h -> extra.append(h).append("\r\n"));
        return request(micros, "INVITE", extra.toString(), sdp(callerIp, 40000));
    }

    SipDialog ack(long micros) {
        return request(micros, "ACK", "", null);
    }

    /** A BYE from the caller (new CSeq). */
    SipDialog bye(long micros) {
        cseq++;
        return request(micros, "BYE", "", null);
    }

    /** A request inside the dialog from the caller (INFO, UPDATE, ...), with a new CSeq. */
    SipDialog inDialog(long micros, String method) {
        cseq++;
        return request(micros, method, "", null);
    }

    /** A response from the callee to the last request; a 200 to the INVITE carries SDP. */
    SipDialog reply(long micros, int code, String reason, String method) {
        String body = code == 200 && method.equals("INVITE") ? sdp(calleeIp, 50000) : null;
        String text = "SIP/2.0 " + code + " " + reason + "\r\n"
                + via() + from() + to(code > 100) + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + cseq + " " + method + "\r\n"
                + "Server: TestPBX/2.0\r\n"
                + content(body);
        return add(micros, calleeIp, calleePort, callerIp, callerPort, text, code + " " + reason + (body != null ? " (SDP)" : ""));
    }

    /** An RTCP receiver report (heplify JSON) about this call, from callee media to caller media. */
    SipDialog rtcp(long micros, int lost, int packets, int iaJitter) {
        String json = "{\"ssrc\":1111,\"type\":201,\"report_count\":1,\"report_blocks\":[{\"source_ssrc\":2222,"
                + "\"fraction_lost\":" + (lost * 256 / Math.max(1, packets)) + ",\"packets_lost\":" + lost
                + ",\"highest_seq_no\":" + packets + ",\"ia_jitter\":" + iaJitter + ",\"lsr\":0,\"dlsr\":0}]}";
        HepPacket p = packet(micros, calleeIp, 50001, callerIp, 40001, HepPacket.PROTO_RTCP_JSON, json);
        p.correlationId = callId;
        sent.add(new Sent(micros, calleeIp + ":" + 50001, callerIp + ":" + 40001, "RTCP", ENCODER.encode(p)));
        return this;
    }

    private SipDialog request(long micros, String method, String extra, String body) {
        String text = method + " sip:" + toUser + "@" + calleeIp + ":" + calleePort + " SIP/2.0\r\n"
                + via() + from() + to(!method.equals("INVITE")) + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + cseq + " " + method + "\r\n"
                + "Contact: <sip:" + fromUser + "@" + callerIp + ":" + callerPort + ">\r\n"
                + "Max-Forwards: 70\r\nUser-Agent: TestPhone/1.0\r\n" + extra
                + content(body);
        return add(micros, callerIp, callerPort, calleeIp, calleePort, text, method + (body != null ? " (SDP)" : ""));
    }

    private SipDialog add(long micros, String src, int sport, String dst, int dport, String text, String label) {
        HepPacket p = packet(micros, src, sport, dst, dport, HepPacket.PROTO_SIP, text);
        sent.add(new Sent(micros, src + ":" + sport, dst + ":" + dport, label, ENCODER.encode(p)));
        return this;
    }

    private String via() {
        return "Via: SIP/2.0/UDP " + callerIp + ":" + callerPort + ";branch=z9hG4bK-" + Integer.toHexString(callId.hashCode()) + "-" + cseq + "\r\n";
    }

    private String from() {
        return "From: <sip:" + fromUser + "@" + callerIp + ">;tag=f" + Integer.toHexString(callId.hashCode()) + "\r\n";
    }

    private String to(boolean tagged) {
        return "To: <sip:" + toUser + "@" + calleeIp + ">" + (tagged ? ";tag=t" + Integer.toHexString(callId.hashCode()) : "") + "\r\n";
    }

    private static String content(String body) {
        if (body == null) {
            return "Content-Length: 0\r\n\r\n";
        }
        return "Content-Type: application/sdp\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    private static String sdp(String ip, int port) {
        return "v=0\r\no=- 1 1 IN IP4 " + ip + "\r\ns=-\r\nc=IN IP4 " + ip + "\r\nt=0 0\r\n"
                + "m=audio " + port + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
    }

    private static HepPacket packet(long micros, String src, int sport, String dst, int dport, int protoType, String payload) {
        HepPacket p = new HepPacket();
        p.version = 3;
        p.ipFamily = HepPacket.AF_INET;
        p.ipProtocol = 17;
        p.srcIp = address(src);
        p.dstIp = address(dst);
        p.srcPort = sport;
        p.dstPort = dport;
        p.timeSeconds = micros / 1_000_000L;
        p.timeMicros = micros % 1_000_000L;
        p.protoType = protoType;
        p.captureId = 2099;
        p.nodeName = "ui-test";
        p.payload = payload.getBytes(StandardCharsets.UTF_8);
        return p;
    }

    private static byte[] address(String ip) {
        try {
            return InetAddress.getByName(ip).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }
}
