package io.hepstack.collector.hep;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Encodes a {@link HepPacket} as HEP3 (every field that is set becomes a chunk), or as HEPv1/v2
 * for tests. The wire formats are described in {@code package-info.java}.
 *
 * <p>Stateless and thread-safe. Without compression, {@link #encode(HepPacket, ByteBuf)} writes
 * straight into the caller's buffer and allocates nothing; strings are written as UTF-8.
 * Chunk order follows what Kamailio and hep-js send: the generic chunks by type, then the
 * packet's other (vendor / unknown) chunks, then the payload last.
 *
 * <p>A packet that cannot be encoded (a value out of its field's range, a total over 65535
 * bytes, an address that is not 4 or 16 bytes) is an {@link IllegalArgumentException}.
 */
public final class HepEncoder {

    /** How {@link HepEncoder} writes the payload. */
    public enum Compression {
        /** Chunk 0x000f, as is. */
        NONE,
        /** Chunk 0x0010, gzip (RFC 1952). */
        GZIP,
        /** Chunk 0x0010, zlib (RFC 1950). */
        ZLIB,
        /** Chunk 0x0010, raw deflate (RFC 1951). */
        DEFLATE
    }

    /** The largest HEP3 packet: the total length field has 16 bits. */
    public static final int MAX_PACKET = 0xffff;

    private final Compression compression;

    /** An encoder that writes the payload uncompressed (chunk 0x000f). */
    public HepEncoder() {
        this(Compression.NONE);
    }

    public HepEncoder(Compression compression) {
        if (compression == null) {
            throw new IllegalArgumentException("compression must not be null");
        }
        this.compression = compression;
    }

    /** Encodes {@code p} as one HEP3 packet. */
    public byte[] encode(HepPacket p) {
        byte[] payload = wirePayload(p);
        byte[] out = new byte[length(p, payload)];
        ByteBuf buf = Unpooled.wrappedBuffer(out).writerIndex(0);
        write(p, payload, buf, out.length);
        return out;
    }

    /** Appends {@code p} as one HEP3 packet to {@code out}; returns the number of bytes written. */
    public int encode(HepPacket p, ByteBuf out) {
        byte[] payload = wirePayload(p);
        int total = length(p, payload);
        out.ensureWritable(total);
        write(p, payload, out, total);
        return total;
    }

    /**
     * The HEP3 size of {@code p} with this encoder's compression, or -1 when it is more than
     * {@code max} (HEP3 allows {@link #MAX_PACKET}): asks without the exception {@link #encodedLength(HepPacket)} throws.
     */
    public int encodedLength(HepPacket p, int max) {
        long n = unchecked(p, wirePayload(p));
        return n > max ? -1 : (int) n;
    }

    /** The HEP3 size of {@code p} with this encoder's compression. */
    public int encodedLength(HepPacket p) {
        return length(p, wirePayload(p));
    }

    private byte[] wirePayload(HepPacket p) {
        if (p.payload == null || compression == Compression.NONE) {
            return p.payload;
        }
        return compress(p.payload, compression);
    }

    private int length(HepPacket p, byte[] payload) {
        long n = unchecked(p, payload);
        if (n > MAX_PACKET) {
            throw new IllegalArgumentException("packet needs " + n + " bytes, HEP3 allows " + MAX_PACKET);
        }
        return (int) n;
    }

    private long unchecked(HepPacket p, byte[] payload) {
        long n = HepDecoder.V3_HEADER;
        n += p.ipFamily >= 0 ? 7 : 0;
        n += p.ipProtocol >= 0 ? 7 : 0;
        n += p.srcIp != null ? 6 + address(p.srcIp, "srcIp").length : 0;
        n += p.dstIp != null ? 6 + address(p.dstIp, "dstIp").length : 0;
        n += p.srcPort >= 0 ? 8 : 0;
        n += p.dstPort >= 0 ? 8 : 0;
        n += p.timeSeconds >= 0 ? 10 : 0;
        n += p.timeMicros >= 0 ? 10 : 0;
        n += p.protoType >= 0 ? 7 : 0;
        n += p.captureId >= 0 ? 10 : 0;
        n += p.keepAliveTimer >= 0 ? 8 : 0;
        n += textChunk(p.authKey);
        n += textChunk(p.correlationId);
        n += p.vlanId >= 0 ? 8 : 0;
        n += textChunk(p.nodeName);
        n += p.srcMac != null ? 6 + mac(p.srcMac, "srcMac").length : 0;
        n += p.dstMac != null ? 6 + mac(p.dstMac, "dstMac").length : 0;
        n += p.ethernetType >= 0 ? 8 : 0;
        n += p.tcpFlags >= 0 ? 7 : 0;
        n += p.ipTos >= 0 ? 7 : 0;
        n += p.mos >= 0 ? 8 : 0;
        n += p.rFactor >= 0 ? 8 : 0;
        n += textChunk(p.geoLocation);
        n += p.jitter >= 0 ? 10 : 0;
        n += textChunk(p.transactionType);
        n += textChunk(p.payloadJsonKeys);
        n += textChunk(p.tagsValues);
        n += p.tagType >= 0 ? 8 : 0;
        n += p.eventType >= 0 ? 8 : 0;
        n += textChunk(p.groupId);
        for (HepChunk c : p.otherChunks()) {
            n += 6L + c.value().length;
        }
        n += payload != null ? 6 + payload.length : 0;
        return n;
    }

    private static int textChunk(String s) {
        return s == null ? 0 : 6 + ByteBufUtil.utf8Bytes(s);
    }

    private void write(HepPacket p, byte[] payload, ByteBuf b, int total) {
        int start = b.writerIndex();
        b.writeInt(HepDecoder.MAGIC_HEP3);
        b.writeShort(total);
        if (p.ipFamily >= 0) {
            u8(b, HepChunkTypes.IP_FAMILY, p.ipFamily, "ipFamily");
        }
        if (p.ipProtocol >= 0) {
            u8(b, HepChunkTypes.IP_PROTOCOL, p.ipProtocol, "ipProtocol");
        }
        if (p.srcIp != null) {
            bytes(b, p.srcIp.length == 4 ? HepChunkTypes.IPV4_SRC : HepChunkTypes.IPV6_SRC, p.srcIp);
        }
        if (p.dstIp != null) {
            bytes(b, p.dstIp.length == 4 ? HepChunkTypes.IPV4_DST : HepChunkTypes.IPV6_DST, p.dstIp);
        }
        if (p.srcPort >= 0) {
            u16(b, HepChunkTypes.SRC_PORT, p.srcPort, "srcPort");
        }
        if (p.dstPort >= 0) {
            u16(b, HepChunkTypes.DST_PORT, p.dstPort, "dstPort");
        }
        if (p.timeSeconds >= 0) {
            u32(b, HepChunkTypes.TIME_SECONDS, p.timeSeconds, "timeSeconds");
        }
        if (p.timeMicros >= 0) {
            u32(b, HepChunkTypes.TIME_MICROS, p.timeMicros, "timeMicros");
        }
        if (p.protoType >= 0) {
            u8(b, HepChunkTypes.PROTO_TYPE, p.protoType, "protoType");
        }
        if (p.captureId >= 0) {
            u32(b, HepChunkTypes.CAPTURE_ID, p.captureId, "captureId");
        }
        if (p.keepAliveTimer >= 0) {
            u16(b, HepChunkTypes.KEEP_ALIVE_TIMER, p.keepAliveTimer, "keepAliveTimer");
        }
        text(b, HepChunkTypes.AUTH_KEY, p.authKey);
        text(b, HepChunkTypes.CORRELATION_ID, p.correlationId);
        if (p.vlanId >= 0) {
            u16(b, HepChunkTypes.VLAN_ID, p.vlanId, "vlanId");
        }
        text(b, HepChunkTypes.NODE_NAME, p.nodeName);
        if (p.srcMac != null) {
            bytes(b, HepChunkTypes.SRC_MAC, p.srcMac);
        }
        if (p.dstMac != null) {
            bytes(b, HepChunkTypes.DST_MAC, p.dstMac);
        }
        if (p.ethernetType >= 0) {
            u16(b, HepChunkTypes.ETHERNET_TYPE, p.ethernetType, "ethernetType");
        }
        if (p.tcpFlags >= 0) {
            u8(b, HepChunkTypes.TCP_FLAGS, p.tcpFlags, "tcpFlags");
        }
        if (p.ipTos >= 0) {
            u8(b, HepChunkTypes.IP_TOS, p.ipTos, "ipTos");
        }
        if (p.mos >= 0) {
            u16(b, HepChunkTypes.MOS, p.mos, "mos");
        }
        if (p.rFactor >= 0) {
            u16(b, HepChunkTypes.R_FACTOR, p.rFactor, "rFactor");
        }
        text(b, HepChunkTypes.GEO_LOCATION, p.geoLocation);
        if (p.jitter >= 0) {
            u32(b, HepChunkTypes.JITTER, p.jitter, "jitter");
        }
        text(b, HepChunkTypes.TRANSACTION_TYPE, p.transactionType);
        text(b, HepChunkTypes.PAYLOAD_JSON_KEYS, p.payloadJsonKeys);
        text(b, HepChunkTypes.TAGS_VALUES, p.tagsValues);
        if (p.tagType >= 0) {
            u16(b, HepChunkTypes.TAG_TYPE, p.tagType, "tagType");
        }
        if (p.eventType >= 0) {
            u16(b, HepChunkTypes.EVENT_TYPE, p.eventType, "eventType");
        }
        text(b, HepChunkTypes.GROUP_ID, p.groupId);
        for (HepChunk c : p.otherChunks()) {
            checkRange("vendorId", c.vendorId(), 0xffff);
            checkRange("typeId", c.typeId(), 0xffff);
            b.writeShort(c.vendorId());
            b.writeShort(c.typeId());
            b.writeShort(6 + c.value().length);
            b.writeBytes(c.value());
        }
        if (payload != null) {
            bytes(b, compression == Compression.NONE ? HepChunkTypes.PAYLOAD : HepChunkTypes.COMPRESSED_PAYLOAD, payload);
        }
        if (b.writerIndex() - start != total) {
            throw new IllegalStateException("wrote " + (b.writerIndex() - start) + " bytes, computed " + total);
        }
    }

    private static void header(ByteBuf b, int type, int valueLength) {
        b.writeShort(0);
        b.writeShort(type);
        b.writeShort(6 + valueLength);
    }

    private static void u8(ByteBuf b, int type, int v, String name) {
        checkRange(name, v, 0xff);
        header(b, type, 1);
        b.writeByte(v);
    }

    private static void u16(ByteBuf b, int type, int v, String name) {
        checkRange(name, v, 0xffff);
        header(b, type, 2);
        b.writeShort(v);
    }

    private static void u32(ByteBuf b, int type, long v, String name) {
        checkRange(name, v, 0xffff_ffffL);
        header(b, type, 4);
        b.writeInt((int) v);
    }

    private static void bytes(ByteBuf b, int type, byte[] v) {
        header(b, type, v.length);
        b.writeBytes(v);
    }

    private static void text(ByteBuf b, int type, String s) {
        if (s == null) {
            return;
        }
        int n = ByteBufUtil.utf8Bytes(s);
        header(b, type, n);
        // reserve the exact size: writeUtf8 alone reserves 3 bytes per char, more than a fixed array holds
        ByteBufUtil.reserveAndWriteUtf8(b, s, n);
    }

    private static void checkRange(String name, long v, long max) {
        if (v > max) {
            throw new IllegalArgumentException(name + " must be at most " + max + ": " + v);
        }
    }

    private static byte[] address(byte[] ip, String name) {
        if (ip.length != 4 && ip.length != 16) {
            throw new IllegalArgumentException(name + " must be 4 or 16 bytes: " + ip.length);
        }
        return ip;
    }

    private static byte[] mac(byte[] mac, String name) {
        if (mac.length != 6 && mac.length != 8) {
            throw new IllegalArgumentException(name + " must be 6 or 8 bytes: " + mac.length);
        }
        return mac;
    }

    // ---------------------------------------------------------------- compression

    /** Compresses {@code data} with the given framing (not {@code NONE}). */
    static byte[] compress(byte[] data, Compression c) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, c != Compression.ZLIB);
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(64 + data.length / 2);
            if (c == Compression.GZIP) {
                out.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff}, 0, 10);
            }
            byte[] chunk = new byte[Math.max(64, Math.min(8192, data.length + 64))];
            while (!deflater.finished()) {
                int n = deflater.deflate(chunk);
                out.write(chunk, 0, n);
            }
            if (c == Compression.GZIP) {
                CRC32 crc = new CRC32();
                crc.update(data);
                writeIntLE(out, (int) crc.getValue());
                writeIntLE(out, data.length);
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private static void writeIntLE(ByteArrayOutputStream out, int v) {
        out.write(v);
        out.write(v >>> 8);
        out.write(v >>> 16);
        out.write(v >>> 24);
    }

    // ---------------------------------------------------------------- HEPv1 / HEPv2

    /**
     * Encodes {@code p} as HEPv1 or HEPv2 (Kamailio siptrace layout). Needs both addresses of
     * one family and both ports; v2 also writes time and a 16-bit capture id (absent values
     * are written as 0). Chunk-only fields (auth key, node name, ...) cannot be carried.
     */
    public byte[] encodeLegacy(HepPacket p, int version) {
        if (version != 1 && version != 2) {
            throw new IllegalArgumentException("version must be 1 or 2: " + version);
        }
        if (p.srcIp == null || p.dstIp == null || p.srcIp.length != p.dstIp.length) {
            throw new IllegalArgumentException("HEPv" + version + " needs src and dst addresses of one family: "
                    + (p.srcIp == null ? null : p.srcIp.length) + "/" + (p.dstIp == null ? null : p.dstIp.length));
        }
        int addrLen = address(p.srcIp, "srcIp").length;
        checkRange("ipProtocol", p.ipProtocol, 0xff);
        checkRange("srcPort", p.srcPort, 0xffff);
        checkRange("dstPort", p.dstPort, 0xffff);
        if (p.ipProtocol < 0 || p.srcPort < 0 || p.dstPort < 0) {
            throw new IllegalArgumentException("HEPv" + version + " needs ipProtocol, srcPort and dstPort");
        }
        byte[] payload = p.payload == null ? new byte[0] : p.payload;
        int header = HepDecoder.V12_HEADER + 2 * addrLen + (version == 2 ? HepDecoder.V2_TIME_HEADER : 0);
        byte[] out = new byte[header + payload.length];
        ByteBuf b = Unpooled.wrappedBuffer(out).writerIndex(0);
        b.writeByte(version);
        b.writeByte(HepDecoder.V12_HEADER + 2 * addrLen); // hp_l: Kamailio counts hep_hdr + addresses
        b.writeByte(addrLen == 4 ? HepPacket.AF_INET : HepPacket.AF_INET6);
        b.writeByte(p.ipProtocol);
        b.writeShort(p.srcPort);
        b.writeShort(p.dstPort);
        b.writeBytes(p.srcIp);
        b.writeBytes(p.dstIp);
        if (version == 2) {
            checkRange("timeSeconds", p.timeSeconds, 0xffff_ffffL);
            checkRange("timeMicros", p.timeMicros, 0xffff_ffffL);
            checkRange("captureId", p.captureId, 0xffff);
            b.writeIntLE((int) Math.max(0, p.timeSeconds));
            b.writeIntLE((int) Math.max(0, p.timeMicros));
            b.writeShortLE((int) Math.max(0, p.captureId));
            b.writeShort(0); // struct padding
        }
        b.writeBytes(payload);
        return out;
    }

    @Override
    public String toString() {
        return "HepEncoder{compression=" + compression + "}";
    }
}
