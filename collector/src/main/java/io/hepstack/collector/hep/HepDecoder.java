package io.hepstack.collector.hep;

import static io.hepstack.collector.hep.HepDecodeException.Reason.AUTH_FAILED;
import static io.hepstack.collector.hep.HepDecodeException.Reason.BAD_CHUNK_LENGTH;
import static io.hepstack.collector.hep.HepDecodeException.Reason.BAD_CHUNK_VALUE;
import static io.hepstack.collector.hep.HepDecodeException.Reason.BAD_MAGIC;
import static io.hepstack.collector.hep.HepDecodeException.Reason.DUPLICATE_CHUNK;
import static io.hepstack.collector.hep.HepDecodeException.Reason.LENGTH_MISMATCH;
import static io.hepstack.collector.hep.HepDecodeException.Reason.MISSING_PAYLOAD;
import static io.hepstack.collector.hep.HepDecodeException.Reason.TOO_SHORT;
import static io.hepstack.collector.hep.HepDecodeException.Reason.UNKNOWN_VERSION;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * Decodes one HEP packet (v1, v2 or v3) into a {@link HepPacket}. The wire formats are
 * described in {@code package-info.java}.
 *
 * <p>Stateless and thread-safe: build one and share it across channels. A packet is either
 * fully valid and returned, or rejected with a {@link HepDecodeException}; no other exception
 * escapes, whatever the input. Only the payload and short strings are copied; numbers are read
 * straight from the buffer. The auth key is checked (in constant time) before a compressed
 * payload is inflated, so unauthenticated senders cannot make the decoder do that work.
 */
public final class HepDecoder {

    /**
     * Default bound for an inflated 0x0010 payload: 128 KiB, twice the largest uncompressed HEP
     * packet. Every accepted packet may wait in the pipeline queue, so this bounds its memory too.
     */
    public static final int DEFAULT_MAX_DECOMPRESSED_PAYLOAD = 128 << 10;

    static final int MAGIC_HEP3 = 0x48455033; // "HEP3"
    static final int MAGIC_EEP1 = 0x45455031; // "EEP1": Kamailio's sipcapture takes it as HEP3
    static final int V3_HEADER = 6;
    static final int CHUNK_HEADER = 6;
    static final int V12_HEADER = 8;
    static final int V2_TIME_HEADER = 12; // u32 sec, u32 usec, u16 capture id, 2 bytes padding

    private final HepAuthenticator authenticator;
    private final int maxDecompressedPayload;
    private final boolean requirePayload;

    /** A decoder with the defaults: no auth key required, 128 KiB inflate bound, payload required. */
    public HepDecoder() {
        this(builder());
    }

