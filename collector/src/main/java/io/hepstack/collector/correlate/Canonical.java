package io.hepstack.collector.correlate;

import java.util.HashMap;
import java.util.Map;

/**
 * One shared instance of each recurring string a live record keeps (methods, capture node names,
 * domains, user agents, codec names): every message brings its own copy, and tens of
 * thousands of live calls would otherwise each hold theirs. Bounded by bytes, since every value
 * comes from senders: a value longer than {@link #MAX_CHARS} is cut to that length (a live record
 * never holds a longer one through here), and once {@code maxChars} characters are kept, new
 * values are returned without being kept. Not thread-safe (the correlator's worker owns it).
 */
final class Canonical {

    /** The longest text a live record keeps from a message (and the longest Call-ID it tracks). */
    static final int MAX_CHARS = 256;

    private final Map<String, String> values = new HashMap<>();
    private final long maxChars;
    private long chars;
    private long truncated;

    Canonical(long maxChars) {
        this.maxChars = maxChars;
    }

    /** The kept instance equal to {@code s}, or {@code s} itself (kept from now on while there is room); null for null. */
    String of(String s) {
        if (s == null) {
            return null;
        }
        if (s.length() > MAX_CHARS) {
            truncated++;
            s = s.substring(0, MAX_CHARS);
        }
        String kept = values.get(s);
        if (kept != null) {
            return kept;
        }
        if (chars + s.length() <= maxChars) {
            values.put(s, s);
            chars += s.length();
        }
        return s;
    }

    /** {@code s} cut to {@link #MAX_CHARS} (texts a record keeps that are too varied to share); null for null. */
    static String cut(String s) {
        return s == null || s.length() <= MAX_CHARS ? s : s.substring(0, MAX_CHARS);
    }

    /** Characters kept (their memory is about this many bytes, Latin-1 strings). */
    long chars() {
        return chars;
    }

    long truncated() {
        return truncated;
    }

    int size() {
        return values.size();
    }
}
