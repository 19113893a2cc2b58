package io.hepstack.collector.protocol.rtcp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes RTCP packets byte by byte, as RFC 3550 and RFC 3611 lay them out, for tests. */
public final class RtcpBytes {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public RtcpBytes u8(int v) {
        out.write(v & 0xff);
        return this;
    }

    public RtcpBytes u16(int v) {
        return u8(v >>> 8).u8(v);
    }

    public RtcpBytes u24(int v) {
        return u8(v >>> 16).u8(v >>> 8).u8(v);
    }

    public RtcpBytes u32(long v) {
        return u16((int) (v >>> 16)).u16((int) v);
    }

    public RtcpBytes bytes(byte[] b) {
        out.write(b, 0, b.length);
        return this;
    }

    public RtcpBytes ascii(String s) {
        return bytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** RTCP common header: V=2, P, count, PT, length in 32-bit words minus one. */
    public RtcpBytes header(boolean padding, int count, int pt, int lengthWords) {
        return u8(0x80 | (padding ? 0x20 : 0) | count).u8(pt).u16(lengthWords);
    }

    /** One RFC 3550 §6.4.1 report block. */
    public RtcpBytes reportBlock(long source, int fraction, int cumulativeLost, long extHighest, long jitter,
                                 long lsr, long dlsr) {
        return u32(source).u8(fraction).u24(cumulativeLost).u32(extHighest).u32(jitter).u32(lsr).u32(dlsr);
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }

    public int size() {
        return out.size();
    }

    /** Concatenates arrays. */
    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.write(p, 0, p.length);
        }
        return o.toByteArray();
    }

    // ---------------------------------------------------------------- ready-made packets

    /** RR from 0xaabbccdd with one block about 0x11223344 (fraction 13, cumulative -5, jitter 160). */
    public static byte[] rrOneBlock() {
        return new RtcpBytes().header(false, 1, 201, 7).u32(0xaabbccddL)
                .reportBlock(0x11223344L, 13, -5 & 0xffffff, 0x0001f000L, 160, 0x12345678L, 6554).toByteArray();
    }

    /**
     * XR (RFC 3611) from 0xaabbccdd: a VoIP Metrics block (§4.7) about 0x11223344 and a Receiver
     * Reference Time block (§4.4). tshark 4.0 decodes these bytes as: loss 13/256, discard 7/256,
     * burst density 200, gap density 3, burst 120 ms, gap 4500 ms, RTT 85 ms, end system 40 ms,
     * signal -20, noise -65, RERL unavailable, Gmin 16, R 87, ext R unavailable, MOS-LQ 4.1,
     * MOS-CQ 3.9, PLC standard (3), JB non-adaptive (2), JB rate 5, JB 60/120/200 ms.
     */
    public static byte[] xrVoipMetrics() {
        return new RtcpBytes().header(false, 0, 207, 13).u32(0xaabbccddL)
                // VoIP Metrics: BT=7, reserved, block length 8 words
                .u8(7).u8(0).u16(8)
                .u32(0x11223344L)
                .u8(13).u8(7).u8(200).u8(3)          // loss rate, discard rate, burst density, gap density
                .u16(120).u16(4500)                  // burst duration, gap duration (ms)
                .u16(85).u16(40)                     // round trip delay, end system delay (ms)
                .u8(-20).u8(-65).u8(127).u8(16)      // signal level, noise level, RERL, Gmin
                .u8(87).u8(127).u8(41).u8(39)        // R factor, ext R factor, MOS-LQ, MOS-CQ
                .u8(0b11_10_0101).u8(0)              // RX config (PLC, JBA, JB rate), reserved
                .u16(60)                             // JB nominal
                .u16(120).u16(200)                   // JB maximum, JB absolute maximum
                // Receiver Reference Time: BT=4, reserved, length 2, NTP timestamp
                .u8(4).u8(0).u16(2).u32(0xe1234567L).u32(0x89abcdefL)
                .toByteArray();
    }

    /** SR from 0x01020304 with no report blocks. */
    public static byte[] srNoBlocks() {
        return new RtcpBytes().header(false, 0, 200, 6).u32(0x01020304L)
                .u32(3_976_214_475L).u32(2_761_663_971L).u32(584_000).u32(3650).u32(584_000).toByteArray();
    }

    /** SDES from 0x01020304: CNAME "user@host", then END and padding to a word boundary. */
    public static byte[] sdesCname() {
        // 4 SSRC + 2+9 CNAME + 1 END = 16 bytes: already aligned
        return new RtcpBytes().header(false, 1, 202, 4).u32(0x01020304L)
                .u8(1).u8(9).ascii("user@host").u8(0).toByteArray();
    }

    /** BYE from 0x01020304 with reason "bye now". */
    public static byte[] byeWithReason() {
        // 4 SSRC + 1 length + 7 text = 12 bytes
        return new RtcpBytes().header(false, 1, 203, 3).u32(0x01020304L).u8(7).ascii("bye now").toByteArray();
    }

    /** APP from 0x01020304, subtype 5, name "TEST", 4 data bytes. */
    public static byte[] app() {
        return new RtcpBytes().header(false, 5, 204, 3).u32(0x01020304L).ascii("TEST").u32(0xdeadbeefL).toByteArray();
    }
}
