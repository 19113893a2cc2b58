package io.hepstack.collector.pcap;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * SIP over WebSocket (RFC 7118) out of reassembled TCP streams: finds the connections that start
 * with an HTTP/1.1 Upgrade to {@code websocket}, and de-frames (RFC 6455) both directions after the
 * handshake, client frames masked, server frames not. Each complete text or binary WebSocket
 * message is one SIP message (RFC 7118 §5); fragments (FIN=0, continuation frames) are joined,
 * control frames (close, ping, pong) interleaved between them are skipped.
 *
 * <p>Never throws on what the streams hold: whatever is not imported is counted in
 * {@link Result#skipped()} under one of these reasons (frame-level reasons count frames or
 * messages, stream-level reasons count each direction of a connection):
 * <ul>
 *   <li>{@value #NOT_SIP} — the handshake offered or selected no {@code sip} subprotocol (stream)</li>
 *   <li>{@value #REFUSED} — the server answered the upgrade with something other than 101 (stream)</li>
 *   <li>{@value #CONTROL} — a close, ping or pong frame (frame)</li>
 *   <li>{@value #OVERSIZE} — a message over {@link #MAX_MESSAGE} bytes (message)</li>
 *   <li>{@value #COMPRESSED} — a message with RSV1 set (permessage-deflate, not inflated) (message)</li>
 *   <li>{@value #EMPTY} — a message of zero bytes (message)</li>
 *   <li>{@value #BAD_FRAME} — reserved bits or opcode, fragmented or long control frame, a
 *       continuation with nothing to continue or a 64-bit length with its top bit set: the rest of
 *       the stream cannot be framed and is dropped (stream)</li>
 *   <li>{@value #INTERRUPTED} — a new message started before the previous one's last fragment (message)</li>
 *   <li>{@value #TRUNCATED} — the stream ends inside the handshake, a frame or a fragmented message (stream)</li>
 *   <li>{@value #AFTER_CLOSE} — bytes after a close frame (stream)</li>
 * </ul>
 */
public final class WebSocketFrames {

    /** Largest message imported; bigger ones are counted as {@value #OVERSIZE}. */
    public static final int MAX_MESSAGE = 1 << 20;
    /** Largest HTTP handshake head looked at. */
    static final int MAX_HEAD = 16 * 1024;

    public static final String NOT_SIP = "ws_not_sip_subprotocol";
    public static final String REFUSED = "ws_upgrade_refused";
    public static final String CONTROL = "ws_control_frame";
    public static final String OVERSIZE = "ws_oversize";
    public static final String COMPRESSED = "ws_compressed";
    public static final String EMPTY = "ws_empty_message";
    public static final String BAD_FRAME = "ws_bad_frame";
    public static final String INTERRUPTED = "ws_interrupted_message";
    public static final String TRUNCATED = "ws_truncated";
    public static final String AFTER_CLOSE = "ws_data_after_close";

    /**
     * One WebSocket message: its payload (a SIP message), the direction it travelled in, and the
     * capture time and frame number of the TCP segment that completed it.
     */
    public record Message(long frameNumber, long timestampMicros, byte[] srcIp, byte[] dstIp,
                          int srcPort, int dstPort, boolean text, byte[] payload) {
    }

    /**
     * @param messages   every imported message, in capture (frame) order
     * @param skipped    what was not imported, by reason
     * @param streamKeys the keys of every stream recognised as WebSocket (imported or skipped):
     *                   their bytes are not raw SIP
     */
    public record Result(List<Message> messages, Map<String, Long> skipped, Set<String> streamKeys) {
    }

    private WebSocketFrames() {
    }

    /** Finds the WebSocket connections among {@code streams} and de-frames them. */
    public static Result extract(List<TcpStreamReassembler.Stream> streams) {
        Map<String, TcpStreamReassembler.Stream> byKey = new LinkedHashMap<>();
        for (TcpStreamReassembler.Stream s : streams) {
            byKey.put(s.key(), s);
        }
        List<Message> messages = new ArrayList<>();
        Map<String, Long> skipped = new TreeMap<>();
        Set<String> keys = new LinkedHashSet<>();
        for (TcpStreamReassembler.Stream s : streams) {
            Head head = head(s.bytes());
            if (head == null || keys.contains(s.key())) {
                continue;
            }
            TcpStreamReassembler.Stream peer = s.reverseKey() == null ? null : byKey.get(s.reverseKey());
            Head peerHead = peer == null ? null : head(peer.bytes());
            if (peerHead != null && peerHead.request == head.request) {
                peerHead = null; // two requests (or two answers) facing each other: not a handshake pair
            }
            if (!head.websocket && (peerHead == null || !peerHead.websocket)) {
                continue; // plain HTTP
            }
            Head request = head.request ? head : peerHead;
            Head response = head.request ? peerHead : head;
            keys.add(s.key());
            if (peerHead != null) {
                keys.add(peer.key());
            }
            List<TcpStreamReassembler.Stream> sides = new ArrayList<>();
            sides.add(s);
            if (peerHead != null) {
                sides.add(peer);
            }
            String refusal = null;
            if (response != null && response.complete && response.status != 101) {
                refusal = REFUSED;
            } else if (request != null && request.complete && !request.sip
                    || response != null && response.complete && !response.sip) {
                refusal = NOT_SIP;
            }
            for (TcpStreamReassembler.Stream side : sides) {
                Head h = side == s ? head : peerHead;
                if (refusal != null) {
                    count(skipped, refusal);
                } else if (!h.complete) {
                    count(skipped, TRUNCATED);
                } else {
                    deframe(side, h.length, messages, skipped);
                }
            }
        }
        List<Message> ordered = new ArrayList<>(messages);
        ordered.sort((a, b) -> Long.compare(a.frameNumber(), b.frameNumber())); // stable: stream order kept
        return new Result(Collections.unmodifiableList(ordered), Collections.unmodifiableMap(skipped),
                Collections.unmodifiableSet(keys));
    }

    /**
     * De-frames one direction of a WebSocket connection from {@code offset} (just past the
     * handshake), adding complete messages to {@code out} and counting what it skips.
     */
    public static void deframe(TcpStreamReassembler.Stream s, int offset, List<Message> out, Map<String, Long> skipped) {
        byte[] b = s.bytes();
        int off = offset;
        ByteArrayOutputStream message = null; // the fragmented message being joined, if any
        boolean messageText = false;
        String messageSkip = null;            // set when the message being joined will be dropped, and why
        boolean inMessage = false;
        while (off < b.length) {
            if (b.length - off < 2) {
                count(skipped, TRUNCATED);
                return;
            }
            int b0 = b[off] & 0xff;
            int b1 = b[off + 1] & 0xff;
            boolean fin = (b0 & 0x80) != 0;
            int rsv = b0 & 0x70;
            int opcode = b0 & 0x0f;
            boolean masked = (b1 & 0x80) != 0;
            long len = b1 & 0x7f;
            int hdr = 2;
            if (len == 126) {
                if (b.length - off < 4) {
                    count(skipped, TRUNCATED);
                    return;
                }
                len = ((b[off + 2] & 0xffL) << 8) | (b[off + 3] & 0xffL);
                hdr = 4;
            } else if (len == 127) {
                if (b.length - off < 10) {
                    count(skipped, TRUNCATED);
                    return;
                }
                len = 0;
                for (int i = 0; i < 8; i++) {
                    len = (len << 8) | (b[off + 2 + i] & 0xffL);
                }
                hdr = 10;
                if (len < 0) {
                    count(skipped, BAD_FRAME);
                    return;
                }
            }
            int maskOff = off + hdr;
            if (masked) {
                hdr += 4;
            }
            boolean control = opcode >= 8;
            if ((rsv & 0x30) != 0 || (opcode > 2 && opcode < 8) || opcode > 10
                    || control && (!fin || len > 125) || opcode == 0 && !inMessage) {
                count(skipped, BAD_FRAME);
                return;
            }
            long remaining = (long) b.length - off - hdr;
            if (remaining < 0) {
                count(skipped, TRUNCATED);
                return;
            }
            if (len > remaining) {
                // the frame does not end in this stream: the message is lost, say why
                count(skipped, !control && (messageSizeAfter(message, len) > MAX_MESSAGE) ? OVERSIZE : TRUNCATED);
                return;
            }
            int payloadOff = off + hdr;
            int frameEnd = (int) (payloadOff + len);
            if (control) {
                count(skipped, CONTROL);
                off = frameEnd;
                if (opcode == 8) {
                    if (off < b.length) {
                        count(skipped, AFTER_CLOSE);
                    }
                    if (inMessage) {
                        count(skipped, TRUNCATED);
                    }
                    return;
                }
                continue;
            }
            if (opcode != 0) { // the first frame of a message
                if (inMessage) {
                    count(skipped, INTERRUPTED);
                }
                inMessage = true;
                message = new ByteArrayOutputStream();
                messageText = opcode == 1;
                messageSkip = (rsv & 0x40) != 0 ? COMPRESSED : null;
            }
            if (messageSkip == null && messageSizeAfter(message, len) > MAX_MESSAGE) {
                messageSkip = OVERSIZE;
                message = new ByteArrayOutputStream(); // free what was joined so far
            }
            if (messageSkip == null) {
                if (masked) {
                    for (int i = 0; i < len; i++) {
                        message.write(b[payloadOff + i] ^ b[maskOff + (i & 3)]);
                    }
                } else {
                    message.write(b, payloadOff, (int) len);
                }
            }
            off = frameEnd;
            if (fin) {
                if (messageSkip != null) {
                    count(skipped, messageSkip);
                } else if (message.size() == 0) {
                    count(skipped, EMPTY);
                } else {
                    long last = Math.max(0, frameEnd - 1);
                    out.add(new Message(s.frameAt(last), s.microsAt(last), s.srcIp(), s.dstIp(), s.srcPort(),
                            s.dstPort(), messageText, message.toByteArray()));
                }
                inMessage = false;
                message = null;
                messageSkip = null;
            }
        }
        if (inMessage) {
            count(skipped, TRUNCATED);
        }
    }

    private static long messageSizeAfter(ByteArrayOutputStream message, long frameLen) {
        return (message == null ? 0 : message.size()) + frameLen;
    }

    private static void count(Map<String, Long> skipped, String reason) {
        skipped.merge(reason, 1L, Long::sum);
    }

    /** What the start of a stream says about a WebSocket handshake. */
    private record Head(boolean request, int status, boolean websocket, boolean sip, boolean complete, int length) {
    }

    /**
     * The handshake at the start of a stream: a {@code GET} request or an {@code HTTP/1.x} answer
     * with {@code Upgrade: websocket}; null when the stream does not start with one. A head that
     * does not end (no blank line in {@link #MAX_HEAD} bytes or in the stream) is returned with
     * {@code complete=false}.
     */
    private static Head head(byte[] b) {
        boolean request = startsWith(b, "GET ");
        if (!request && !startsWith(b, "HTTP/1.")) {
            return null;
        }
        int limit = Math.min(b.length, MAX_HEAD);
        int end = -1;
        for (int i = 0; i + 3 < limit; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                end = i;
                break;
            }
        }
        String text = new String(b, 0, end < 0 ? limit : end, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r\n");
        int status = -1;
        if (!request) {
            String[] parts = lines[0].split(" ");
            if (parts.length < 2) {
                return null;
            }
            try {
                status = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        boolean websocket = false;
        boolean sip = false;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            if (name.equals("upgrade")) {
                for (String token : value.split(",")) {
                    websocket |= token.trim().equals("websocket");
                }
            } else if (name.equals("sec-websocket-protocol")) {
                for (String token : value.split(",")) {
                    sip |= token.trim().equals("sip");
                }
            }
        }
        if (!websocket && request) {
            return null;
        }
        // an answer refusing the upgrade may carry no Upgrade header: it counts when its request has one
        return new Head(request, status, websocket, sip, end >= 0, end < 0 ? b.length : end + 4);
    }

    private static boolean startsWith(byte[] b, String prefix) {
        if (b.length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (b[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
