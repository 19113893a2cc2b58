package io.hepstack.collector.payload;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds DNS wire-format messages (RFC 1035 §4.1) for tests, compression pointers included. */
final class DnsBytes {

    static final int QR = 0x8000;
    static final int AA = 0x0400;
    static final int TC = 0x0200;
    static final int RD = 0x0100;
    static final int RA = 0x0080;
    static final int AD = 0x0020;
    static final int CD = 0x0010;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    DnsBytes() {
    }

    /** The 12-byte header. */
    static DnsBytes header(int id, int flags, int qd, int an, int ns, int ar) {
        return new DnsBytes().u16(id).u16(flags).u16(qd).u16(an).u16(ns).u16(ar);
    }

    /** Where the next byte goes (a compression pointer's target). */
    int offset() {
        return out.size();
    }

    /** A full, uncompressed name ("." for the root). */
    DnsBytes name(String dotted) {
        return labels(dotted).u8(0);
    }

    /** The labels of a name without the root label (to be ended by {@link #pointer}). */
    DnsBytes labels(String dotted) {
        if (!dotted.equals(".") && !dotted.isEmpty()) {
            for (String label : dotted.split("\\.")) {
                byte[] b = label.getBytes(StandardCharsets.ISO_8859_1);
                u8(b.length);
                out.writeBytes(b);
            }
        }
        return this;
    }

    DnsBytes pointer(int target) {
        return u16(0xc000 | target);
    }

    DnsBytes question(int type, int cls) {
        return u16(type).u16(cls);
    }

    /** TYPE, CLASS, TTL, RDLENGTH and RDATA of a record whose owner name was just written. */
    DnsBytes record(int type, int cls, long ttl, byte[] rdata) {
        u16(type).u16(cls).u32(ttl).u16(rdata.length);
        out.writeBytes(rdata);
        return this;
    }

    /** TYPE, CLASS, TTL and RDLENGTH; the RDATA follows with the builder's other methods (for compressed names). */
    DnsBytes recordHeader(int type, int cls, long ttl, int rdLength) {
        return u16(type).u16(cls).u32(ttl).u16(rdLength);
    }

    DnsBytes u8(int v) {
        out.write(v);
        return this;
    }

    DnsBytes u16(int v) {
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    DnsBytes u32(long v) {
        return u16((int) (v >>> 16)).u16((int) v);
    }

    DnsBytes raw(byte... b) {
        out.writeBytes(b);
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    /** An uncompressed name as RDATA. */
    static byte[] nameData(String dotted) {
        return new DnsBytes().name(dotted).bytes();
    }

    /** TXT RDATA: each string with its length byte. */
    static byte[] txt(String... strings) {
        DnsBytes b = new DnsBytes();
        for (String s : strings) {
            byte[] v = s.getBytes(StandardCharsets.UTF_8);
            b.u8(v.length).raw(v);
        }
        return b.bytes();
    }
}
