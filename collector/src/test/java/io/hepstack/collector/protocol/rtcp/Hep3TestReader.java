package io.hepstack.collector.protocol.rtcp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A minimal HEP3 chunk walker for tests (the real decoder is written elsewhere): proto type (0x0b),
 * capture time (0x09/0x0a), payload (0x0f) and correlation id (0x11) of one HEP3 datagram.
 */
public record Hep3TestReader(int protoType, long timeMicros, byte[] payload, String correlationId) {

    /** Reads a HEP3 datagram, or returns null when it is not one. */
    public static Hep3TestReader read(byte[] datagram) {
        if (datagram.length < 6 || datagram[0] != 'H' || datagram[1] != 'E' || datagram[2] != 'P'
                || datagram[3] != '3') {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(datagram);
        int total = b.getShort(4) & 0xffff;
        int pos = 6;
        int protoType = -1;
        long sec = -1;
        long usec = 0;
        byte[] payload = null;
        String cid = null;
        while (pos + 6 <= total) {
            int vendor = b.getShort(pos) & 0xffff;
            int type = b.getShort(pos + 2) & 0xffff;
            int len = b.getShort(pos + 4) & 0xffff;
            if (len < 6 || pos + len > total) {
                throw new IllegalStateException("bad HEP3 chunk length " + len + " at " + pos);
            }
            int v = pos + 6;
            int vlen = len - 6;
            if (vendor == 0) {
                switch (type) {
                    case 0x0b -> protoType = b.get(v) & 0xff;
                    case 0x09 -> sec = b.getInt(v) & 0xffffffffL;
                    case 0x0a -> usec = b.getInt(v) & 0xffffffffL;
                    case 0x0f -> {
                        payload = new byte[vlen];
                        b.get(v, payload);
                    }
                    case 0x11 -> cid = new String(datagram, v, vlen, StandardCharsets.UTF_8);
                    default -> {
                    }
                }
            }
            pos += len;
        }
        return new Hep3TestReader(protoType, sec < 0 ? -1 : sec * 1_000_000L + usec, payload, cid);
    }
}
