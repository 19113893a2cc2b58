package io.hepstack.collector.protocol.sip;

import java.nio.charset.StandardCharsets;

/**
 * A cursor over a byte range, with the {@code consumeX}/{@code expectX} helpers the SIP and SDP
 * parsers are built from. It never copies: strings are made only by {@link #string(int, int)}.
 *
 * <p>Naming contract (as in pkts.io): {@code consumeX} returns how much it consumed (0 or
 * {@code false} when the input did not start with X, the position then unchanged);
 * {@code expectX} throws a {@link SipParseException} carrying the error offset. Offsets in
 * errors are {@code pos - base}, so a value parsed out of a message reports offsets into the
 * message. Every scan stops at {@link #end}: a reader can never run past its range.
 */
final class SipReader {

    private static final boolean[] TOKEN = new boolean[128];

    static {
        for (int c = '0'; c <= '9'; c++) {
            TOKEN[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            TOKEN[c] = true;
            TOKEN[c - 32] = true;
        }
        for (char c : "-.!%*_+`'~".toCharArray()) {
            TOKEN[c] = true;
        }
    }

    byte[] buf;
    int base;
    int end;
    int pos;

    SipReader(byte[] buf, int start, int end, int base) {
        reset(buf, start, end, base);
    }

    /**
     * This reader over another range, as if new: a {@link SipMessage} reads its header values with
     * one reader, not one per value (it hands the reader to one parse at a time and keeps nothing
     * that holds it).
     */
    SipReader reset(byte[] buf, int start, int end, int base) {
        if (start < 0 || end > buf.length || start > end) {
            throw new IndexOutOfBoundsException("range [" + start + ", " + end + ") of " + buf.length + " bytes");
        }
        this.buf = buf;
        this.pos = start;
        this.end = end;
        this.base = base;
        return this;
    }

    /** A reader over the UTF-8 bytes of {@code s}, offsets counted from its first byte. */
    static SipReader of(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return new SipReader(b, 0, b.length, 0);
    }

    boolean hasMore() {
        return pos < end;
    }

    /** The next byte (0..255), or -1 at the end. */
    int peek() {
        return pos < end ? buf[pos] & 0xff : -1;
    }

    /** The byte {@code ahead} positions on, or -1 past the end. */
    int peek(int ahead) {
        int i = pos + ahead;
        return i < end ? buf[i] & 0xff : -1;
    }

    /** Offset of the cursor as errors report it. */
    int offset() {
        return pos - base;
    }

    boolean consume(char c) {
        if (pos < end && buf[pos] == (byte) c) {
            pos++;
            return true;
        }
        return false;
    }

    /** Skips spaces and tabs; returns how many. */
    int consumeWs() {
        int start = pos;
        while (pos < end && (buf[pos] == ' ' || buf[pos] == '\t')) {
            pos++;
        }
        return pos - start;
    }

    /** Consumes an RFC 3261 token; returns its length. */
    int consumeToken() {
        int start = pos;
        while (pos < end && isToken(buf[pos])) {
            pos++;
        }
        return pos - start;
    }

    /** Consumes decimal digits; returns how many. */
    int consumeDigits() {
        int start = pos;
        while (pos < end && isDigit(buf[pos])) {
            pos++;
        }
        return pos - start;
    }

    void expect(char c) throws SipParseException {
        if (!consume(c)) {
            throw error("expected '" + c + "' but found " + describe(peek()));
        }
    }

    /** Consumes a token or throws, naming {@code what} it expected. */
    int expectToken(String what) throws SipParseException {
        int n = consumeToken();
        if (n == 0) {
            throw error("expected " + what + " but found " + describe(peek()));
        }
        return n;
    }

    /**
     * Consumes a quoted string (the cursor on its opening quote) and returns it unquoted, with
     * backslash escapes resolved.
     */
    String expectQuotedString() throws SipParseException {
        int open = pos;
        expect('"');
        int start = pos;
        boolean escaped = false;
        while (pos < end) {
            byte b = buf[pos];
            if (b == '\\') {
                escaped = true;
                pos += 2;
                continue;
            }
            if (b == '"') {
                String s = escaped ? unescape(start, Math.min(pos, end)) : string(start, pos);
                pos++;
                return s;
            }
            pos++;
        }
        pos = Math.min(pos, end);
        throw new SipParseException("unterminated quoted string", open - base);
    }

    private String unescape(int from, int to) {
        byte[] out = new byte[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            if (buf[i] == '\\' && i + 1 < to) {
                i++;
            }
            out[n++] = buf[i];
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    /** A parse error at the cursor. */
    SipParseException error(String reason) {
        return new SipParseException(reason, pos - base);
    }

    /** {@code buf[from, to)} as UTF-8; a short ASCII run that repeats is the same String again ({@link RecentStrings}). */
    String string(int from, int to) {
        return RecentStrings.of(buf, from, to);
    }

    /** What is left to read, as text (for tests and error messages). */
    String leftover() {
        return string(pos, end);
    }

    static boolean isToken(byte b) {
        return b >= 0 && TOKEN[b];
    }

    static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    static boolean isAlpha(byte b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
    }

    static byte lower(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
    }

    /** Case-insensitive comparison of {@code buf[from, to)} with an ASCII lower-case word. */
    static boolean equalsLower(byte[] buf, int from, int to, String lowerWord) {
        if (to - from != lowerWord.length()) {
            return false;
        }
        for (int i = 0; i < lowerWord.length(); i++) {
            if (lower(buf[from + i]) != lowerWord.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses an unsigned decimal of at most 18 digits in {@code buf[from, to)}; -1 when the range
     * is empty, too long or holds anything else.
     */
    static long parseLong(byte[] buf, int from, int to) {
        if (from >= to || to - from > 18) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            if (!isDigit(buf[i])) {
                return -1;
            }
            v = v * 10 + (buf[i] - '0');
        }
        return v;
    }

    static String describe(int c) {
        if (c < 0) {
            return "end of input";
        }
        if (c >= 0x21 && c < 0x7f) {
            return "'" + (char) c + "'";
        }
        return String.format("byte 0x%02x", c);
    }
}
