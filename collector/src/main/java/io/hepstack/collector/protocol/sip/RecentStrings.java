package io.hepstack.collector.protocol.sip;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The Strings a SIP parse makes, handed out again when the same bytes come back: hosts, users,
 * parameter names, transports, header values such as User-Agent or Content-Type, SDP fields. Most
 * of what a message's accessors return repeats across messages (the same proxies, agents, codecs
 * and parameters), and making a new String for each was the largest share of the collector's
 * per-message allocation (bench/README.md, "Per-message allocation, round 3").
 *
 * <p>A direct-mapped table of {@value #SLOTS} Strings, one per slot, chosen by a hash of the bytes
 * taken eight at a time (a byte-at-a-time hash was most of this class's CPU, a tenth of the
 * per-message path's in StageCost's JFR profile). Beside each String the table keeps that hash, as a
 * filter only: a lookup whose hash matches compares the String's chars with the bytes, so the answer
 * never depends on the filter. The result always equals {@code new String(bytes, UTF_8)}: a hit is a
 * String whose chars are the bytes, all ASCII (a byte above 0x7f never equals a char), and a miss
 * decodes them. A miss allocates what it always did, a hit nothing.
 *
 * <p>Thread-safe without locks: a slot holds a reference to an immutable String, which is compared
 * before it is returned, so two threads writing the same slot only cost a later miss.
 */
final class RecentStrings {

    static final int SLOTS = 4096;
    static final int MAX_LENGTH = 96;
    private static final int SLOT_BITS = Integer.numberOfTrailingZeros(SLOTS);
    private static final long MIX = 0x9E3779B97F4A7C15L;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final String[] TABLE = new String[SLOTS];
    private static final int[] HASHES = new int[SLOTS];

    private RecentStrings() {
    }

    /** {@code buf[from, to)} decoded as UTF-8, the String made last time for the same ASCII bytes when it is still there. */
    static String of(byte[] buf, int from, int to) {
        int n = to - from;
        if (n <= 0 || n > MAX_LENGTH) {
            return new String(buf, from, n, StandardCharsets.UTF_8);
        }
        long h = hash(buf, from, to);
        int slot = (int) (h >>> (64 - SLOT_BITS));
        int check = (int) h;
        String s = TABLE[slot];
        if (s != null && HASHES[slot] == check && same(s, buf, from, n)) {
            return s;
        }
        s = new String(buf, from, n, StandardCharsets.UTF_8);
        TABLE[slot] = s;
        HASHES[slot] = check;
        return s;
    }

    /** The slot of {@code buf[from, to)} (1 to {@value #MAX_LENGTH} bytes). */
    static int slot(byte[] buf, int from, int to) {
        return (int) (hash(buf, from, to) >>> (64 - SLOT_BITS));
    }

    /** A multiplicative hash of the 8-byte words of {@code buf[from, to)} and its length. */
    private static long hash(byte[] buf, int from, int to) {
        int n = to - from;
        long h = n * MIX;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            h = (h ^ (long) LONGS.get(buf, i)) * MIX;
        }
        if (i < to) {
            long tail;
            if (n >= 8) {
                tail = (long) LONGS.get(buf, to - 8); // the last eight bytes, overlapping the word before
            } else {
                tail = 0;
                for (int k = i; k < to; k++) {
                    tail = tail << 8 | (buf[k] & 0xff);
                }
            }
            h = (h ^ tail) * MIX;
        }
        return h;
    }

    private static boolean same(String s, byte[] buf, int from, int n) {
        if (s.length() != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) != buf[from + i]) {
                return false;
            }
        }
        return true;
    }
}
