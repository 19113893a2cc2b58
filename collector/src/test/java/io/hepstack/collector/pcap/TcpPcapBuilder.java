package io.hepstack.collector.pcap;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes classic pcap files (Ethernet, IPv4, TCP) for tests: each {@link Connection} keeps its two
 * directions' sequence numbers, so segments come out as a real capture would hold them.
 */
public final class TcpPcapBuilder {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private long frames;

    public TcpPcapBuilder() {
        ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(262144).putInt(1);
        out.writeBytes(h.array());
    }

    public long frames() {
        return frames;
    }

    public byte[] bytes() {
        return out.toByteArray();
    }

    /** Appends one frame; returns its 1-based frame number. */
    public long segment(long micros, byte[] src, int sport, byte[] dst, int dport, long seq, long ack, int flags,
                        byte[] payload) {
        int ipLen = 20 + 20 + payload.length;
        ByteBuffer f = ByteBuffer.allocate(14 + ipLen).order(ByteOrder.BIG_ENDIAN);
        f.put(new byte[]{2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
        int ip = f.position();
        f.put((byte) 0x45).put((byte) 0).putShort((short) ipLen).putShort((short) frames).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 6).putShort((short) 0).put(src).put(dst);
        f.putShort(ip + 10, (short) checksum(f.array(), ip, 20, 0));
        int tcp = f.position();
        f.putShort((short) sport).putShort((short) dport).putInt((int) seq).putInt((int) ack)
                .put((byte) 0x50).put((byte) flags).putShort((short) 65535).putShort((short) 0).putShort((short) 0);
        f.put(payload);
        long pseudo = sum(src, 0, 4) + sum(dst, 0, 4) + 6 + 20 + payload.length;
        f.putShort(tcp + 16, (short) checksum(f.array(), tcp, 20 + payload.length, pseudo));
        ByteBuffer rec = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        rec.putInt((int) (micros / 1_000_000L)).putInt((int) (micros % 1_000_000L)).putInt(f.capacity()).putInt(f.capacity());
        out.writeBytes(rec.array());
        out.writeBytes(f.array());
        return ++frames;
    }

    private static long sum(byte[] b, int off, int len) {
        long s = 0;
        for (int i = 0; i < len; i += 2) {
            s += ((b[off + i] & 0xff) << 8) | (i + 1 < len ? b[off + i + 1] & 0xff : 0);
        }
        return s;
    }

    private static int checksum(byte[] b, int off, int len, long initial) {
        long s = initial + sum(b, off, len);
        while ((s >> 16) != 0) {
            s = (s & 0xffff) + (s >> 16);
        }
        return (int) (~s & 0xffff);
    }

    public Connection connection(byte[] client, int clientPort, byte[] server, int serverPort) {
        return new Connection(client, clientPort, server, serverPort);
    }

    /** Both directions of one TCP connection. */
    public final class Connection {
        public final byte[] client;
        public final byte[] server;
        public final int clientPort;
        public final int serverPort;
        private long clientSeq = 1000;
        private long serverSeq = 500_000;

        Connection(byte[] client, int clientPort, byte[] server, int serverPort) {
            this.client = client;
            this.clientPort = clientPort;
            this.server = server;
            this.serverPort = serverPort;
        }

        public void handshake(long micros) {
            segment(micros, client, clientPort, server, serverPort, clientSeq++, 0, 0x02, new byte[0]);
            segment(micros + 100, server, serverPort, client, clientPort, serverSeq++, clientSeq, 0x12, new byte[0]);
            segment(micros + 200, client, clientPort, server, serverPort, clientSeq, serverSeq, 0x10, new byte[0]);
        }

        /** A client→server segment; returns its frame number. */
        public long client(long micros, byte[] payload) {
            long n = segment(micros, client, clientPort, server, serverPort, clientSeq, serverSeq, 0x18, payload);
            clientSeq += payload.length;
            return n;
        }

        /** A server→client segment; returns its frame number. */
        public long server(long micros, byte[] payload) {
            long n = segment(micros, server, serverPort, client, clientPort, serverSeq, clientSeq, 0x18, payload);
            serverSeq += payload.length;
            return n;
        }
    }
}
