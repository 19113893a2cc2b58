package io.hepstack.collector.correlate;

import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.Transport;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds SIP dialogs, RTCP and LOG packets as HEP messages for correlation tests: a {@link Dialog}
 * knows both parties, tags, CSeq and branch, and hands out {@link Msg}s at millisecond offsets
 * from its start; each can be changed (headers, SDP, capture point, correlation id) before it is
 * turned into a parsed {@link CapturedMessage}.
 */
final class TestSip {

    /** 2002-01-01T10:00:00Z: far in the past, so test indices never collide with real ones. */
    static final long T0 = micros("2002-01-01T10:00:00Z");

    private TestSip() {
    }

    static long micros(String iso) {
        Instant i = Instant.parse(iso);
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
    }

    /** One call (or transaction) between a caller and a callee. */
    static final class Dialog {
        final String callId;
        long t0 = T0;
        String callerIp = "10.1.1.1";
        int callerPort = 5060;
        String calleeIp = "10.2.2.2";
        int calleePort = 5060;
        String fromUser = "alice";
        String fromHost = "example.com";
        String fromDisplay = "Alice";
        String toUser = "+4930901820";
        String toHost = "example.com";
        String fromTag = "from-1";
        String toTag = "to-1";
        String branch = "z9hG4bK-inv-1";
        long cseq = 1;
        long captureId = 1001;
        String node = "node-1";
        String userAgent = "TestPhone/1.0";
        String server = "TestPBX/2.0";

        Dialog(String callId) {
            this.callId = callId;
        }

        long at(long ms) {
            return t0 + ms * 1000;
        }

        /** The initial INVITE (no To tag) with the caller's SDP. */
        Msg invite(long ms) {
            Msg m = request("INVITE", "sip:" + toUser + "@" + toHost, true, ms, cseq, branch, false);
            m.header("User-Agent", userAgent);
            m.header("Contact", "<sip:" + fromUser + "@" + callerIp + ":" + callerPort + ">");
            m.sdp(callerIp, 4000, "PCMU/8000");
            return m;
        }

        /** A response to the current INVITE, from the callee, with the To tag unless it is a 100. */
        Msg reply(int code, String reason, long ms) {
            return response(code, reason, "INVITE", cseq, branch, code > 100 ? toTag : null, ms);
        }

        Msg response(int code, String reason, String method, long cseqNo, String viaBranch, String tag, long ms) {
            Msg m = new Msg(this, "SIP/2.0 " + code + " " + reason, calleeIp, calleePort, callerIp, callerPort, ms);
            m.header("Via", "SIP/2.0/UDP " + callerIp + ":" + callerPort + ";branch=" + viaBranch);
            m.header("From", "\"" + fromDisplay + "\" <sip:" + fromUser + "@" + fromHost + ">;tag=" + fromTag);
            m.header("To", "<sip:" + toUser + "@" + toHost + ">" + (tag == null ? "" : ";tag=" + tag));
            m.header("Call-ID", callId);
            m.header("CSeq", cseqNo + " " + method);
            if (code > 100) {
                m.header("Server", server);
            }
            return m;
        }

        /** An in-dialog request from the caller ({@code fromCaller}) or the callee. */
        Msg inDialog(String method, boolean fromCaller, long cseqNo, String viaBranch, long ms) {
            Msg m;
            if (fromCaller) {
                m = request(method, "sip:" + toUser + "@" + calleeIp, true, ms, cseqNo, viaBranch, true);
            } else {
                m = new Msg(this, method + " sip:" + fromUser + "@" + callerIp + " SIP/2.0", calleeIp, calleePort,
                        callerIp, callerPort, ms);
                m.header("Via", "SIP/2.0/UDP " + calleeIp + ":" + calleePort + ";branch=" + viaBranch);
                m.header("From", "<sip:" + toUser + "@" + toHost + ">;tag=" + toTag);
                m.header("To", "\"" + fromDisplay + "\" <sip:" + fromUser + "@" + fromHost + ">;tag=" + fromTag);
                m.header("Call-ID", callId);
                m.header("CSeq", cseqNo + " " + method);
            }
            return m;
        }

