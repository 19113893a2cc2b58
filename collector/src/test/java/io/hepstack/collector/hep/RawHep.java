package io.hepstack.collector.hep;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes HEP3 bytes chunk by chunk, independently of {@link HepEncoder}, so decoder tests do
 * not check the codec against itself. Lengths can be forced to build malformed packets.
 */
final class RawHep {

    private final ByteArrayOutputStream chunks = new ByteArrayOutputStream();
    private String magic = "HEP3";
    private int totalOverride = -1;

    static RawHep hep3() {
        return new RawHep();
    }

    RawHep magic(String m) {
        this.magic = m;
        return this;
    }

    RawHep totalLength(int total) {
        this.totalOverride = total;
        return this;
    }

    RawHep chunk(int vendor, int type, byte[] value) {
        return chunkWithLength(vendor, type, 6 + value.length, value);
    }

    RawHep chunkWithLength(int vendor, int type, int length, byte[] value) {
        u16(vendor);
        u16(type);
        u16(length);
        chunks.writeBytes(value);
        return this;
    }

    RawHep u8(int type, int v) {
        return chunk(0, type, new byte[] {(byte) v});
    }

    RawHep u16(int type, int v) {
        return chunk(0, type, new byte[] {(byte) (v >> 8), (byte) v});
    }

    RawHep u32(int type, long v) {
        return chunk(0, type, new byte[] {(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v});
    }

    RawHep text(int type, String s) {
        return chunk(0, type, s.getBytes(StandardCharsets.UTF_8));
    }

    RawHep raw(byte[] bytes) {
        chunks.writeBytes(bytes);
        return this;
    }

    /** The chunks of a typical Kamailio siptrace SIP packet over IPv4/UDP. */
    RawHep typicalSip(String sip) {
        return u8(0x01, 2).u8(0x02, 17)
                .chunk(0, 0x03, new byte[] {10, 0, 0, 1})
                .chunk(0, 0x04, new byte[] {10, 0, 0, 2})
                .u16(0x07, 5060).u16(0x08, 5080)
                .u32(0x09, 1_767_225_600L).u32(0x0a, 123_456)
                .u8(0x0b, 1).u32(0x0c, 2001)
                .text(0x0f, sip);
    }

    byte[] build() {
        byte[] body = chunks.toByteArray();
        int total = totalOverride >= 0 ? totalOverride : 6 + body.length;
        byte[] out = new byte[6 + body.length];
        byte[] m = magic.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(m, 0, out, 0, 4);
        out[4] = (byte) (total >> 8);
        out[5] = (byte) total;
        System.arraycopy(body, 0, out, 6, body.length);
        return out;
    }

    private void u16(int v) {
        chunks.write(v >> 8);
        chunks.write(v);
    }
}
