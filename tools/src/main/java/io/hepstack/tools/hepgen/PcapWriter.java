package io.hepstack.tools.hepgen;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Writes a classic pcap file (microsecond timestamps, little-endian, link type Ethernet) of
 * UDP/IPv4 datagrams, as {@code testdata/hep/*.pcap} are: zero MAC addresses, IPv4 header with
 * a correct checksum, TTL 64, no UDP checksum (0, allowed for IPv4). The caller owns the stream.
 */
public final class PcapWriter {

    private static final int LINKTYPE_ETHERNET = 1;
    private static final int SNAPLEN = 65535;
    /** Largest UDP payload in one IPv4 packet. */
    public static final int MAX_PAYLOAD = 65535 - 20 - 8;

    private final OutputStream out;
    private final byte[] header = new byte[16 + 14 + 20 + 8];
    private long frames;

    /** Writes the file header. */
    public PcapWriter(OutputStream out) throws IOException {
        if (out == null) {
            throw new IllegalArgumentException("out must not be null");
        }
        this.out = out;
        byte[] h = new byte[24];
        le32(h, 0, 0xa1b2c3d4);
        le16(h, 4, 2);
        le16(h, 6, 4);
        le32(h, 16, SNAPLEN);
        le32(h, 20, LINKTYPE_ETHERNET);
        out.write(h);
    }

    /** Appends one frame carrying {@code payload}'s remaining bytes (the buffer is not consumed). */
    public void writeUdp(long timestampMicros, byte[] srcIp, int srcPort, byte[] dstIp, int dstPort,
                         ByteBuffer payload) throws IOException {
        int n = payload.remaining();
        if (n > MAX_PAYLOAD) {
            throw new IllegalArgumentException("UDP payload of " + n + " bytes exceeds " + MAX_PAYLOAD);
        }
        if (srcIp.length != 4 || dstIp.length != 4) {
            throw new IllegalArgumentException("addresses must be IPv4: " + srcIp.length + "/" + dstIp.length);
        }
        if (timestampMicros < 0) {
            throw new IllegalArgumentException("timestamp must be >= 0: " + timestampMicros);
        }
        byte[] h = header;
        int frame = 14 + 20 + 8 + n;
        le32(h, 0, (int) (timestampMicros / 1_000_000L));
        le32(h, 4, (int) (timestampMicros % 1_000_000L));
        le32(h, 8, frame);
        le32(h, 12, frame);
        java.util.Arrays.fill(h, 16, 28, (byte) 0); // MAC addresses
        h[28] = 0x08; // IPv4
        h[29] = 0x00;
        int ip = 30;
        h[ip] = 0x45;
        h[ip + 1] = 0;
        be16(h, ip + 2, 20 + 8 + n);
        be16(h, ip + 4, 0); // identification
        be16(h, ip + 6, 0); // flags, fragment offset
        h[ip + 8] = 64;
        h[ip + 9] = 17;
        be16(h, ip + 10, 0);
        System.arraycopy(srcIp, 0, h, ip + 12, 4);
        System.arraycopy(dstIp, 0, h, ip + 16, 4);
        be16(h, ip + 10, checksum(h, ip, 20));
        int udp = ip + 20;
        be16(h, udp, srcPort);
        be16(h, udp + 2, dstPort);
        be16(h, udp + 4, 8 + n);
        be16(h, udp + 6, 0);
        out.write(h);
        if (payload.hasArray()) {
            out.write(payload.array(), payload.arrayOffset() + payload.position(), n);
        } else {
            byte[] copy = new byte[n];
            payload.duplicate().get(copy);
            out.write(copy);
        }
        frames++;
    }

    public long frames() {
        return frames;
    }

    /** RFC 791 header checksum: ones' complement of the ones' complement sum of 16-bit words. */
    static int checksum(byte[] b, int off, int len) {
        long sum = 0;
        for (int i = 0; i < len; i += 2) {
            sum += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) (~sum & 0xffff);
    }

    private static void le16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }

    private static void le32(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    private static void be16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }
}