        /** The answer to an in-dialog request (sent back to whoever sent it). */
        Msg answer(Msg request, int code, String reason, long ms) {
            Msg m = new Msg(this, "SIP/2.0 " + code + " " + reason, request.dstIp, request.dstPort, request.srcIp,
                    request.srcPort, ms);
            for (String[] h : request.headers) {
                switch (h[0]) {
                    case "Via", "From", "Call-ID", "CSeq" -> m.header(h[0], h[1]);
                    case "To" -> m.header("To", h[1].contains(";tag=") || code == 100 ? h[1] : h[1] + ";tag=" + toTag);
                    default -> {
                    }
                }
            }
            return m;
        }

        Msg cancel(long ms) {
            Msg m = request("CANCEL", "sip:" + toUser + "@" + toHost, true, ms, cseq, branch, false);
            return m;
        }

        Msg ackForFailure(long ms) {
            return request("ACK", "sip:" + toUser + "@" + toHost, true, ms, cseq, branch, true);
        }

        Msg request(String method, String ruri, boolean fromCaller, long ms, long cseqNo, String viaBranch,
                    boolean withToTag) {
            Msg m = new Msg(this, method + " " + ruri + " SIP/2.0", callerIp, callerPort, calleeIp, calleePort, ms);
            m.header("Via", "SIP/2.0/UDP " + callerIp + ":" + callerPort + ";branch=" + viaBranch);
            m.header("Max-Forwards", "70");
            m.header("From", "\"" + fromDisplay + "\" <sip:" + fromUser + "@" + fromHost + ">;tag=" + fromTag);
            m.header("To", "<sip:" + toUser + "@" + toHost + ">" + (withToTag ? ";tag=" + toTag : ""));
            m.header("Call-ID", callId);
            m.header("CSeq", cseqNo + " " + method);
            return m;
        }
    }

    /** One SIP message on its way to becoming a HEP packet. */
    static final class Msg {
        final Dialog dialog;
        String startLine;
        final List<String[]> headers = new ArrayList<>();
        String body;
        String contentType;
        String srcIp;
        int srcPort;
        String dstIp;
        int dstPort;
        long micros;
        long captureId;
        String node;
        String correlationId;

        Msg(Dialog d, String startLine, String srcIp, int srcPort, String dstIp, int dstPort, long ms) {
            this.dialog = d;
            this.startLine = startLine;
            this.srcIp = srcIp;
            this.srcPort = srcPort;
            this.dstIp = dstIp;
            this.dstPort = dstPort;
            this.micros = d.at(ms);
            this.captureId = d.captureId;
            this.node = d.node;
        }

        Msg header(String name, String value) {
            headers.add(new String[]{name, value});
            return this;
        }

