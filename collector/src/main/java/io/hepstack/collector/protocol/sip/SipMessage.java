package io.hepstack.collector.protocol.sip;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One framed SIP request or response over the caller's bytes, parsed lazily.
 *
 * <h2>Laziness and copies</h2>
 * {@link SipParser} leaves this object with the start line checked, the method (a shared
 * constant for the common ones, see {@link SipMethod}) and status code read, and for each
 * header the offsets of its name and value. Nothing else is parsed until asked for: the first
 * call of an accessor parses what it needs (a header value, a URI, the SDP), caches the result
 * and returns the cached value on later calls. Header names are classified (compact forms
 * mapped) on the first header lookup, one pass, no Strings.
 *
 * <p>The message references the caller's array; it copies nothing on the normal path. Strings
 * are made only for values an accessor returns (UTF-8). The one slow path is folding: a header
 * whose value continues on lines starting with SP/HT has its value copied once, the line breaks
 * and surrounding white space replaced by one SP (RFC 3261 §7.3.1). {@link #raw()} and
 * {@link #body()} are read-only views, not copies.
 *
 * <h2>Problems</h2>
 * Defects that do not stop the message from being useful are not thrown: they are collected
 * as text in {@link #problems()} (wrong or non-numeric Content-Length, duplicated single-valued
 * headers, missing mandatory headers, a bad CSeq, an unparsable From/To/Via/Contact/URI, a bad
 * SDP line, ...). An accessor whose value cannot be parsed returns null (or -1) and records a
 * problem. {@link #problems()} first runs every such accessor, so its answer is complete.
 *
 * <h2>Limits</h2>
 * The parser bounds the number of headers and the length of a line and of an unfolded value
 * ({@link SipParser#DEFAULT_MAX_HEADERS}, {@link SipParser#DEFAULT_MAX_LINE_LENGTH}); every
 * later scan stays inside one header value or the body, so hostile input costs at most linear
 * time. Instances are immutable from the outside but not thread-safe (the caches are plain
 * fields): hand a message to one thread at a time.
 */
public final class SipMessage {

    private static final int F_IDS = 1;
    private static final int F_RURI = 1 << 1;
    private static final int F_CALL_ID = 1 << 2;
    private static final int F_CSEQ = 1 << 3;
    private static final int F_FROM = 1 << 4;
    private static final int F_TO = 1 << 5;
    private static final int F_VIAS = 1 << 6;
    private static final int F_CONTACTS = 1 << 7;
    private static final int F_PAI = 1 << 8;
    private static final int F_PPI = 1 << 9;
    private static final int F_RPID = 1 << 10;
    private static final int F_REASON = 1 << 11;
    private static final int F_CLEN = 1 << 12;
    private static final int F_EXPIRES = 1 << 13;
    private static final int F_MAXFWD = 1 << 14;
    private static final int F_BODY = 1 << 15;
    private static final int F_SDP = 1 << 16;
    private static final int F_VALIDATED = 1 << 17;
    private static final int F_REASON_PHRASE = 1 << 18;
    private static final int F_ALLOW = 1 << 19;
    private static final int F_SUPPORTED = 1 << 20;

    private final byte[] buf;
    private final int off;
    private final int start;
    private final int end;
    private final boolean request;
    private final String method;
    private final int statusCode;
    private final int lineArgStart;
    private final int lineArgEnd;
    private final int[] hdr;
    private final int count;
    private final byte[][] unfolded;
    private final int bodyStart;
    private List<String> problems;

    private int done;
    private byte[] ids;
    private String reasonPhrase;
    private SipUri requestUri;
    private String callId;
    private long cseqNumber = -1;
    private String cseqMethod;
    private NameAddress from;
    private NameAddress to;
    private List<Via> vias;
    private List<NameAddress> contacts;
    private NameAddress pai;
    private NameAddress ppi;
    private NameAddress rpid;
    private Reason reason;
    private int contentLength = -1;
    private long expires = -1;
    private int maxForwards = -1;
    private int bodyEnd;
    private Sdp sdp;
    private String allow;
    private String supported;
    /** See {@link #reader(byte[], int, int, int)}. */
    private SipReader reader;

    SipMessage(byte[] buf, int off, int start, int end, boolean request, String method, int statusCode,
               int lineArgStart, int lineArgEnd, int[] hdr, int count, boolean[] folded, int bodyStart,
               List<String> problems) {
        this.buf = buf;
        this.off = off;
        this.start = start;
        this.end = end;
        this.request = request;
        this.method = method;
        this.statusCode = statusCode;
        this.lineArgStart = lineArgStart;
        this.lineArgEnd = lineArgEnd;
        this.hdr = hdr;
        this.count = count;
        this.bodyStart = bodyStart;
        this.problems = problems; // null until the first problem
        this.unfolded = folded == null ? null : unfold(buf, hdr, count, folded);
    }

    // ------------------------------------------------------------------ start line

    public boolean isRequest() {
        return request;
    }

    public boolean isResponse() {
        return !request;
    }

    /** The request method (a {@link SipMethod} constant when it is a common one), or null for a response. */
    public String method() {
        return method;
    }

    /** The status code of a response, or -1 for a request. */
    public int statusCode() {
        return statusCode;
    }

    /** The reason phrase of a response (possibly empty), or null for a request. */
    public String reasonPhrase() {
        if (request) {
            return null;
        }
        if ((done & F_REASON_PHRASE) == 0) {
            done |= F_REASON_PHRASE;
            reasonPhrase = str(buf, lineArgStart, lineArgEnd);
        }
        return reasonPhrase;
    }

    /** The Request-URI as written, or null for a response. */
    public String requestUriRaw() {
        return request ? str(buf, lineArgStart, lineArgEnd) : null;
    }

    /** The parsed Request-URI; null for a response or when it cannot be parsed (a problem then). */
    public SipUri requestUri() {
        if (request && (done & F_RURI) == 0) {
            done |= F_RURI;
            SipReader r = reader(buf, lineArgStart, lineArgEnd, off);
            try {
                requestUri = SipUri.consume(r, SipUri.MODE_REQUEST_URI);
                if (r.hasMore()) {
                    throw r.error("unexpected " + SipReader.describe(r.peek()) + " in Request-URI");
                }
                checkHost("Request-URI", requestUri);
            } catch (SipParseException e) {
                requestUri = null;
                problem("Request-URI: " + e.getMessage());
            }
        }
        return requestUri;
    }

    // ------------------------------------------------------------------ common headers

    /** Call-ID, or null when absent. */
    public String callId() {
        if ((done & F_CALL_ID) == 0) {
            done |= F_CALL_ID;
            int i = single(HeaderNames.CALL_ID);
            callId = i < 0 ? null : value(i);
        }
        return callId;
    }

    /** The CSeq sequence number, or -1 when absent or not a number. */
    public long cseqNumber() {
        cseq();
        return cseqNumber;
    }

    /** The CSeq method (a {@link SipMethod} constant when common), or null. */
    public String cseqMethod() {
        cseq();
        return cseqMethod;
    }

    private void cseq() {
        if ((done & F_CSEQ) != 0) {
            return;
        }
        done |= F_CSEQ;
        int i = single(HeaderNames.CSEQ);
        if (i < 0) {
            return;
        }
        SipReader r = reader(i);
        int ds = r.pos;
        int n = r.consumeDigits();
        if (n == 0 || n > 10) {
            problem("CSeq: invalid sequence number in '" + value(i) + "'");
            r.pos = ds;
            while (r.hasMore() && r.peek() != ' ' && r.peek() != '\t') {
                r.pos++; // skip the bad number, still try the method
            }
        } else {
            cseqNumber = SipReader.parseLong(r.buf, ds, r.pos);
            if (cseqNumber >= 1L << 31) {
                problem("CSeq: sequence number " + cseqNumber + " is not below 2^31");
            }
        }
        r.consumeWs();
        int ms = r.pos;
        if (r.consumeToken() == 0) {
            problem("CSeq: missing method in '" + value(i) + "'");
            return;
        }
        cseqMethod = SipMethod.of(r.buf, ms, r.pos);
        r.consumeWs();
        if (r.hasMore()) {
            problem("CSeq: unexpected " + SipReader.describe(r.peek()) + " after the method");
        }
        if (request && !cseqMethod.equals(method)) {
            problem("CSeq: method " + cseqMethod + " differs from the request method " + method);
        }
    }

    /** From, or null when absent or unparsable (a problem then). */
    public NameAddress from() {
        if ((done & F_FROM) == 0) {
            done |= F_FROM;
            from = nameAddress(single(HeaderNames.FROM));
        }
        return from;
    }

    /** To, or null when absent or unparsable (a problem then). */
    public NameAddress to() {
        if ((done & F_TO) == 0) {
            done |= F_TO;
            to = nameAddress(single(HeaderNames.TO));
        }
        return to;
    }

    /**
     * Every via-parm of every Via header, topmost first (comma-separated ones split). A value
     * that cannot be parsed ends its header's list there (a problem then).
     */
    public List<Via> vias() {
        if ((done & F_VIAS) == 0) {
            done |= F_VIAS;
            Via first = null; // most messages have one or two: no list to grow until a third
            Via second = null;
            List<Via> more = null;
            byte[] ids = ids();
            for (int i = 0; i < count; i++) {
                if (ids[i] != HeaderNames.VIA) {
                    continue;
                }
                SipReader r = reader(i);
                try {
                    do {
                        Via v = Via.consume(r);
                        if (v.bareIpv6()) {
                            problem("Via: IPv6 address without brackets: " + v.host());
                        }
                        if (first == null) {
                            first = v;
                        } else if (second == null) {
                            second = v;
                        } else {
                            more = more != null ? more : new ArrayList<>(List.of(first, second));
                            more.add(v);
                        }
                    } while (r.consume(','));
                } catch (SipParseException e) {
                    problem("Via: " + e.getMessage());
                }
            }
            vias = listOf(first, second, more);
        }
        return vias;
    }

    /** What a list accessor collected, unmodifiable: the first two, or all when there were more. */
    private static <T> List<T> listOf(T first, T second, List<T> more) {
        if (more != null) {
            return Collections.unmodifiableList(more);
        }
        return second != null ? List.of(first, second) : first != null ? List.of(first) : List.of();
    }

    /** The topmost Via, or null. */
    public Via via() {
        List<Via> v = vias();
        return v.isEmpty() ? null : v.get(0);
    }

    /** Every Contact (comma-separated ones split; {@code *} is {@link NameAddress#isWildcard()}). */
    public List<NameAddress> contacts() {
        if ((done & F_CONTACTS) == 0) {
            done |= F_CONTACTS;
            NameAddress first = null; // as in vias()
            NameAddress second = null;
            List<NameAddress> more = null;
            byte[] ids = ids();
            for (int i = 0; i < count; i++) {
                if (ids[i] != HeaderNames.CONTACT) {
                    continue;
                }
                SipReader r = reader(i);
                try {
                    do {
                        NameAddress a = NameAddress.consume(r, true);
                        checkHost("Contact", a.uri());
                        if (first == null) {
                            first = a;
                        } else if (second == null) {
                            second = a;
                        } else {
                            more = more != null ? more : new ArrayList<>(List.of(first, second));
                            more.add(a);
                        }
                    } while (r.consume(','));
                } catch (SipParseException e) {
                    problem("Contact: " + e.getMessage());
                }
            }
            contacts = listOf(first, second, more);
        }
        return contacts;
    }

    /** The first Contact, or null. */
    public NameAddress contact() {
        List<NameAddress> c = contacts();
        return c.isEmpty() ? null : c.get(0);
    }

    /** The first identity of P-Asserted-Identity (RFC 3325), or null. */
    public NameAddress pAssertedIdentity() {
        if ((done & F_PAI) == 0) {
            done |= F_PAI;
            pai = firstOfList(HeaderNames.P_ASSERTED_IDENTITY);
        }
        return pai;
    }

    /** The first identity of P-Preferred-Identity (RFC 3325), or null. */
    public NameAddress pPreferredIdentity() {
        if ((done & F_PPI) == 0) {
            done |= F_PPI;
            ppi = firstOfList(HeaderNames.P_PREFERRED_IDENTITY);
        }
        return ppi;
    }

    /** The first Remote-Party-ID (draft-ietf-sip-privacy; party/screen/privacy are its params), or null. */
    public NameAddress remotePartyId() {
        if ((done & F_RPID) == 0) {
            done |= F_RPID;
            rpid = firstOfList(HeaderNames.REMOTE_PARTY_ID);
        }
        return rpid;
    }

    /** The first reason-value of the first Reason header, or null. */
    public Reason reason() {
        if ((done & F_REASON) == 0) {
            done |= F_REASON;
            int i = first(HeaderNames.REASON);
            if (i >= 0) {
                try {
                    reason = Reason.consume(reader(i));
                } catch (SipParseException e) {
                    problem("Reason: " + e.getMessage());
                }
            }
        }
        return reason;
    }

    public String userAgent() {
        return header(HeaderNames.USER_AGENT);
    }

    public String server() {
        return header(HeaderNames.SERVER);
    }

    /** Content-Type as written (parameters included), or null. */
    public String contentType() {
        return header(HeaderNames.CONTENT_TYPE);
    }

    /** Content-Length, or -1 when absent or not a number (a problem then). */
    public int contentLength() {
        if ((done & F_CLEN) == 0) {
            done |= F_CLEN;
            contentLength = (int) number(single(HeaderNames.CONTENT_LENGTH), 9);
        }
        return contentLength;
    }

    /** The Expires header in seconds, or -1. For a Contact's own, see {@link NameAddress#expires()}. */
    public long expires() {
        if ((done & F_EXPIRES) == 0) {
            done |= F_EXPIRES;
            expires = number(single(HeaderNames.EXPIRES), 10);
        }
        return expires;
    }

    /** Max-Forwards, or -1. */
    public int maxForwards() {
        if ((done & F_MAXFWD) == 0) {
            done |= F_MAXFWD;
            maxForwards = (int) number(single(HeaderNames.MAX_FORWARDS), 9);
        }
        return maxForwards;
    }

    /** Every Allow header joined with {@code ", "}, as written; null when absent. */
    public String allow() {
        if ((done & F_ALLOW) == 0) {
            done |= F_ALLOW;
            allow = joined(HeaderNames.ALLOW);
        }
        return allow;
    }

    /** Every Supported header joined with {@code ", "}, as written; null when absent. */
    public String supported() {
        if ((done & F_SUPPORTED) == 0) {
            done |= F_SUPPORTED;
            supported = joined(HeaderNames.SUPPORTED);
        }
        return supported;
    }

    // ------------------------------------------------------------------ generic headers

    /**
     * The first value of a header, unfolded and trimmed; null when absent. Names are
     * case-insensitive and compact forms are the same header ({@code "i"} finds Call-ID and
     * {@code "Call-ID"} finds {@code i:}).
     */
    public String header(String name) {
        int id = HeaderNames.classify(name);
        if (id != HeaderNames.OTHER) {
            return header(id);
        }
        for (int i = 0; i < count; i++) {
            if (HeaderNames.nameEquals(buf, hdr[4 * i], hdr[4 * i + 1], name)) {
                return value(i);
            }
        }
        return null;
    }

    /** Every value of a header, one per header line, in order (not split at commas). */
    public List<String> headers(String name) {
        int id = HeaderNames.classify(name);
        byte[] ids = ids();
        List<String> list = new ArrayList<>(2);
        for (int i = 0; i < count; i++) {
            if (id != HeaderNames.OTHER ? ids[i] == id
                    : HeaderNames.nameEquals(buf, hdr[4 * i], hdr[4 * i + 1], name)) {
                list.add(value(i));
            }
        }
        return list;
    }

    /**
     * The distinct header names in order of appearance: known headers in their canonical
     * spelling (compact forms expanded), others as first written.
     */
    public List<String> headerNames() {
        byte[] ids = ids();
        List<String> names = new ArrayList<>(count);
        outer:
        for (int i = 0; i < count; i++) {
            String n = ids[i] != HeaderNames.OTHER ? HeaderNames.canonical(ids[i]) : str(buf, hdr[4 * i], hdr[4 * i + 1]);
            for (String seen : names) {
                if (seen.equalsIgnoreCase(n)) {
                    continue outer;
                }
            }
            names.add(n);
        }
        return names;
    }

    /** Number of header lines. */
    public int headerCount() {
        return count;
    }

    // ------------------------------------------------------------------ body

    /**
     * The body as a read-only view over the caller's bytes: what follows the header block, cut
     * to the Content-Length when that is shorter.
     */
    public ByteBuffer body() {
        bodyBounds();
        return ByteBuffer.wrap(buf, bodyStart, bodyEnd - bodyStart).slice().asReadOnlyBuffer();
    }

    public int bodyLength() {
        bodyBounds();
        return bodyEnd - bodyStart;
    }

    /** The whole message (start line to end of input) as a read-only view. */
    public ByteBuffer raw() {
        return ByteBuffer.wrap(buf, start, end - start).slice().asReadOnlyBuffer();
    }

    /** Length of the message from its start line to the end of the input range. */
    public int length() {
        return end - start;
    }

    private void bodyBounds() {
        if ((done & F_BODY) != 0) {
            return;
        }
        done |= F_BODY;
        int available = end - bodyStart;
        int cl = contentLength();
        bodyEnd = end;
        if (cl < 0) {
            return;
        }
        if (cl > available) {
            problem("body truncated: Content-Length " + cl + " but " + available + " bytes follow the headers");
        } else if (cl < available) {
            bodyEnd = bodyStart + cl;
            for (int i = bodyEnd; i < end; i++) {
                if (buf[i] != '\r' && buf[i] != '\n') {
                    problem("Content-Length " + cl + " but " + available + " bytes follow the headers; "
                            + (available - cl) + " ignored");
                    break;
                }
            }
        }
    }

    /**
     * The session description: the body when Content-Type is application/sdp, or the first
     * application/sdp part of a multipart body; null when there is none.
     */
    public Sdp sdp() {
        if ((done & F_SDP) == 0) {
            done |= F_SDP;
            sdp = findSdp();
        }
        return sdp;
    }

    private Sdp findSdp() {
        int i = first(HeaderNames.CONTENT_TYPE);
        if (i < 0) {
            return null;
        }
        bodyBounds();
        SipReader r = reader(i);
        int ts = r.pos;
        if (r.consumeToken() == 0 || !r.consume('/') || r.consumeToken() == 0) {
            problem("Content-Type: not a media type: '" + value(i) + "'");
            return null;
        }
        int te = r.pos;
        if (SipReader.equalsLower(r.buf, ts, te, "application/sdp")) {
            if (bodyEnd == bodyStart) {
                problem("Content-Type application/sdp with an empty body");
                return null;
            }
            return sdpOf(bodyStart, bodyEnd);
        }
        if (te - ts > 10 && SipReader.equalsLower(r.buf, ts, ts + 10, "multipart/")) {
            Params params;
            try {
                params = Params.consumeHeaderParams(r);
            } catch (SipParseException e) {
                problem("Content-Type: " + e.getMessage());
                return null;
            }
            String boundary = params.get("boundary");
            if (boundary == null || boundary.isEmpty()) {
                problem("Content-Type: multipart without a boundary");
                return null;
            }
            int[] part = Multipart.findPart(buf, bodyStart, bodyEnd, boundary, "application/sdp");
            return part == null ? null : sdpOf(part[0], part[1]);
        }
        return null;
    }

    private Sdp sdpOf(int s, int e) {
        Sdp d = Sdp.parse(buf, s, e - s);
        for (String p : d.problems()) {
            problem("SDP: " + p);
        }
        return d;
    }

    // ------------------------------------------------------------------ problems

    /**
     * Every defect found, as text (header name first); empty for a clean message. Runs all
     * lazy parsing first, so the list is complete.
     */
    public List<String> problems() {
        if ((done & F_VALIDATED) == 0) {
            validate();
            done |= F_VALIDATED;
        }
        return problems == null ? Collections.emptyList() : Collections.unmodifiableList(problems);
    }

    private void validate() {
        controlBytes();
        requestUri();
        mandatory(HeaderNames.CALL_ID);
        mandatory(HeaderNames.CSEQ);
        mandatory(HeaderNames.FROM);
        mandatory(HeaderNames.TO);
        mandatory(HeaderNames.VIA);
        callId();
        cseq();
        from();
        to();
        vias();
        contacts();
        pAssertedIdentity();
        pPreferredIdentity();
        remotePartyId();
        reason();
        contentLength();
        expires();
        maxForwards();
        single(HeaderNames.CONTENT_TYPE);
        bodyBounds();
        sdp();
    }

    /** Header values may hold UTF-8 but no control bytes other than HT (RFC 3261 §25.1). */
    private void controlBytes() {
        for (int i = 0; i < count; i++) {
            for (int p = hdr[4 * i + 2]; p < hdr[4 * i + 3]; p++) {
                int b = buf[p] & 0xff;
                if ((b < 0x20 && b != '\t' && b != '\r' && b != '\n') || b == 0x7f) {
                    problem(str(buf, hdr[4 * i], hdr[4 * i + 1]) + ": control byte " + String.format("0x%02x", b)
                            + " in value (offset " + (p - off) + ")");
                    break;
                }
            }
        }
    }

    private void mandatory(int id) {
        if (first(id) < 0) {
            problem("missing mandatory header " + HeaderNames.canonical(id));
        }
    }

    private void checkHost(String header, SipUri uri) {
        if (uri != null && uri.bareIpv6()) {
            problem(header + ": IPv6 address without brackets: " + uri.host());
        }
    }

    private void problem(String p) {
        if (problems == null) {
            problems = new ArrayList<>(4);
        }
        problems.add(p);
    }

    // ------------------------------------------------------------------ helpers

    private byte[] ids() {
        if ((done & F_IDS) == 0) {
            done |= F_IDS;
            ids = new byte[count];
            for (int i = 0; i < count; i++) {
                ids[i] = (byte) HeaderNames.classify(buf, hdr[4 * i], hdr[4 * i + 1]);
            }
        }
        return ids;
    }

    private int first(int id) {
        byte[] ids = ids();
        for (int i = 0; i < count; i++) {
            if (ids[i] == id) {
                return i;
            }
        }
        return -1;
    }

    /** First header with this id; a second one is a problem (for single-valued headers). */
    private int single(int id) {
        byte[] ids = ids();
        int found = -1;
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (ids[i] == id) {
                if (found < 0) {
                    found = i;
                }
                n++;
            }
        }
        if (n > 1) {
            String dup = "duplicate " + HeaderNames.canonical(id) + " header (" + n + " times)";
            if (problems == null || !problems.contains(dup)) {
                problem(dup);
            }
        }
        return found;
    }

    private String header(int id) {
        int i = first(id);
        return i < 0 ? null : value(i);
    }

    private String joined(int id) {
        byte[] ids = ids();
        String first = null;
        StringBuilder sb = null;
        for (int i = 0; i < count; i++) {
            if (ids[i] == id) {
                if (first == null) {
                    first = value(i); // the common case: one header, no joining
                } else {
                    if (sb == null) {
                        sb = new StringBuilder(first);
                    }
                    sb.append(", ").append(value(i));
                }
            }
        }
        return sb == null ? first : sb.toString();
    }

    private NameAddress nameAddress(int i) {
        if (i < 0) {
            return null;
        }
        SipReader r = reader(i);
        try {
            NameAddress a = NameAddress.consume(r, false);
            if (r.hasMore()) {
                throw r.error("unexpected " + SipReader.describe(r.peek()) + " after address");
            }
            checkHost(HeaderNames.canonical(ids()[i]), a.uri());
            return a;
        } catch (SipParseException e) {
            problem(HeaderNames.canonical(ids()[i]) + ": " + e.getMessage());
            return null;
        }
    }

    private NameAddress firstOfList(int id) {
        int i = first(id);
        if (i < 0) {
            return null;
        }
        try {
            NameAddress a = NameAddress.consume(reader(i), false);
            checkHost(HeaderNames.canonical(id), a.uri());
            return a;
        } catch (SipParseException e) {
            problem(HeaderNames.canonical(id) + ": " + e.getMessage());
            return null;
        }
    }

    /** A non-negative decimal header value of at most {@code maxDigits} digits, or -1 (a problem when present). */
    private long number(int i, int maxDigits) {
        if (i < 0) {
            return -1;
        }
        SipReader r = reader(i);
        int s = r.pos;
        int n = r.consumeDigits();
        if (n == 0 || n > maxDigits || r.hasMore()) {
            problem(HeaderNames.canonical(ids()[i]) + ": not a number: '" + value(i) + "'");
            return -1;
        }
        return SipReader.parseLong(r.buf, s, r.pos);
    }

    private SipReader reader(int i) {
        if (unfolded != null && unfolded[i] != null) {
            // offsets in errors are approximate past the first fold
            return reader(unfolded[i], 0, unfolded[i].length, off - hdr[4 * i + 2]);
        }
        return reader(buf, hdr[4 * i + 2], hdr[4 * i + 3], off);
    }

    /**
     * The message's one reader, set to a range: each accessor parses one value at a time with it and
     * its parsers keep nothing that holds it, so a message needs one, not one per value it parses.
     */
    private SipReader reader(byte[] b, int start, int end, int base) {
        if (reader == null) {
            reader = new SipReader(b, start, end, base);
            return reader;
        }
        return reader.reset(b, start, end, base);
    }

    private String value(int i) {
        if (unfolded != null && unfolded[i] != null) {
            return new String(unfolded[i], StandardCharsets.UTF_8);
        }
        return str(buf, hdr[4 * i + 2], hdr[4 * i + 3]);
    }

    private static String str(byte[] b, int s, int e) {
        return RecentStrings.of(b, s, e);
    }

    /** The slow path: copies each folded value with its line breaks turned into one SP. */
    private static byte[][] unfold(byte[] buf, int[] hdr, int count, boolean[] folded) {
        byte[][] out = new byte[count][];
        for (int i = 0; i < Math.min(count, folded.length); i++) {
            if (!folded[i]) {
                continue;
            }
            int s = hdr[4 * i + 2];
            int e = hdr[4 * i + 3];
            byte[] v = new byte[e - s];
            int n = 0;
            for (int p = s; p < e; p++) {
                byte b = buf[p];
                if (b == '\r' || b == '\n') {
                    while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t')) {
                        n--;
                    }
                    while (p + 1 < e && (buf[p + 1] == '\r' || buf[p + 1] == '\n' || buf[p + 1] == ' ' || buf[p + 1] == '\t')) {
                        p++;
                    }
                    v[n++] = ' ';
                } else {
                    v[n++] = b;
                }
            }
            out[i] = java.util.Arrays.copyOf(v, n);
        }
        return out;
    }

    @Override
    public String toString() {
        return request ? method + " " + requestUriRaw() : "SIP/2.0 " + statusCode + " " + reasonPhrase();
    }
}
