package io.hepstack.collector.hep;

import static io.hepstack.collector.hep.HepDecodeException.Reason.DECOMPRESSION_FAILED;
import static io.hepstack.collector.hep.HepDecodeException.Reason.PAYLOAD_TOO_LARGE;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Inflates a 0x0010 chunk. The spec says "gzip/inflate" without saying which framing, so the
 * framing is detected: gzip (RFC 1952, magic 1f 8b), zlib (RFC 1950, a valid CMF/FLG pair) or
 * else raw deflate (RFC 1951). Output is bounded: inflation stops as soon as it would exceed the
 * limit, so a zip bomb costs at most {@code max} bytes of memory. Checksums (gzip CRC-32 and
 * length, zlib Adler-32) are verified and trailing bytes after the stream are rejected.
 */
final class PayloadInflater {

    private static final int RESERVED_FLAGS = 0xe0;
    private static final int FHCRC = 0x02;
    private static final int FEXTRA = 0x04;
    private static final int FNAME = 0x08;
    private static final int FCOMMENT = 0x10;

    private PayloadInflater() {
    }

    /**
     * @param relOffset where the chunk value starts, relative to the packet, for error offsets
     */
    static byte[] inflate(ByteBuf buf, int index, int len, int max, int relOffset) {
        if (len >= 2 && buf.getUnsignedByte(index) == 0x1f && buf.getUnsignedByte(index + 1) == 0x8b) {
            return gunzip(buf, index, len, max, relOffset);
        }
        if (len >= 2 && isZlibHeader(buf.getUnsignedByte(index), buf.getUnsignedByte(index + 1))) {
            Result r = run(buf, index, len, max, relOffset, false);
            expectEnd(r, len, relOffset);
            return r.out;
        }
        Result r = run(buf, index, len, max, relOffset, true);
        expectEnd(r, len, relOffset);
        return r.out;
    }

    /** CMF: method 8 (deflate), window at most 32K; and the 16-bit header is a multiple of 31. */
    static boolean isZlibHeader(int cmf, int flg) {
        return (cmf & 0x0f) == 8 && (cmf >> 4) <= 7 && ((cmf << 8) | flg) % 31 == 0 && (flg & 0x20) == 0;
    }

    private static byte[] gunzip(ByteBuf buf, int index, int len, int max, int relOffset) {
        int end = index + len;
        if (len < 18) {
            throw fail(relOffset, "gzip data of " + len + " bytes is shorter than header and trailer");
        }
        if (buf.getUnsignedByte(index + 2) != 8) {
            throw fail(relOffset + 2, "gzip compression method " + buf.getUnsignedByte(index + 2) + " is not deflate");
        }
        int flags = buf.getUnsignedByte(index + 3);
        if ((flags & RESERVED_FLAGS) != 0) {
            throw fail(relOffset + 3, "gzip reserved flags set: 0x" + Integer.toHexString(flags));
        }
        int p = index + 10;
        if ((flags & FEXTRA) != 0) {
            if (end - p < 2) {
                throw fail(relOffset, "gzip FEXTRA truncated");
            }
            p += 2 + buf.getUnsignedShortLE(p);
        }
        if ((flags & FNAME) != 0) {
            p = skipZeroTerminated(buf, p, end, relOffset);
        }
        if ((flags & FCOMMENT) != 0) {
            p = skipZeroTerminated(buf, p, end, relOffset);
        }
        if ((flags & FHCRC) != 0) {
            p += 2;
        }
        if (end - p < 8) {
            throw fail(relOffset, "gzip header runs past the data");
        }
        Result r = run(buf, p, end - p - 8, max, relOffset, true);
        int trailer = p + r.consumed;
        if (end - trailer != 8) {
            throw fail(relOffset + (trailer - index), (end - trailer - 8) + " bytes after the gzip member");
        }
        CRC32 crc = new CRC32();
        crc.update(r.out, 0, r.out.length);
        if ((int) crc.getValue() != buf.getIntLE(trailer) || r.out.length != buf.getIntLE(trailer + 4)) {
            throw fail(relOffset + (trailer - index), "gzip CRC-32 or length does not match the inflated data");
        }
        return r.out;
    }

    private static int skipZeroTerminated(ByteBuf buf, int p, int end, int relOffset) {
        while (p < end && buf.getByte(p) != 0) {
            p++;
        }
        if (p >= end) {
            throw fail(relOffset, "gzip header string not terminated");
        }
        return p + 1;
    }

    private record Result(byte[] out, int consumed) {
    }

    /** Inflates until the stream ends; {@code consumed} counts the input bytes of the stream itself. */
    private static Result run(ByteBuf buf, int index, int len, int max, int relOffset, boolean raw) {
        // room for one byte more than allowed: filling it proves the payload is too large
        int limit = max == Integer.MAX_VALUE ? max : max + 1;
        Inflater inflater = new Inflater(raw);
        try {
            inflater.setInput(buf.nioBuffer(index, len));
            byte[] out = new byte[initialSize(len, limit)];
            int n = 0;
            while (!inflater.finished()) {
                if (n == out.length) {
                    if (out.length == limit) {
                        break;
                    }
                    out = Arrays.copyOf(out, (int) Math.min(limit, 2L * out.length));
                }
                int remainingBefore = inflater.getRemaining();
                int got = inflater.inflate(out, n, out.length - n);
                n += got;
                if (got == 0 && !inflater.finished()) {
                    if (inflater.needsDictionary()) {
                        throw fail(relOffset, "compressed payload needs a preset dictionary");
                    }
                    if (inflater.needsInput()) {
                        throw fail(relOffset, "compressed payload is truncated");
                    }
                    if (inflater.getRemaining() == remainingBefore) {
                        throw fail(relOffset, "inflater made no progress");
                    }
                }
            }
            if (n > max || !inflater.finished()) {
                throw new HepDecodeException(PAYLOAD_TOO_LARGE, relOffset,
                        "compressed payload inflates to more than " + max + " bytes");
            }
            int consumed = len - inflater.getRemaining();
            return new Result(n == out.length ? out : Arrays.copyOf(out, n), consumed);
        } catch (DataFormatException e) {
            throw fail(relOffset, "corrupt compressed payload: " + e.getMessage());
        } finally {
            inflater.end();
        }
    }

    private static void expectEnd(Result r, int len, int relOffset) {
        if (r.consumed != len) {
            throw fail(relOffset + r.consumed, (len - r.consumed) + " bytes after the end of the compressed stream");
        }
    }

    private static int initialSize(int compressedLen, int max) {
        long guess = Math.max(256L, 4L * compressedLen);
        return (int) Math.min(max, guess);
    }

    private static HepDecodeException fail(int offset, String detail) {
        return new HepDecodeException(DECOMPRESSION_FAILED, offset, detail);
    }
}
