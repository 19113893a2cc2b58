package io.hepstack.collector.protocol.rtcp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a compound RTCP packet (RFC 3550 §6) into an {@link RtcpReport}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|  count  |      PT       |  length (32-bit words - 1)    |  repeated for each
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+  packet of the compound
 * |                 length * 4 bytes of packet body               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Read in full: SR and RR (sender info, report blocks; profile-specific extensions skipped),
 * SDES (first CNAME), BYE (sources, reason), APP (name, subtype, data length), XR (RFC 3611: the
 * VoIP Metrics block field by field, other block types as type + length). RTPFB/PSFB (RFC 4585) and
 * any other type in the RTCP range 192..223 (RFC 5761 §4) are listed in
 * {@link RtcpReport#packetTypes()} and otherwise skipped, as RFC 3550 asks for unknown types.
 *
 * <p>Validation, each failure an {@link RtcpParseException} with the offset of the offending byte:
 * version 2 in every packet; packet type within 192..223; every length within the payload and the
 * payload consumed exactly (only up to 3 trailing null bytes are tolerated: X-Lite appends 2 to its
 * compound packets); a padding count (P bit) of at least 1 that fits in
 * its packet; the fixed part and all report blocks / SDES items / BYE reason / XR blocks within
 * their packet; VoIP Metrics blocks exactly 8 words long. Nothing else is thrown, whatever the
 * input. Text (CNAME, BYE reason) is UTF-8 with trailing NUL bytes removed (some stacks count
 * the C string terminator in the item length). Stateless and thread-safe; it copies nothing but
 * that text and the APP name.
 */
public final class RtcpBinaryParser {

    /** RTCP packet types occupy 192..223 (RFC 5761 §4); outside that range it is not RTCP. */
    private static final int PT_MIN = 192;
    private static final int PT_MAX = 223;
    private static final int REPORT_BLOCK_BYTES = 24;
    private static final int SENDER_INFO_BYTES = 20;
    private static final int VOIP_METRICS_WORDS = 8;
    private static final int SDES_CNAME = 1;

    public RtcpReport parse(byte[] payload) throws RtcpParseException {
        return parse(payload, 0, payload.length);
    }

    /**
     * Parses {@code length} bytes of {@code payload} starting at {@code offset}. Offsets in errors are
     * relative to {@code offset}.
     */
    public RtcpReport parse(byte[] payload, int offset, int length) throws RtcpParseException {
        if (offset < 0 || length < 0 || offset > payload.length - length) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " outside a "
                    + payload.length + "-byte array");
        }
        return new Reader(payload, offset, length).read();
    }

    /** Per-call parsing state; offsets are absolute array indexes, {@code base} maps them back. */
    private static final class Reader {
        private final byte[] b;
        private final int base;
        private final int end;

        private long senderSsrc = -1;
        private final List<Integer> types = new ArrayList<>(4);
        private RtcpReport.SenderInfo senderInfo;
        private final List<RtcpReport.ReportBlock> blocks = new ArrayList<>(2);
        private String cname;
        private RtcpReport.Bye bye;
        private List<RtcpReport.App> apps = List.of();
        private List<XrBlock> xr = List.of();

        Reader(byte[] b, int offset, int length) {
            this.b = b;
            this.base = offset;
            this.end = offset + length;
        }

        RtcpReport read() throws RtcpParseException {
            if (end - base < 4) {
                throw error("payload of " + (end - base) + " bytes is shorter than an RTCP header", base);
            }
            int pos = base;
            while (pos < end) {
                if (end - pos < 4) {
                    if (allZero(pos, end)) {
                        break; // X-Lite appends 2 null bytes to its compound packets
                    }
                    throw error((end - pos) + " trailing bytes after the last RTCP packet", pos);
                }
                int first = u8(pos);
                int version = first >>> 6;
                if (version != 2) {
                    throw error("RTCP version " + version + ", expected 2", pos);
                }
                boolean padding = (first & 0x20) != 0;
                int count = first & 0x1f;
                int pt = u8(pos + 1);
                if (pt < PT_MIN || pt > PT_MAX) {
                    throw error("packet type " + pt + " is not an RTCP type (192..223)", pos + 1);
                }
                int packetLen = (u16(pos + 2) + 1) * 4;
                if (packetLen > end - pos) {
                    throw error("packet length " + packetLen + " bytes exceeds the " + (end - pos)
                            + " bytes left", pos + 2);
                }
                int bodyEnd = pos + packetLen;
                if (padding) {
                    int pad = u8(bodyEnd - 1);
                    if (pad == 0 || pad > packetLen - 4) {
                        throw error("padding count " + pad + " does not fit a " + packetLen + "-byte packet",
                                bodyEnd - 1);
                    }
                    bodyEnd -= pad;
                }
                types.add(pt);
                int body = pos + 4;
                switch (pt) {
                    case RtcpReport.PT_SR -> readSr(pos, body, bodyEnd, count);
                    case RtcpReport.PT_RR -> readRr(pos, body, bodyEnd, count);
                    case RtcpReport.PT_SDES -> readSdes(pos, body, bodyEnd, count);
                    case RtcpReport.PT_BYE -> readBye(body, bodyEnd, count);
                    case RtcpReport.PT_APP -> readApp(pos, body, bodyEnd, count);
                    case RtcpReport.PT_XR -> readXr(pos, body, bodyEnd);
                    default -> {
                        // RTPFB/PSFB and types we do not read: note the sender SSRC when there is one
                        if (bodyEnd - body >= 4) {
                            firstSender(u32(body));
                        }
                    }
                }
                pos += packetLen;
            }
            return new RtcpReport(RtcpReport.Format.BINARY, senderSsrc, types, senderInfo, blocks, cname, bye,
                    apps, xr);
        }

        private void readSr(int pos, int body, int bodyEnd, int count) throws RtcpParseException {
            int need = 4 + SENDER_INFO_BYTES + count * REPORT_BLOCK_BYTES;
            requireBody("SR with " + count + " report blocks", pos, body, bodyEnd, need);
            long ssrc = u32(body);
            firstSender(ssrc);
            if (senderInfo == null) {
                senderInfo = new RtcpReport.SenderInfo(u32(body + 4), u32(body + 8), u32(body + 12),
                        u32(body + 16), u32(body + 20));
            }
            readBlocks(ssrc, body + 4 + SENDER_INFO_BYTES, count);
        }

        private void readRr(int pos, int body, int bodyEnd, int count) throws RtcpParseException {
            requireBody("RR with " + count + " report blocks", pos, body, bodyEnd, 4 + count * REPORT_BLOCK_BYTES);
            long ssrc = u32(body);
            firstSender(ssrc);
            readBlocks(ssrc, body + 4, count);
        }

        private void readBlocks(long reporter, int at, int count) {
            for (int i = 0; i < count; i++, at += REPORT_BLOCK_BYTES) {
                int cum = (u8(at + 5) << 16) | (u8(at + 6) << 8) | u8(at + 7);
                int cumulativeLost = (cum << 8) >> 8; // sign-extend the 24-bit value
                blocks.add(new RtcpReport.ReportBlock(reporter, u32(at), u8(at + 4), cumulativeLost,
                        u32(at + 8), u32(at + 12), u32(at + 16), u32(at + 20)));
            }
        }

        private void readSdes(int pos, int body, int bodyEnd, int count) throws RtcpParseException {
            int p = body;
            for (int chunk = 0; chunk < count; chunk++) {
                if (bodyEnd - p < 4) {
                    throw error("SDES chunk " + (chunk + 1) + " of " + count + " has no room for its SSRC", p);
                }
                long ssrc = u32(p);
                if (chunk == 0) {
                    firstSender(ssrc);
                }
                p += 4;
                while (true) {
                    if (p >= bodyEnd) {
                        throw error("SDES chunk " + (chunk + 1) + " is not terminated by an END item", p);
                    }
                    int type = u8(p);
                    if (type == 0) {
                        // END item, then null octets up to the next 32-bit boundary of the packet
                        p += 1;
                        p += (4 - ((p - pos) & 3)) & 3;
                        if (p > bodyEnd) {
                            throw error("SDES chunk padding runs past the packet", bodyEnd);
                        }
                        break;
                    }
                    if (bodyEnd - p < 2) {
                        throw error("SDES item type " + type + " has no length byte", p);
                    }
                    int len = u8(p + 1);
                    if (len > bodyEnd - p - 2) {
                        throw error("SDES item length " + len + " exceeds the packet", p + 1);
                    }
                    if (type == SDES_CNAME && cname == null) {
                        cname = text(p + 2, len);
                    }
                    p += 2 + len;
                }
            }
        }

        private void readBye(int body, int bodyEnd, int count) throws RtcpParseException {
            if (bodyEnd - body < 4 * count) {
                throw error("BYE with " + count + " sources needs " + (4 * count) + " bytes, has "
                        + (bodyEnd - body), body);
            }
            List<Long> ssrcs = new ArrayList<>(count);
            int p = body;
            for (int i = 0; i < count; i++, p += 4) {
                ssrcs.add(u32(p));
            }
            if (count > 0) {
                firstSender(ssrcs.get(0));
            }
            String reason = null;
            if (p < bodyEnd) {
                int len = u8(p);
                if (len > bodyEnd - p - 1) {
                    throw error("BYE reason length " + len + " exceeds the packet", p);
                }
                reason = text(p + 1, len);
            }
            if (bye == null) {
                bye = new RtcpReport.Bye(ssrcs, reason);
            }
        }

        private void readApp(int pos, int body, int bodyEnd, int subtype) throws RtcpParseException {
            requireBody("APP", pos, body, bodyEnd, 8);
            long ssrc = u32(body);
            firstSender(ssrc);
            String name = new String(b, body + 4, 4, StandardCharsets.US_ASCII);
            if (apps.isEmpty()) {
                apps = new ArrayList<>(1);
            }
            apps.add(new RtcpReport.App(ssrc, subtype, name, bodyEnd - body - 8));
        }

        private void readXr(int pos, int body, int bodyEnd) throws RtcpParseException {
            requireBody("XR", pos, body, bodyEnd, 4);
            long reporter = u32(body);
            firstSender(reporter);
            if (xr.isEmpty()) {
                xr = new ArrayList<>(2);
            }
            int p = body + 4;
            while (p < bodyEnd) {
                if (bodyEnd - p < 4) {
                    throw error((bodyEnd - p) + " bytes left in XR packet, too few for a block header", p);
                }
                int bt = u8(p);
                int typeSpecific = u8(p + 1);
                int words = u16(p + 2);
                int blockEnd = p + 4 + words * 4;
                if (blockEnd > bodyEnd) {
                    throw error("XR block type " + bt + " length " + words + " words exceeds the packet", p + 2);
                }
                if (bt == XrBlock.BT_VOIP_METRICS) {
                    if (words != VOIP_METRICS_WORDS) {
                        throw error("XR VoIP Metrics block length " + words + " words, expected "
                                + VOIP_METRICS_WORDS, p + 2);
                    }
                    xr.add(voipMetrics(reporter, p + 4));
                } else {
                    xr.add(new XrBlock.Raw(reporter, bt, typeSpecific, words));
                }
                p = blockEnd;
            }
        }

        /** RFC 3611 §4.7 layout, {@code at} = first byte after the block header (the source SSRC). */
        private XrBlock.VoipMetrics voipMetrics(long reporter, int at) {
            return new XrBlock.VoipMetrics(reporter, u32(at),
                    u8(at + 4), u8(at + 5), u8(at + 6), u8(at + 7),
                    u16(at + 8), u16(at + 10),
                    u16(at + 12), u16(at + 14),
                    b[at + 16], b[at + 17], u8(at + 18), u8(at + 19),
                    u8(at + 20), u8(at + 21), u8(at + 22), u8(at + 23),
                    u8(at + 24), // at + 25 is reserved
                    u16(at + 26),
                    u16(at + 28), u16(at + 30));
        }

        /** UTF-8 text of an SDES item or BYE reason, without the NUL terminator C stacks count in. */
        private String text(int at, int len) {
            while (len > 0 && b[at + len - 1] == 0) {
                len--;
            }
            return new String(b, at, len, StandardCharsets.UTF_8);
        }

        private boolean allZero(int from, int to) {
            for (int i = from; i < to; i++) {
                if (b[i] != 0) {
                    return false;
                }
            }
            return true;
        }

        private void requireBody(String what, int pos, int body, int bodyEnd, int need) throws RtcpParseException {
            if (bodyEnd - body < need) {
                throw error(what + " needs " + need + " bytes after the header, packet has " + (bodyEnd - body),
                        pos + 2);
            }
        }

        private void firstSender(long ssrc) {
            if (senderSsrc < 0) {
                senderSsrc = ssrc;
            }
        }

        private int u8(int at) {
            return b[at] & 0xff;
        }

        private int u16(int at) {
            return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
        }

        private long u32(int at) {
            return ((long) (b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8)
                    | (b[at + 3] & 0xff);
        }

        private RtcpParseException error(String reason, int at) {
            return new RtcpParseException(reason, at - base);
        }
    }
}