        /** Replaces the value of the first header with this name. */
        Msg set(String name, String value) {
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(name)) {
                    h[1] = value;
                    return this;
                }
            }
            return header(name, value);
        }

        /** Adds a Via on top (a proxy forwarding the request). */
        Msg topVia(String via) {
            headers.add(0, new String[]{"Via", via});
            return this;
        }

        Msg sdp(String ip, int port, String... codecs) {
            StringBuilder sb = new StringBuilder();
            sb.append("v=0\r\no=- 1 1 IN IP4 ").append(ip).append("\r\ns=test\r\nc=IN IP4 ").append(ip)
                    .append("\r\nt=0 0\r\nm=audio ").append(port).append(" RTP/AVP");
            for (int i = 0; i < codecs.length; i++) {
                sb.append(' ').append(pt(codecs[i], i));
            }
            sb.append("\r\n");
            for (int i = 0; i < codecs.length; i++) {
                sb.append("a=rtpmap:").append(pt(codecs[i], i)).append(' ').append(codecs[i]).append("\r\n");
            }
            body = sb.toString();
            contentType = "application/sdp";
            return this;
        }

        private static int pt(String codec, int i) {
            return codec.startsWith("PCMU") ? 0 : codec.startsWith("PCMA") ? 8 : codec.startsWith("G729") ? 18 : 96 + i;
        }

        Msg at(long ms) {
            micros = dialog.at(ms);
            return this;
        }

        Msg capture(long id, String nodeName) {
            captureId = id;
            node = nodeName;
            return this;
        }

        Msg correlation(String cid) {
            correlationId = cid;
            return this;
        }

        Msg from(String ip, int port) {
            srcIp = ip;
            srcPort = port;
            return this;
        }

        Msg to(String ip, int port) {
            dstIp = ip;
            dstPort = port;
            return this;
        }

        /** A copy (another capture of the same message). */
        Msg copy() {
            Msg m = new Msg(dialog, startLine, srcIp, srcPort, dstIp, dstPort, 0);
            for (String[] h : headers) {
                m.headers.add(new String[]{h[0], h[1]});
            }
            m.body = body;
            m.contentType = contentType;
            m.micros = micros;
            m.captureId = captureId;
            m.node = node;
            m.correlationId = correlationId;
            return m;
        }

        String text() {
            StringBuilder sb = new StringBuilder(512);
            sb.append(startLine).append("\r\n");
            for (String[] h : headers) {
                sb.append(h[0]).append(": ").append(h[1]).append("\r\n");
            }
            byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            if (contentType != null) {
                sb.append("Content-Type: ").append(contentType).append("\r\n");
            }
            sb.append("Content-Length: ").append(b.length).append("\r\n\r\n");
            if (body != null) {
                sb.append(body);
            }
            return sb.toString();
        }

        HepPacket hep() {
            return packet(HepPacket.PROTO_SIP, srcIp, srcPort, dstIp, dstPort, micros, captureId, node, correlationId,
                    text().getBytes(StandardCharsets.UTF_8));
        }
    }

    static HepPacket packet(int type, String srcIp, int srcPort, String dstIp, int dstPort, long micros, long captureId,
                            String node, String correlationId, byte[] payload) {
        HepPacket p = new HepPacket();
        p.version = 3;
        p.ipFamily = HepPacket.AF_INET;
        p.ipProtocol = 17;
        p.srcIp = addr(srcIp);
        p.dstIp = addr(dstIp);
        p.srcPort = srcPort;
        p.dstPort = dstPort;
        p.timeSeconds = micros / 1_000_000;
        p.timeMicros = micros % 1_000_000;
        p.protoType = type;
        p.captureId = captureId;
        p.nodeName = node;
        p.correlationId = correlationId;
        p.payload = payload;
        return p;
    }

    /** A heplify-style RTCP JSON report (HEP type 5): an SR with one report block. */
    static HepPacket rtcp(String srcIp, int srcPort, String dstIp, int dstPort, long micros, String correlationId,
                          long ssrc, long sourceSsrc, long packets, int fractionLost, int lost, long highestSeq,
                          long jitter) {
        String json = "{\"sender_information\":{\"ntp_timestamp_sec\":3976214475,\"ntp_timestamp_usec\":2761663971,"
                + "\"rtp_timestamp\":584000,\"packets\":" + packets + ",\"octets\":" + packets * 160 + "},\"ssrc\":" + ssrc
                + ",\"type\":200,\"report_count\":1,\"report_blocks\":[{\"source_ssrc\":" + sourceSsrc
                + ",\"fraction_lost\":" + fractionLost + ",\"packets_lost\":" + lost + ",\"highest_seq_no\":" + highestSeq
                + ",\"ia_jitter\":" + jitter + ",\"lsr\":0,\"dlsr\":0}],\"sdes_ssrc\":" + ssrc + "}";
        return packet(HepPacket.PROTO_RTCP_JSON, srcIp, srcPort, dstIp, dstPort, micros, 1001, "node-1", correlationId,
                json.getBytes(StandardCharsets.UTF_8));
    }

    static HepPacket log(long micros, String correlationId, String text) {
        return packet(HepPacket.PROTO_LOG, "10.9.9.9", 5060, "10.9.9.9", 9060, micros, 1001, "node-1", correlationId,
                text.getBytes(StandardCharsets.UTF_8));
    }

    static CapturedMessage parsed(io.hepstack.collector.testing.Parsing parse, HepPacket p) {
        CapturedMessage m = new CapturedMessage(p, Transport.UDP, null);
        return parse.parse(m);
    }

    static byte[] addr(String ip) {
        try {
            return InetAddress.getByName(ip).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }
}
