package io.hepstack.collector.pcap;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes a classic libpcap file (microsecond timestamps, little-endian, link type Ethernet) of
 * UDP or TCP packets over IPv4 or IPv6, rebuilt from addresses and ports alone (as a HEP capture
 * gives them): zero MAC addresses, TTL/hop limit 64, a correct IPv4 header checksum, the UDP
 * checksum over IPv6 (where it is mandatory; 0 over IPv4, which RFC 768 allows). TCP segments
 * carry PSH+ACK with sequence numbers that run on per direction, so Wireshark reassembles a
 * stream's messages. The caller owns the stream.
 */
public final class PcapWriter {

    private static final int LINKTYPE_ETHERNET = 1;
    private static final int SNAPLEN = 65535;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;
    /** Largest UDP payload in one IPv4 packet. */
    public static final int MAX_PAYLOAD = 65535 - 20 - 8;

    private final OutputStream out;
    private final byte[] header = new byte[16 + 14 + 40 + 20];
    /** next TCP sequence number per direction (src ip:port > dst ip:port) */
    private final Map<String, Long> tcpSeq = new HashMap<>();
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

    /** Appends one UDP frame carrying {@code payload}'s remaining bytes (the buffer is not consumed). */
    public void writeUdp(long timestampMicros, byte[] srcIp, int srcPort, byte[] dstIp, int dstPort,
                         ByteBuffer payload) throws IOException {
        byte[] p = new byte[payload.remaining()];
        payload.duplicate().get(p);
        write(timestampMicros, IPPROTO_UDP, srcIp, srcPort, dstIp, dstPort, p);
    }

    /**
     * Appends one frame.
     *
     * @param ipProtocol {@link #IPPROTO_UDP} or {@link #IPPROTO_TCP}
     * @param srcIp      4 or 16 bytes, the same length as {@code dstIp}
     * @throws IllegalArgumentException when the payload does not fit one IP packet, or the addresses differ in family
     */
    public void write(long timestampMicros, int ipProtocol, byte[] srcIp, int srcPort, byte[] dstIp, int dstPort,
                      byte[] payload) throws IOException {
        boolean v6 = srcIp.length == 16;
        if ((srcIp.length != 4 && !v6) || dstIp.length != srcIp.length) {
            throw new IllegalArgumentException("addresses must both be IPv4 or both IPv6: " + srcIp.length + "/" + dstIp.length);
        }
        if (ipProtocol != IPPROTO_UDP && ipProtocol != IPPROTO_TCP) {
            throw new IllegalArgumentException("ip protocol must be UDP (17) or TCP (6): " + ipProtocol);
        }
        if (timestampMicros < 0) {
            throw new IllegalArgumentException("timestamp must be >= 0: " + timestampMicros);
        }
        int n = payload.length;
        int l4 = ipProtocol == IPPROTO_UDP ? 8 : 20;
        int ipHeader = v6 ? 40 : 20;
        if (n > 65535 - l4 - (v6 ? 0 : 20)) {
            throw new IllegalArgumentException("payload of " + n + " bytes does not fit one IP packet");
        }
        byte[] h = header;
        Arrays.fill(h, (byte) 0);
        int frame = 14 + ipHeader + l4 + n;
        le32(h, 0, (int) (timestampMicros / 1_000_000L));
        le32(h, 4, (int) (timestampMicros % 1_000_000L));
        le32(h, 8, frame);
        le32(h, 12, frame);
        int ip = 30;
        if (v6) {
            h[28] = (byte) 0x86;
            h[29] = (byte) 0xdd;
            h[ip] = 0x60;
            be16(h, ip + 4, l4 + n);
            h[ip + 6] = (byte) ipProtocol;
            h[ip + 7] = 64;
            System.arraycopy(srcIp, 0, h, ip + 8, 16);
            System.arraycopy(dstIp, 0, h, ip + 24, 16);
        } else {
            h[28] = 0x08;
            h[ip] = 0x45;
            be16(h, ip + 2, 20 + l4 + n);
            h[ip + 8] = 64;
            h[ip + 9] = (byte) ipProtocol;
            System.arraycopy(srcIp, 0, h, ip + 12, 4);
            System.arraycopy(dstIp, 0, h, ip + 16, 4);
            be16(h, ip + 10, checksum(h, ip, 20));
        }
        int t = ip + ipHeader;
        be16(h, t, srcPort);
        be16(h, t + 2, dstPort);
        if (ipProtocol == IPPROTO_UDP) {
            be16(h, t + 4, 8 + n);
            if (v6) {
                be16(h, t + 6, udp6Checksum(srcIp, dstIp, h, t, payload));
            }
        } else {
            String key = Arrays.toString(srcIp) + srcPort + ">" + Arrays.toString(dstIp) + dstPort;
            String back = Arrays.toString(dstIp) + dstPort + ">" + Arrays.toString(srcIp) + srcPort;
            long seq = tcpSeq.getOrDefault(key, 1L);
            tcpSeq.put(key, (seq + n) & 0xffffffffL);
            long ack = tcpSeq.getOrDefault(back, 1L);
            be32(h, t + 4, (int) seq);
            be32(h, t + 8, (int) ack);
            h[t + 12] = 0x50; // data offset 5 words
            h[t + 13] = 0x18; // PSH, ACK
            be16(h, t + 14, 65535);
        }
        out.write(h, 0, 16 + 14 + ipHeader + l4);
        out.write(payload);
        frames++;
    }

    public long frames() {
        return frames;
    }

    /** RFC 791 header checksum: ones' complement of the ones' complement sum of 16-bit words. */
    public static int checksum(byte[] b, int off, int len) {
        return fold(sum(0, b, off, len));
    }

    private static long sum(long sum, byte[] b, int off, int len) {
        int i = 0;
        for (; i + 1 < len; i += 2) {
            sum += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
        }
        if (i < len) {
            sum += (b[off + i] & 0xff) << 8;
        }
        return sum;
    }

    private static int fold(long sum) {
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) (~sum & 0xffff);
    }

    /** RFC 2460 §8.1: the UDP checksum over the IPv6 pseudo-header, header and payload (0 sent as 0xffff). */
    private static int udp6Checksum(byte[] src, byte[] dst, byte[] h, int udp, byte[] payload) {
        long s = sum(0, src, 0, 16);
        s = sum(s, dst, 0, 16);
        s += 8 + payload.length;
        s += IPPROTO_UDP;
        s = sum(s, h, udp, 8);
        s = sum(s, payload, 0, payload.length);
        int c = fold(s);
        return c == 0 ? 0xffff : c;
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

    private static void be32(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
