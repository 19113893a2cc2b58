package io.hepstack.collector.protocol.sip;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Frames one SIP message out of a byte range: start line, header block, body.
 *
 * <p>Framing is one bounded pass over the start line and the header lines. It checks the start
 * line, records where each header's name and value are (four ints per header, no String) and
 * where the body starts. Nothing else is parsed here: header values, URIs, the body and the SDP
 * are parsed by {@link SipMessage} when first asked for.
 *
 * <p>{@link #parse(byte[], int, int)} throws {@link SipParseException} when the bytes are not
 * SIP (empty, binary, another protocol), when the start line is broken (no line end, bad method,
 * version or status code), or when the header block is (a line that is neither a header nor a
 * continuation, a header name that is not a token, more than {@code maxHeaders} headers, a line
 * longer than {@code maxLineLength}). Everything else is a <em>problem</em>, recorded on the
 * message ({@link SipMessage#problems()}) without failing: a header block cut short by the end
 * of the input (the last, partial line is dropped), a SIP version other than 2.0, and all
 * defects found later in header values and the body.
 *
 * <p>Leading CR/LF bytes (keep-alives, RFC 3261 §7.5) are skipped. Lines may end in CRLF or a
 * bare LF. The input is never modified and is referenced, not copied, by the message: the caller
 * must not change it while the message is in use. A parser holds only its limits, so one
 * instance can be shared by any number of threads.
 */
public final class SipParser {

    /** Default limit on the number of header lines (continuation lines excluded). */
    public static final int DEFAULT_MAX_HEADERS = 256;
    /** Default limit on the length of one line, and of one header value once unfolded. */
    public static final int DEFAULT_MAX_LINE_LENGTH = 8192;

    private final int maxHeaders;
    private final int maxLineLength;

    public SipParser() {
        this(DEFAULT_MAX_HEADERS, DEFAULT_MAX_LINE_LENGTH);
    }

    /**
     * @param maxHeaders    most header lines a message may have (a defence against hostile input)
     * @param maxLineLength most bytes in one line, line end excluded; also bounds a folded value
     */
    public SipParser(int maxHeaders, int maxLineLength) {
        if (maxHeaders < 1) {
            throw new IllegalArgumentException("maxHeaders must be a positive integer: " + maxHeaders);
        }
        if (maxLineLength < 16) {
            throw new IllegalArgumentException("maxLineLength must be at least 16: " + maxLineLength);
        }
        this.maxHeaders = maxHeaders;
        this.maxLineLength = maxLineLength;
    }

    public SipMessage parse(byte[] data) throws SipParseException {
        return parse(data, 0, data.length);
    }

    /**
     * Frames the message in {@code data[off, off + len)}. For a datagram (UDP, a HEP payload)
     * the message ends where the range ends: the body is what follows the header block, cut to
     * the Content-Length when that is shorter (RFC 3261 §18.3). For streams, cut the range with
     * {@link SipStreamFramer} first.
     *
     * @throws SipParseException        not SIP, or a broken start line or header block; the offset
     *                                  counts from {@code off}
     * @throws IndexOutOfBoundsException when the range is not inside {@code data}
     */
    public SipMessage parse(byte[] data, int off, int len) throws SipParseException {
        Objects.checkFromIndexSize(off, len, data.length);
        int end = off + len;
        int p = off;
        while (p < end && (data[p] == '\r' || data[p] == '\n')) {
            p++;
        }
        if (p == end) {
            throw new SipParseException(len == 0 ? "empty input" : "only line breaks, no SIP message", p - off);
        }
        if (!SipReader.isToken(data[p])) {
            throw new SipParseException("not SIP: starts with " + SipReader.describe(data[p] & 0xff), p - off);
        }
        int lineEnd = findLineEnd(data, p, end);
        if (lineEnd < 0) {
            throw new SipParseException(end - p > maxLineLength
                    ? "start line longer than " + maxLineLength + " bytes"
                    : "start line not terminated", Math.min(end, p + maxLineLength) - off);
        }
        int contentEnd = lineEnd > p && data[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
        Frame f = new Frame(data, off, p, end);
        if (startsWithSipVersion(data, p, contentEnd)) {
            f.statusLine(contentEnd);
        } else {
            f.requestLine(contentEnd);
        }
        f.headers(lineEnd + 1, maxHeaders, maxLineLength);
        return f.build();
    }

    /** Index of the LF ending the line at {@code p}, or -1 when there is none within the limit. */
    private int findLineEnd(byte[] data, int p, int end) {
        int limit = Math.min(end, p + maxLineLength + 1); // +1: a CR before the LF
        for (int i = p; i < limit; i++) {
            if (data[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWithSipVersion(byte[] b, int p, int e) {
        return e - p >= 4 && b[p] == 'S' && b[p + 1] == 'I' && b[p + 2] == 'P' && b[p + 3] == '/';
    }

    /** Each thread's array for header offsets while framing ({@link Frame#hdr}); never handed to a message. */
    private static final ThreadLocal<int[]> SCRATCH = ThreadLocal.withInitial(() -> new int[4 * 24]);

    /** The state of framing one message. */
    private static final class Frame {
        final byte[] buf;
        final int off;
        final int start;
        final int end;
        boolean request;
        String method;
        int statusCode = -1;
        int lineArgStart;
        int lineArgEnd;
        /**
         * Header offsets while framing: the thread's scratch array, so that the message keeps only an
         * array of its exact size ({@link #build()}) instead of one sized for 24 headers.
         */
        int[] hdr = SCRATCH.get();
        int count;
        boolean[] folded;
        int bodyStart;
        List<String> problems;

        Frame(byte[] buf, int off, int start, int end) {
            this.buf = buf;
            this.off = off;
            this.start = start;
            this.end = end;
        }

        SipParseException error(String reason, int at) {
            return new SipParseException(reason, at - off);
        }

        void problem(String p) {
            if (problems == null) {
                problems = new ArrayList<>(4);
            }
            problems.add(p);
        }

        /** {@code SIP/2.0 SP 3DIGIT SP reason-phrase}. */
        void statusLine(int e) throws SipParseException {
            int p = version(start, e);
            if (p >= e || buf[p] != ' ') {
                throw error("expected SP after SIP version but found " + at(p, e), p);
            }
            while (p < e && buf[p] == ' ') {
                p++;
            }
            int cs = p;
            while (p < e && SipReader.isDigit(buf[p])) {
                p++;
            }
            if (p - cs != 3 || (p < e && buf[p] != ' ' && buf[p] != '\t')) {
                throw error("invalid status code", cs);
            }
            statusCode = (buf[cs] - '0') * 100 + (buf[cs + 1] - '0') * 10 + (buf[cs + 2] - '0');
            if (statusCode < 100 || statusCode > 699) {
                problem("status code " + statusCode + " outside 100-699");
            }
            if (p < e) {
                p++;
            }
            lineArgStart = p;
            lineArgEnd = e;
        }

        /** {@code Method SP Request-URI SP SIP/2.0}. */
        void requestLine(int e) throws SipParseException {
            int p = start;
            while (p < e && SipReader.isToken(buf[p])) {
                p++;
            }
            if (p >= e || buf[p] != ' ') {
                throw error("not SIP: expected SP after the method but found " + at(p, e), p);
            }
            request = true;
            method = SipMethod.of(buf, start, p);
            p++;
            int us = p;
            while (p < e && buf[p] != ' ' && (buf[p] & 0xff) > 0x20 && buf[p] != 0x7f) {
                p++;
            }
            if (p == us) {
                throw error("expected Request-URI but found " + at(p, e), p);
            }
            if (p >= e || buf[p] != ' ') {
                throw error("expected SP after Request-URI but found " + at(p, e), p);
            }
            lineArgStart = us;
            lineArgEnd = p;
            p++;
            if (!startsWithSipVersion(buf, p, e)) {
                throw error("not SIP: expected SIP version but found " + at(p, e), p);
            }
            p = version(p, e);
            while (p < e && (buf[p] == ' ' || buf[p] == '\t')) {
                p++;
            }
            if (p < e) {
                throw error("unexpected " + at(p, e) + " after SIP version", p);
            }
        }

        /** Checks {@code SIP/d.d} at {@code p} and returns the index after it. */
        private int version(int p, int e) throws SipParseException {
            int v = p + 4;
            int q = v;
            while (q < e && SipReader.isDigit(buf[q])) {
                q++;
            }
            int major = q - v;
            if (major == 0 || q >= e || buf[q] != '.') {
                throw error("invalid SIP version", v);
            }
            q++;
            int ms = q;
            while (q < e && SipReader.isDigit(buf[q])) {
                q++;
            }
            if (q == ms) {
                throw error("invalid SIP version", ms);
            }
            if (q - p != 7 || buf[v] != '2' || buf[v + 2] != '0') {
                problem("SIP version " + new String(buf, p, q - p, java.nio.charset.StandardCharsets.US_ASCII)
                        + " is not SIP/2.0");
            }
            return q;
        }

        private String at(int p, int e) {
            return p >= e ? "end of line" : SipReader.describe(buf[p] & 0xff);
        }

        void headers(int p, int maxHeaders, int maxLineLength) throws SipParseException {
            while (true) {
                if (p >= end) {
                    problem("header block not terminated by an empty line");
                    bodyStart = end;
                    return;
                }
                if (buf[p] == '\n') {
                    bodyStart = p + 1;
                    return;
                }
                if (buf[p] == '\r' && (p + 1 == end || buf[p + 1] == '\n')) {
                    bodyStart = Math.min(end, p + 2);
                    return;
                }
                int limit = Math.min(end, p + maxLineLength + 1);
                int le = p;
                while (le < limit && buf[le] != '\n') {
                    le++;
                }
                if (le == limit) {
                    if (limit < end) {
                        throw error("header line longer than " + maxLineLength + " bytes", limit);
                    }
                    // input ends inside a line: a truncated capture; keep what is complete
                    problem("message truncated inside the header block; last " + (end - p)
                            + " bytes dropped");
                    bodyStart = end;
                    return;
                }
                int ce = le > p && buf[le - 1] == '\r' ? le - 1 : le;
                if (buf[p] == ' ' || buf[p] == '\t') {
                    continuation(p, ce, maxLineLength);
                } else {
                    header(p, ce, maxHeaders);
                }
                p = le + 1;
            }
        }

        private void header(int p, int e, int maxHeaders) throws SipParseException {
            int ns = p;
            while (p < e && SipReader.isToken(buf[p])) {
                p++;
            }
            if (p == ns) {
                throw error("invalid header name: starts with " + at(p, e), p);
            }
            int ne = p;
            while (p < e && (buf[p] == ' ' || buf[p] == '\t')) {
                p++;
            }
            if (p >= e || buf[p] != ':') {
                throw error("expected ':' after header name but found " + at(p, e), p);
            }
            p++;
            while (p < e && (buf[p] == ' ' || buf[p] == '\t')) {
                p++;
            }
            int ve = e;
            while (ve > p && (buf[ve - 1] == ' ' || buf[ve - 1] == '\t')) {
                ve--;
            }
            if (count == maxHeaders) {
                throw error("more than " + maxHeaders + " headers", ns);
            }
            if (4 * count == hdr.length) {
                hdr = Arrays.copyOf(hdr, hdr.length * 2);
            }
            hdr[4 * count] = ns;
            hdr[4 * count + 1] = ne;
            hdr[4 * count + 2] = p;
            hdr[4 * count + 3] = ve;
            count++;
        }

        /** A line starting with SP/HT continues the previous header's value (folding). */
        private void continuation(int p, int e, int maxLineLength) throws SipParseException {
            if (count == 0) {
                throw error("continuation line before the first header", p);
            }
            int ve = e;
            while (ve > p && (buf[ve - 1] == ' ' || buf[ve - 1] == '\t')) {
                ve--;
            }
            if (ve == p) {
                return; // a line of white space adds nothing
            }
            int i = count - 1;
            if (hdr[4 * i + 3] == hdr[4 * i + 2]) {
                // the value so far is empty: it starts on this line
                int vs = p;
                while (buf[vs] == ' ' || buf[vs] == '\t') {
                    vs++;
                }
                hdr[4 * i + 2] = vs;
            } else {
                if (folded == null) {
                    folded = new boolean[hdr.length / 4];
                } else if (folded.length <= i) {
                    folded = Arrays.copyOf(folded, hdr.length / 4);
                }
                folded[i] = true;
            }
            if (ve - hdr[4 * i + 2] > maxLineLength) {
                throw error("folded header value longer than " + maxLineLength + " bytes", p);
            }
            hdr[4 * i + 3] = ve;
        }

        SipMessage build() {
            if (hdr.length > SCRATCH.get().length) {
                SCRATCH.set(hdr); // grown past the scratch: keep the larger one (bounded by maxHeaders)
            }
            return new SipMessage(buf, off, start, end, request, method, statusCode, lineArgStart, lineArgEnd,
                    Arrays.copyOf(hdr, 4 * count), count, folded, bodyStart, problems);
        }
    }
}
