package io.hepstack.collector.pcap;

import static io.hepstack.collector.pcap.WsFrame.concat;
import static io.hepstack.collector.pcap.WsFrame.frame;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A generated capture of one SIP-over-WebSocket session (RFC 7118) and the SIP messages it
 * carries: handshake; a REGISTER in one masked text frame; a 401; an INVITE in three fragments
 * (the second split across two TCP segments, a ping and its pong between the fragments); a 100
 * and a 180 in one TCP segment; a 70000-byte MESSAGE in one frame with the 64-bit length form
 * over several segments; its 200 with the 16-bit form, fragmented in a binary message; closes.
 */
public final class WsSipSession {

    public static final byte[] CLIENT = {10, 0, 0, 1};
    public static final byte[] SERVER = {10, 0, 0, 2};
    public static final int CLIENT_PORT = 51000;
    public static final int SERVER_PORT = 8443;
    public static final long T0 = 1_767_225_600_000_000L; // 2026-01-01T00:00:00Z

    /** One SIP message the capture holds, with the frame and time of the segment that completed it. */
    public record Expected(long frame, long micros, boolean fromClient, byte[] sip) {
    }

    public final byte[] pcap;
    public final List<Expected> expected = new ArrayList<>();
    public final int frameCount;

    private static final byte[] KEY1 = {0x12, 0x34, 0x56, 0x78};
    private static final byte[] KEY2 = {(byte) 0xa1, (byte) 0xb2, (byte) 0xc3, (byte) 0xd4};

    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static String sip(String firstLine, String method, int cseq, String body) {
        return firstLine + "\r\n"
                + "Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK" + cseq + "\r\n"
                + "From: <sip:alice@example.com>;tag=a1\r\n"
                + "To: <sip:bob@example.com>\r\n"
                + "Call-ID: ws-call-1@example.com\r\n"
                + "CSeq: " + cseq + " " + method + "\r\n"
                + "Content-Length: " + ascii(body).length + "\r\n\r\n" + body;
    }

    public WsSipSession() {
        TcpPcapBuilder b = new TcpPcapBuilder();
        TcpPcapBuilder.Connection c = b.connection(CLIENT, CLIENT_PORT, SERVER, SERVER_PORT);
        long t = T0;
        c.handshake(t);
        c.client(t += 1000, ascii("GET /ws HTTP/1.1\r\nHost: sip.example.com\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Origin: https://www.example.com\r\nSec-WebSocket-Protocol: sip\r\nSec-WebSocket-Version: 13\r\n\r\n"));
        c.server(t += 1000, ascii("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: sip\r\n\r\n"));

        byte[] register = ascii(sip("REGISTER sip:example.com SIP/2.0", "REGISTER", 1, ""));
        long f = c.client(t += 1000, frame(true, WsFrame.TEXT, register, KEY1));
        expected.add(new Expected(f, t, true, register));

        byte[] unauthorized = ascii(sip("SIP/2.0 401 Unauthorized", "REGISTER", 1, ""));
        f = c.server(t += 1000, frame(true, WsFrame.TEXT, unauthorized, null));
        expected.add(new Expected(f, t, false, unauthorized));

        byte[] invite = ascii(sip("INVITE sip:bob@example.com SIP/2.0", "INVITE", 2,
                "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"));
        byte[] f1 = frame(false, WsFrame.TEXT, Arrays.copyOfRange(invite, 0, 100), KEY2);
        byte[] f2 = frame(false, WsFrame.CONTINUATION, Arrays.copyOfRange(invite, 100, 200), KEY1);
        byte[] f3 = frame(true, WsFrame.CONTINUATION, Arrays.copyOfRange(invite, 200, invite.length), KEY2);
        c.client(t += 1000, concat(f1, Arrays.copyOfRange(f2, 0, 40)));
        c.client(t += 1000, Arrays.copyOfRange(f2, 40, f2.length));
        c.client(t += 1000, frame(true, WsFrame.PING, ascii("ka"), KEY1));
        c.server(t += 1000, frame(true, WsFrame.PONG, ascii("ka"), null));
        f = c.client(t += 1000, f3);
        expected.add(new Expected(f, t, true, invite));

        byte[] trying = ascii(sip("SIP/2.0 100 Trying", "INVITE", 2, ""));
        byte[] ringing = ascii(sip("SIP/2.0 180 Ringing", "INVITE", 2, ""));
        f = c.server(t += 1000, concat(frame(true, WsFrame.TEXT, trying, null), frame(true, WsFrame.TEXT, ringing, null)));
        expected.add(new Expected(f, t, false, trying));
        expected.add(new Expected(f, t, false, ringing));

        StringBuilder text = new StringBuilder();
        while (text.length() < 69_000) {
            text.append("the quick brown fox jumps over the lazy dog ").append(text.length()).append("\r\n");
        }
        byte[] big = ascii(sip("MESSAGE sip:bob@example.com SIP/2.0", "MESSAGE", 3, text.toString()));
        byte[] bigFrame = frame(true, WsFrame.TEXT, big, KEY2, 64);
        for (int off = 0; off < bigFrame.length; off += 16_000) {
            f = c.client(t += 1000, Arrays.copyOfRange(bigFrame, off, Math.min(bigFrame.length, off + 16_000)));
        }
        expected.add(new Expected(f, t, true, big));

        byte[] ok = ascii(sip("SIP/2.0 200 OK", "MESSAGE", 3, ""));
        f = c.server(t += 1000, concat(frame(false, WsFrame.BINARY, Arrays.copyOfRange(ok, 0, 10), null, 16),
                frame(true, WsFrame.CONTINUATION, Arrays.copyOfRange(ok, 10, ok.length), null, 16)));
        expected.add(new Expected(f, t, false, ok));

        c.client(t += 1000, frame(true, WsFrame.CLOSE, new byte[]{0x03, (byte) 0xe8}, KEY1));
        c.server(t += 1000, frame(true, WsFrame.CLOSE, new byte[]{0x03, (byte) 0xe8}, null));
        pcap = b.bytes();
        frameCount = (int) b.frames();
    }
}
