package io.hepstack.collector.protocol.sip;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Splits a byte stream (SIP over TCP, TLS, SCTP, or a HEP payload holding several messages)
 * into messages, each one the header block plus Content-Length bytes of body
 * (RFC 3261 §18.3).
 *
 * <pre>
 *   before: | CRLF CRLF | INVITE ... CRLF CRLF body(312) | SIP/2.0 100 ... CRLF CRLF | SIP/2.0 18 |
 *   after:  skipped       frame 1                          frame 2                     remainder
 * </pre>
 *
 * <p>Keep-alive CR/LF bytes between messages are skipped. A message that is not complete yet is
 * left as the remainder: keep it and call again with more bytes appended. A message without a
 * Content-Length is taken to have no body (streams must carry the header). The framer does not
 * check that a frame is SIP: that is the parser's job. It only scans header lines and has no
 * state, so one instance can serve every stream.
 *
 * <p>It throws {@link SipParseException} when the stream cannot be framed any further: no end
 * of the header block within {@code maxHeaderBytes}, a Content-Length that is not a number, or
 * one above {@code maxBodyBytes}. The exception's offset counts from the {@code off} given;
 * a caller should drop the stream (or resynchronise) there.
 */
public final class SipStreamFramer {

    public static final int DEFAULT_MAX_HEADER_BYTES = 64 * 1024;
    public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

    /** One complete message: {@code length} bytes at {@code offset} in the caller's array. */
    public record Frame(int offset, int length) {
    }

    /**
     * The complete messages found, and the unconsumed tail ({@code remainderLength} bytes at
     * {@code remainderOffset}): the start of a message still incomplete, or nothing.
     */
    public record Frames(List<Frame> frames, int remainderOffset, int remainderLength) {
    }

    private final int maxHeaderBytes;
    private final int maxBodyBytes;

    public SipStreamFramer() {
        this(DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_BODY_BYTES);
    }

    public SipStreamFramer(int maxHeaderBytes, int maxBodyBytes) {
        if (maxHeaderBytes < 16) {
            throw new IllegalArgumentException("maxHeaderBytes must be at least 16: " + maxHeaderBytes);
        }
        if (maxBodyBytes < 0) {
            throw new IllegalArgumentException("maxBodyBytes must not be negative: " + maxBodyBytes);
        }
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Splits {@code data[off, off + len)}; offsets in the result index {@code data}. */
    public Frames split(byte[] data, int off, int len) throws SipParseException {
        Objects.checkFromIndexSize(off, len, data.length);
        int end = off + len;
        int p = off;
        List<Frame> frames = null;
        while (true) {
            while (p < end && (data[p] == '\r' || data[p] == '\n')) {
                p++;
            }
            if (p == end) {
                break;
            }
            int bodyStart = endOfHeaders(data, p, end, off);
            if (bodyStart < 0) {
                break; // headers not complete yet
            }
            long cl = contentLength(data, p, bodyStart, off);
            if (cl > maxBodyBytes) {
                throw new SipParseException("Content-Length " + cl + " above the limit of " + maxBodyBytes, p - off);
            }
            long frameEnd = bodyStart + cl;
            if (frameEnd > end) {
                break; // body not complete yet
            }
            if (frames == null) {
                frames = new ArrayList<>(4);
            }
            frames.add(new Frame(p, (int) (frameEnd - p)));
            p = (int) frameEnd;
        }
        return new Frames(frames == null ? Collections.emptyList() : frames, p, end - p);
    }

    /** Index after the empty line ending the header block at {@code p}, or -1 when not there yet. */
    private int endOfHeaders(byte[] d, int p, int end, int off) throws SipParseException {
        int limit = (int) Math.min(end, (long) p + maxHeaderBytes);
        for (int i = p; i < limit; i++) {
            if (d[i] != '\n') {
                continue;
            }
            // a line end followed by an empty line: LF LF or LF CR LF
            if (i + 1 < end && d[i + 1] == '\n') {
                return i + 2;
            }
            if (i + 2 < end && d[i + 1] == '\r' && d[i + 2] == '\n') {
                return i + 3;
            }
        }
        if (end - p >= maxHeaderBytes) {
            throw new SipParseException("no end of the header block within " + maxHeaderBytes + " bytes", limit - off);
        }
        return -1;
    }

    /** The Content-Length (or {@code l:}) in the header block, 0 when absent. */
    private static long contentLength(byte[] d, int p, int e, int off) throws SipParseException {
        int line = p;
        while (line < e) {
            int le = line;
            while (le < e && d[le] != '\n') {
                le++;
            }
            int ns = line;
            int ne = ns;
            while (ne < le && SipReader.isToken(d[ne])) {
                ne++;
            }
            int c = ne;
            while (c < le && (d[c] == ' ' || d[c] == '\t')) {
                c++;
            }
            if (c < le && d[c] == ':' && HeaderNames.classify(d, ns, ne) == HeaderNames.CONTENT_LENGTH) {
                int vs = c + 1;
                while (vs < le && (d[vs] == ' ' || d[vs] == '\t')) {
                    vs++;
                }
                int ve = le;
                while (ve > vs && (d[ve - 1] == '\r' || d[ve - 1] == ' ' || d[ve - 1] == '\t')) {
                    ve--;
                }
                long v = SipReader.parseLong(d, vs, ve);
                if (v < 0) {
                    throw new SipParseException("Content-Length is not a number", vs - off);
                }
                return v;
            }
            line = le + 1;
        }
        return 0;
    }
}