    private HepDecoder(Builder b) {
        this.authenticator = b.authenticator;
        this.maxDecompressedPayload = b.maxDecompressedPayload;
        this.requirePayload = b.requirePayload;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Decodes the readable bytes of {@code buf} as exactly one packet. The buffer's reader and
     * writer indexes are left untouched, and it is not released: the caller owns it.
     */
    public HepPacket decode(ByteBuf buf) {
        return decodeAt(buf, buf.readerIndex(), buf.readableBytes());
    }

    /** Decodes {@code len} bytes of {@code data} from {@code off} as exactly one packet. */
    public HepPacket decode(byte[] data, int off, int len) {
        if (off < 0 || len < 0 || off > data.length - len) {
            throw new IndexOutOfBoundsException("off " + off + ", len " + len + " outside an array of " + data.length);
        }
        return decodeAt(Unpooled.wrappedBuffer(data), off, len); // the whole array read from off: no slice object
    }

    /**
     * Decodes {@code len} bytes of {@code buf} from {@code index} as exactly one packet, whatever its
     * reader and writer indexes (left untouched, like the buffer: the caller owns it). For a caller
     * that keeps one buffer over an array of many packets (the reorder window's chunks): no wrapper
     * object per packet.
     */
    public HepPacket decode(ByteBuf buf, int index, int len) {
        if (index < 0 || len < 0 || index > buf.capacity() - len) {
            throw new IndexOutOfBoundsException("index " + index + ", len " + len + " outside a buffer of " + buf.capacity());
        }
        return decodeAt(buf, index, len);
    }

    private HepPacket decodeAt(ByteBuf buf, int base, int len) {
        if (len == 0) {
            throw new HepDecodeException(TOO_SHORT, 0, "empty packet");
        }
        int first = buf.getUnsignedByte(base);
        if (first == 1 || first == 2) {
            return decodeLegacy(buf, base, len, first);
        }
        if (len < 4) {
            throw new HepDecodeException(isMagicPrefix(buf, base, len) ? TOO_SHORT : BAD_MAGIC, 0,
                    "only " + len + " bytes");
        }
        int magic = buf.getInt(base);
        if (magic != MAGIC_HEP3 && magic != MAGIC_EEP1) {
            if ((magic & 0xffffff00) == 0x48455000) { // "HEP" + something else
                throw new HepDecodeException(UNKNOWN_VERSION, 3, "unknown HEP version byte 0x"
                        + Integer.toHexString(magic & 0xff));
            }
            throw new HepDecodeException(BAD_MAGIC, 0, "no HEP3 magic, first bytes 0x" + Integer.toHexString(magic));
        }
        return decodeV3(buf, base, len);
    }

    private static boolean isMagicPrefix(ByteBuf buf, int base, int len) {
        for (int i = 0; i < len; i++) {
            int b = buf.getUnsignedByte(base + i);
            int h = (MAGIC_HEP3 >>> (24 - 8 * i)) & 0xff;
            int e = (MAGIC_EEP1 >>> (24 - 8 * i)) & 0xff;
            if (b != h && b != e) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- HEP3

    private HepPacket decodeV3(ByteBuf buf, int base, int len) {
        if (len < V3_HEADER) {
            throw new HepDecodeException(TOO_SHORT, 0, "HEP3 header needs 6 bytes, got " + len);
        }
        int total = buf.getUnsignedShort(base + 4);
        if (total != len) {
            throw new HepDecodeException(LENGTH_MISMATCH, 4, "total length field says " + total + ", got " + len + " bytes");
        }
        HepPacket p = new HepPacket();
        p.version = 3;
        long seen = 0;
        int payloadOff = -1;
        int payloadLen = 0;
        boolean compressed = false;
        int authOff = -1;
        int authLen = 0;
        int off = V3_HEADER;
        while (off < len) {
            if (len - off < CHUNK_HEADER) {
                throw new HepDecodeException(BAD_CHUNK_LENGTH, off, (len - off) + " trailing bytes, too few for a chunk header");
            }
            int at = base + off;
            int vendor = buf.getUnsignedShort(at);
            int type = buf.getUnsignedShort(at + 2);
            int clen = buf.getUnsignedShort(at + 4);
            if (clen < CHUNK_HEADER || clen > len - off) {
                throw new HepDecodeException(BAD_CHUNK_LENGTH, off + 4, "chunk 0x" + Integer.toHexString(type)
                        + " length " + clen + " with " + (len - off) + " bytes left");
            }
            int v = at + CHUNK_HEADER;
            int vlen = clen - CHUNK_HEADER;
            if (!HepChunkTypes.isKnown(vendor, type)) {
                p.addOtherChunk(new HepChunk(vendor, type, bytes(buf, v, vlen)));
                off += clen;
                continue;
            }
            long bit = 1L << type;
            if ((seen & bit) != 0 || ((type == HepChunkTypes.PAYLOAD || type == HepChunkTypes.COMPRESSED_PAYLOAD) && payloadOff >= 0)) {
                throw new HepDecodeException(DUPLICATE_CHUNK, off, "chunk 0x" + Integer.toHexString(type) + " given twice");
            }
            seen |= bit;
            switch (type) {
                case HepChunkTypes.IP_FAMILY -> p.ipFamily = fitting(u8(buf, v, vlen, off, type), HepFieldLimits.MAX_BYTE_FIELD, off, type);
                case HepChunkTypes.IP_PROTOCOL -> p.ipProtocol = u8(buf, v, vlen, off, type);
                case HepChunkTypes.IPV4_SRC -> p.srcIp = address(buf, v, vlen, 4, off, type);
                case HepChunkTypes.IPV4_DST -> p.dstIp = address(buf, v, vlen, 4, off, type);
                case HepChunkTypes.IPV6_SRC -> p.srcIp = address(buf, v, vlen, 16, off, type);
                case HepChunkTypes.IPV6_DST -> p.dstIp = address(buf, v, vlen, 16, off, type);
                case HepChunkTypes.SRC_PORT -> p.srcPort = u16(buf, v, vlen, off, type);
                case HepChunkTypes.DST_PORT -> p.dstPort = u16(buf, v, vlen, off, type);
                case HepChunkTypes.TIME_SECONDS -> p.timeSeconds = u32(buf, v, vlen, off, type);
                case HepChunkTypes.TIME_MICROS -> p.timeMicros = u32(buf, v, vlen, off, type);
                case HepChunkTypes.PROTO_TYPE -> p.protoType = u8(buf, v, vlen, off, type);
                case HepChunkTypes.CAPTURE_ID -> p.captureId = vlen == 2 // some old agents send 16 bits
                        ? buf.getUnsignedShort(v) : u32(buf, v, vlen, off, type);
                case HepChunkTypes.KEEP_ALIVE_TIMER -> p.keepAliveTimer = u16(buf, v, vlen, off, type);
                case HepChunkTypes.AUTH_KEY -> {
                    authOff = v;
                    authLen = vlen;
                    p.authKey = text(buf, v, vlen);
                }
                case HepChunkTypes.PAYLOAD, HepChunkTypes.COMPRESSED_PAYLOAD -> {
                    payloadOff = v;
                    payloadLen = vlen;
                    compressed = type == HepChunkTypes.COMPRESSED_PAYLOAD;
                }
                case HepChunkTypes.CORRELATION_ID -> p.correlationId = keyword(buf, v, vlen, off, type);
                case HepChunkTypes.VLAN_ID -> p.vlanId = u16(buf, v, vlen, off, type);
                case HepChunkTypes.NODE_NAME -> p.nodeName = AgentNames.NODES.text(buf, v, vlen, off, type);
                case HepChunkTypes.SRC_MAC -> p.srcMac = mac(buf, v, vlen, off, type);
                case HepChunkTypes.DST_MAC -> p.dstMac = mac(buf, v, vlen, off, type);
                case HepChunkTypes.ETHERNET_TYPE -> p.ethernetType = u16(buf, v, vlen, off, type);
                case HepChunkTypes.TCP_FLAGS -> p.tcpFlags = u8(buf, v, vlen, off, type);
                case HepChunkTypes.IP_TOS -> p.ipTos = u8(buf, v, vlen, off, type);
                case HepChunkTypes.MOS -> p.mos = u16(buf, v, vlen, off, type);
                case HepChunkTypes.R_FACTOR -> p.rFactor = u16(buf, v, vlen, off, type);
                case HepChunkTypes.GEO_LOCATION -> p.geoLocation = keyword(buf, v, vlen, off, type);
                case HepChunkTypes.JITTER -> p.jitter = u32(buf, v, vlen, off, type);
                case HepChunkTypes.TRANSACTION_TYPE -> p.transactionType = keyword(buf, v, vlen, off, type);
                case HepChunkTypes.PAYLOAD_JSON_KEYS -> p.payloadJsonKeys = keyword(buf, v, vlen, off, type);
                case HepChunkTypes.TAGS_VALUES -> p.tagsValues = keyword(buf, v, vlen, off, type);
                case HepChunkTypes.TAG_TYPE -> p.tagType = u16(buf, v, vlen, off, type);
                case HepChunkTypes.EVENT_TYPE -> p.eventType = u16(buf, v, vlen, off, type);
                case HepChunkTypes.GROUP_ID -> p.groupId = AgentNames.GROUPS.text(buf, v, vlen, off, type);
                default -> throw new IllegalStateException("isKnown and switch disagree on 0x" + Integer.toHexString(type));
            }
            off += clen;
        }
        checkAuth(buf, authOff, authLen, base, p.captureId);
        if (payloadOff < 0) {
            if (requirePayload) {
                throw new HepDecodeException(MISSING_PAYLOAD, len, "no payload chunk 0x000f or 0x0010");
            }
        } else if (compressed) {
            p.payload = PayloadInflater.inflate(buf, payloadOff, payloadLen, maxDecompressedPayload, payloadOff - base);
            p.payloadWasCompressed = true;
        } else {
            p.payload = bytes(buf, payloadOff, payloadLen);
        }
        return p;
    }

    private void checkAuth(ByteBuf buf, int authOff, int authLen, int base, long captureId) {
        if (authenticator == null) {
            return;
        }
        if (!authenticator.accepts(authOff < 0 ? null : bytes(buf, authOff, authLen), captureId)) {
            throw authOff < 0
                    ? new HepDecodeException(AUTH_FAILED, 0, "auth key required, packet has none")
                    : new HepDecodeException(AUTH_FAILED, authOff - base, "wrong auth key for capture id " + captureId);
        }
    }

    /** One key for every sender; compares in time that depends only on the key's length, never on where bytes differ. */
    private static HepAuthenticator singleKey(byte[] expected) {
        return (key, captureId) -> key != null && java.security.MessageDigest.isEqual(expected, key);
    }

    // ---------------------------------------------------------------- HEPv1 / HEPv2

    private HepPacket decodeLegacy(ByteBuf buf, int base, int len, int version) {
        if (len < V12_HEADER) {
            throw new HepDecodeException(TOO_SHORT, 0, "HEPv" + version + " header needs 8 bytes, got " + len);
        }
        int family = buf.getUnsignedByte(base + 2);
        int addrLen;
        if (family == HepPacket.AF_INET) {
            addrLen = 4;
        } else if (isInet6(family)) {
            addrLen = 16;
        } else {
            throw new HepDecodeException(BAD_CHUNK_VALUE, 2, "unknown address family " + family);
        }
        int header = V12_HEADER + 2 * addrLen + (version == 2 ? V2_TIME_HEADER : 0);
        if (len < header) {
            throw new HepDecodeException(TOO_SHORT, 0, "HEPv" + version + " header with family " + family
                    + " needs " + header + " bytes, got " + len);
        }
        if (authenticator != null) {
            throw new HepDecodeException(AUTH_FAILED, 0, "auth key required, HEPv" + version + " cannot carry one");
        }
        if (len == header && requirePayload) {
            throw new HepDecodeException(MISSING_PAYLOAD, header, "HEPv" + version + " packet without payload");
        }
        HepPacket p = new HepPacket();
        p.version = version;
        p.ipFamily = addrLen == 4 ? HepPacket.AF_INET : HepPacket.AF_INET6;
        p.ipProtocol = buf.getUnsignedByte(base + 3);
        p.srcPort = buf.getUnsignedShort(base + 4);
        p.dstPort = buf.getUnsignedShort(base + 6);
        p.srcIp = bytes(buf, base + V12_HEADER, addrLen);
        p.dstIp = bytes(buf, base + V12_HEADER + addrLen, addrLen);
        p.protoType = HepPacket.PROTO_SIP; // v1/v2 only ever carried SIP
        if (version == 2) {
            int t = base + V12_HEADER + 2 * addrLen;
            p.timeSeconds = buf.getUnsignedIntLE(t);
            p.timeMicros = buf.getUnsignedIntLE(t + 4);
            p.captureId = buf.getUnsignedShortLE(t + 8);
        }
        p.payload = bytes(buf, base + header, len - header);
        return p;
    }

    /** AF_INET6 is 10 on Linux, 24 NetBSD/OpenBSD, 28 FreeBSD, 30 macOS: v1/v2 carry the sender's own value. */
    private static boolean isInet6(int family) {
        return family == 10 || family == 24 || family == 28 || family == 30;
    }

    // ---------------------------------------------------------------- chunk values

    private static int u8(ByteBuf buf, int v, int vlen, int off, int type) {
        expectSize(vlen, 1, off, type);
        return buf.getUnsignedByte(v);
    }

    private static int u16(ByteBuf buf, int v, int vlen, int off, int type) {
        expectSize(vlen, 2, off, type);
        return buf.getUnsignedShort(v);
    }

    private static long u32(ByteBuf buf, int v, int vlen, int off, int type) {
        expectSize(vlen, 4, off, type);
        return buf.getUnsignedInt(v);
    }

    private static byte[] address(ByteBuf buf, int v, int vlen, int size, int off, int type) {
        expectSize(vlen, size, off, type);
        return bytes(buf, v, vlen);
    }

    /** The spec gives no size; captagent-style agents send 6 bytes, some pad to 8 (uint64). */
    private static byte[] mac(ByteBuf buf, int v, int vlen, int off, int type) {
        if (vlen != 6 && vlen != 8) {
            throw new HepDecodeException(BAD_CHUNK_VALUE, off, "chunk 0x" + Integer.toHexString(type)
                    + " has " + vlen + " value bytes, expected 6 or 8");
        }
        return bytes(buf, v, vlen);
    }

    /** A number its Elasticsearch field cannot hold (e.g. ip family 200 in the byte field hep.ip_family) is rejected here, not by Elasticsearch. */
    private static int fitting(int value, int max, int off, int type) {
        if (value > max) {
            throw new HepDecodeException(BAD_CHUNK_VALUE, off, "chunk 0x" + Integer.toHexString(type) + " value " + value
                    + " does not fit its Elasticsearch field (at most " + max + ")");
        }
        return value;
    }

    /**
     * Node names and group ids: every packet of an agent carries the same few, so the String made for
     * the last ones is handed out again (one per agent, not one per packet). A small direct-mapped
     * table of immutable entries: threads may overwrite each other's slots, never see half an entry,
     * and a flood of distinct names only makes misses.
     */
    private static final class AgentNames {
        static final AgentNames NODES = new AgentNames();
        static final AgentNames GROUPS = new AgentNames();
        private static final int SLOTS = 64;
        private static final int MAX_BYTES = 64;

        private record Entry(byte[] bytes, String text) {
        }

        private final Entry[] slots = new Entry[SLOTS];

        String text(ByteBuf buf, int v, int vlen, int off, int type) {
            if (vlen > MAX_BYTES) {
                return keyword(buf, v, vlen, off, type);
            }
            int h = 1;
            for (int i = 0; i < vlen; i++) {
                h = 31 * h + buf.getByte(v + i);
            }
            int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
            Entry e = slots[slot];
            if (e != null && e.bytes.length == vlen && same(buf, v, e.bytes)) {
                return e.text;
            }
            String text = keyword(buf, v, vlen, off, type);
            slots[slot] = new Entry(bytes(buf, v, vlen), text);
            return text;
        }

        private static boolean same(ByteBuf buf, int v, byte[] b) {
            for (int i = 0; i < b.length; i++) {
                if (buf.getByte(v + i) != b[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Text indexed as a keyword: Elasticsearch refuses a term over 32766 UTF-8 bytes, so it is rejected here. */
    private static String keyword(ByteBuf buf, int v, int vlen, int off, int type) {
        String s = text(buf, v, vlen);
        // bad UTF-8 becomes U+FFFD (3 bytes), so only the encoded length tells
        if ((long) vlen * 3 > HepFieldLimits.MAX_KEYWORD_BYTES && s.getBytes(StandardCharsets.UTF_8).length > HepFieldLimits.MAX_KEYWORD_BYTES) {
            throw new HepDecodeException(BAD_CHUNK_VALUE, off, "chunk 0x" + Integer.toHexString(type) + " text of " + vlen
                    + " bytes is longer than an Elasticsearch keyword may be (" + HepFieldLimits.MAX_KEYWORD_BYTES + " UTF-8 bytes)");
        }
        return s;
    }

    private static void expectSize(int vlen, int size, int off, int type) {
        if (vlen != size) {
            throw new HepDecodeException(BAD_CHUNK_VALUE, off, "chunk 0x" + Integer.toHexString(type)
                    + " has " + vlen + " value bytes, expected " + size);
        }
    }

    private static byte[] bytes(ByteBuf buf, int index, int len) {
        byte[] out = new byte[len];
        buf.getBytes(index, out);
        return out;
    }

    private static String text(ByteBuf buf, int index, int len) {
        return len == 0 ? "" : buf.toString(index, len, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "HepDecoder{authKeyRequired=" + (authenticator != null) + ", maxDecompressedPayload="
                + maxDecompressedPayload + ", requirePayload=" + requirePayload + "}";
    }

    /** Validated settings for a {@link HepDecoder}. */
    public static final class Builder {
        private HepAuthenticator authenticator;
        private int maxDecompressedPayload = DEFAULT_MAX_DECOMPRESSED_PAYLOAD;
        private boolean requirePayload = true;

        private Builder() {
        }

        /** Packets must carry this auth key (chunk 0x000e); {@code null} (the default) accepts any or none. */
        public Builder requiredAuthKey(String key) {
            if (key != null && key.isEmpty()) {
                throw new IllegalArgumentException("requiredAuthKey must be null or non-empty");
            }
            this.authenticator = key == null ? null : singleKey(key.getBytes(StandardCharsets.UTF_8));
            return this;
        }

        /** Packets must satisfy {@code authenticator} (several keys, per agent); {@code null} accepts any. */
        public Builder authenticator(HepAuthenticator authenticator) {
            this.authenticator = authenticator;
            return this;
        }

        /** Upper bound in bytes for an inflated 0x0010 payload; default 128 KiB. */
        public Builder maxDecompressedPayload(int bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxDecompressedPayload must be a positive integer: " + bytes);
            }
            this.maxDecompressedPayload = bytes;
            return this;
        }

        /** Reject packets without a payload chunk (MISSING_PAYLOAD); default true. Keep-alives have none. */
        public Builder requirePayload(boolean require) {
            this.requirePayload = require;
            return this;
        }

        public HepDecoder build() {
            return new HepDecoder(this);
        }
    }
}
