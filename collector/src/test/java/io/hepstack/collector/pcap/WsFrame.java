package io.hepstack.collector.pcap;

import java.io.ByteArrayOutputStream;

/** Builds RFC 6455 frames for tests. */
public final class WsFrame {

    public static final int CONTINUATION = 0;
    public static final int TEXT = 1;
    public static final int BINARY = 2;
    public static final int CLOSE = 8;
    public static final int PING = 9;
    public static final int PONG = 10;

    private WsFrame() {
    }

    /** A frame with the shortest length form; {@code mask} null for unmasked. */
    public static byte[] frame(boolean fin, int opcode, byte[] payload, byte[] mask) {
        int form = payload.length < 126 ? 7 : payload.length <= 0xffff ? 16 : 64;
        return frame(fin, opcode, payload, mask, form);
    }

    /** A frame with the given length form: 7, 16 or 64 (bits). */
    public static byte[] frame(boolean fin, int opcode, byte[] payload, byte[] mask, int form) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | opcode);
        int m = mask != null ? 0x80 : 0;
        if (form == 7) {
            out.write(m | payload.length);
        } else if (form == 16) {
            out.write(m | 126);
            out.write(payload.length >> 8);
            out.write(payload.length);
        } else {
            out.write(m | 127);
            long len = payload.length;
            for (int i = 7; i >= 0; i--) {
                out.write((int) (len >> (8 * i)));
            }
        }
        if (mask != null) {
            out.writeBytes(mask);
            for (int i = 0; i < payload.length; i++) {
                out.write(payload[i] ^ mask[i & 3]);
            }
        } else {
            out.writeBytes(payload);
        }
        return out.toByteArray();
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
