package io.hepstack.collector.protocol.sip;

import java.nio.charset.StandardCharsets;

/**
 * The Strings a SIP parse makes, handed out again when the same bytes come back: hosts, users,
 * parameter names, transports, header values such as User-Agent or Content-Type, SDP fields. Most
 * of what a message's accessors return repeats across messages (the same proxies, agents, codecs
 * and parameters), and making a new String for each was the largest share of the collector's
 * per-message allocation (bench/README.md, "Per-message allocation, round 3").
 *
 * <p>A direct-mapped table of {@value #SLOTS} Strings, one per slot, chosen by the hash of the
 * bytes. A short ASCII run whose slot holds an equal String gets that String; otherwise a new one is
 * made and takes the slot. The result always equals {@code new String(bytes, UTF_8)}: only ASCII
 * runs of at most {@value #MAX_LENGTH} bytes are looked up (each byte is its char, in UTF-8 as in
 * Latin-1), anything else is decoded as before. A miss allocates what it always did, a hit nothing.
 *
 * <p>Thread-safe without locks: a slot holds a reference to an immutable String, so a reader sees
 * either the old or the new one, and two threads writing the same slot only cost a later miss.
 */
final class RecentStrings {

    static final int SLOTS = 4096;
    static final int MAX_LENGTH = 96;

    private static final String[] TABLE = new String[SLOTS];

    private RecentStrings() {
    }

    /** {@code buf[from, to)} decoded as UTF-8, the String made last time for the same ASCII bytes when it is still there. */
    static String of(byte[] buf, int from, int to) {
        int n = to - from;
        if (n <= 0 || n > MAX_LENGTH) {
            return new String(buf, from, n, StandardCharsets.UTF_8);
        }
        int h = 0;
        for (int i = from; i < to; i++) {
            byte b = buf[i];
            if (b < 0) {
                return new String(buf, from, n, StandardCharsets.UTF_8); // not ASCII: not looked up
            }
            h = 31 * h + b; // String.hashCode of the same chars
        }
        int slot = (h ^ (h >>> 12)) & (SLOTS - 1);
        String s = TABLE[slot];
        if (s != null && s.hashCode() == h && same(s, buf, from, n)) {
            return s;
        }
        s = new String(buf, from, n, StandardCharsets.ISO_8859_1); // ASCII: the same chars as UTF-8, without the check
        TABLE[slot] = s;
        return s;
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
