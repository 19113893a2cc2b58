package io.hepstack.collector.api;

import io.hepstack.collector.hep.HepEncoder;
import io.hepstack.collector.hep.HepPacket;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * HEP packets of a whole SIP call (INVITE, 100, 180, 200 with SDP, ACK, BYE, 200) between two
 * endpoints at known µs times, with extra INVITE headers (X-CID for a B2BUA's B leg) — for tests
 * whose answers must be known exactly. Times are given in µs after {@code t0}.
 */
public final class SipCallFixture {

    public final String callId;
    public final String callerIp;
    public final String calleeIp;
    public final long t0;
    public String fromUser = "alice";
    public String toUser = "+4930901820";
    public String extraHeader;
    public long captureId = 2101;
    public String node = "b2bua-1";
    /** µs offsets of INVITE, 100, 180, 200, ACK, BYE, 200(BYE) */
    public long[] at = {0, 1_234, 500_017, 2_000_003, 2_010_500, 30_000_001, 30_020_999};

    public SipCallFixture(String callId, String callerIp, String calleeIp, long t0) {
        this.callId = callId;
        this.callerIp = callerIp;
        this.calleeIp = calleeIp;
        this.t0 = t0;
    }

    /** What each packet is, in order: the ladder's expected labels. */
    public static final List<String> LABELS = List.of("INVITE (SDP)", "100 Trying", "180 Ringing", "200 OK (SDP)", "ACK",
            "BYE", "200 OK");

    public List<byte[]> hep() {
        HepEncoder enc = new HepEncoder();
        List<byte[]> out = new ArrayList<>();
        String sdpCaller = sdp(callerIp, 40000);
        String sdpCallee = sdp(calleeIp, 50000);
        String inv = request("INVITE", 1, "z9hG4bK-" + callId.hashCode() + "-i", "", (extraHeader == null ? "" : extraHeader + "\r\n"), sdpCaller);
        out.add(enc.encode(packet(true, at[0], inv)));
        out.add(enc.encode(packet(false, at[1], response(100, "Trying", 1, "INVITE", "z9hG4bK-" + callId.hashCode() + "-i", false, ""))));
        out.add(enc.encode(packet(false, at[2], response(180, "Ringing", 1, "INVITE", "z9hG4bK-" + callId.hashCode() + "-i", true, ""))));
        out.add(enc.encode(packet(false, at[3], response(200, "OK", 1, "INVITE", "z9hG4bK-" + callId.hashCode() + "-i", true, sdpCallee))));
        out.add(enc.encode(packet(true, at[4], request("ACK", 1, "z9hG4bK-" + callId.hashCode() + "-a", ";tag=callee-1", "", ""))));
        out.add(enc.encode(packet(true, at[5], request("BYE", 2, "z9hG4bK-" + callId.hashCode() + "-b", ";tag=callee-1", "", ""))));
        out.add(enc.encode(packet(false, at[6], response(200, "OK", 2, "BYE", "z9hG4bK-" + callId.hashCode() + "-b", true, ""))));
        return out;
    }

    private static String sdp(String ip, int port) {
        return "v=0\r\no=- 1 1 IN IP4 " + ip + "\r\ns=-\r\nc=IN IP4 " + ip + "\r\nt=0 0\r\nm=audio " + port
                + " RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n";
    }

    private String request(String method, int cseq, String branch, String toTag, String extra, String body) {
        String uri = "sip:" + toUser + "@" + calleeIp;
        return method + " " + uri + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + callerIp + ":5060;branch=" + branch + "\r\n"
                + "From: <sip:" + fromUser + "@" + callerIp + ">;tag=caller-1\r\n"
                + "To: <sip:" + toUser + "@" + calleeIp + ">" + toTag + "\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + cseq + " " + method + "\r\n"
                + "Contact: <sip:" + fromUser + "@" + callerIp + ":5060>\r\n"
                + "User-Agent: FixturePhone/1.0\r\n"
                + "Max-Forwards: 70\r\n"
                + extra
                + (body.isEmpty() ? "" : "Content-Type: application/sdp\r\n")
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    private String response(int code, String reason, int cseq, String method, String branch, boolean tag, String body) {
        return "SIP/2.0 " + code + " " + reason + "\r\n"
                + "Via: SIP/2.0/UDP " + callerIp + ":5060;branch=" + branch + "\r\n"
                + "From: <sip:" + fromUser + "@" + callerIp + ">;tag=caller-1\r\n"
                + "To: <sip:" + toUser + "@" + calleeIp + ">" + (tag ? ";tag=callee-1" : "") + "\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + cseq + " " + method + "\r\n"
                + "Server: FixturePBX/2.0\r\n"
                + (body.isEmpty() ? "" : "Content-Type: application/sdp\r\n")
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    private HepPacket packet(boolean fromCaller, long offset, String sip) {
        HepPacket h = new HepPacket();
        h.version = 3;
        h.ipFamily = HepPacket.AF_INET;
        h.ipProtocol = 17;
        h.srcIp = addr(fromCaller ? callerIp : calleeIp);
        h.dstIp = addr(fromCaller ? calleeIp : callerIp);
        h.srcPort = 5060;
        h.dstPort = 5060;
        long micros = t0 + offset;
        h.timeSeconds = micros / 1_000_000L;
        h.timeMicros = micros % 1_000_000L;
        h.protoType = HepPacket.PROTO_SIP;
        h.captureId = captureId;
        h.nodeName = node;
        h.payload = sip.getBytes(StandardCharsets.UTF_8);
        return h;
    }

    private static byte[] addr(String ip) {
        try {
            return InetAddress.getByName(ip).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }
}
