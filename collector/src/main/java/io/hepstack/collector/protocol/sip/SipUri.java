package io.hepstack.collector.protocol.sip;

import java.util.Map;

/**
 * A SIP, SIPS or tel URI (RFC 3261 §19.1, RFC 3966), or any other absolute URI kept opaque.
 *
 * <p>Everything is kept as written (no percent-decoding, case kept) except the scheme, which is
 * lower-cased. For {@code sip:}/{@code sips:} the parts are user, password, host (an IPv6
 * reference without its brackets, flagged by {@link #isIpv6()}), port, parameters and the raw
 * headers part after {@code ?}. For {@code tel:} the number is the {@link #user()}, the host is
 * null and parameters such as {@code phone-context} are URI parameters. Other schemes
 * ({@code urn:}, {@code mailto:}, ...) only have a scheme and {@link #raw()}.
 */
public final class SipUri {

    public static final String SIP = "sip";
    public static final String SIPS = "sips";
    public static final String TEL = "tel";

    /** The URI is the whole range (a Request-URI cut out of the request line). */
    static final int MODE_REQUEST_URI = 0;
    /** The URI is inside {@code <...>}: it ends at {@code >}. */
    static final int MODE_BRACKETED = 1;
    /** An addr-spec without brackets: {@code ;} after the host starts header parameters. */
    static final int MODE_ADDR_SPEC = 2;

    private static final boolean[][] STOPS = new boolean[3][256];

    static {
        // bytes that end a URI in each mode (besides the end of the range)
        for (boolean[] s : STOPS) {
            s[' '] = true;
            s['\t'] = true;
            s['\r'] = true;
            s['\n'] = true;
        }
        STOPS[MODE_BRACKETED]['>'] = true;
        STOPS[MODE_ADDR_SPEC][','] = true;
        STOPS[MODE_ADDR_SPEC]['>'] = true;
    }

    private final String raw;
    private final String scheme;
    private final String user;
    private final String password;
    private final String host;
    private final boolean ipv6;
    private final int port;
    private final Params params;
    private final String headers;
    private final boolean bareIpv6;

    private SipUri(String raw, String scheme, String user, String password, String host, boolean ipv6,
                   int port, Params params, String headers, boolean bareIpv6) {
        this.bareIpv6 = bareIpv6;
        this.raw = raw;
        this.scheme = scheme;
        this.user = user;
        this.password = password;
        this.host = host;
        this.ipv6 = ipv6;
        this.port = port;
        this.params = params;
        this.headers = headers;
    }

    /**
     * Parses a whole URI, e.g. {@code "sip:alice@atlanta.com;transport=tcp"}.
     *
     * @throws SipParseException when it is not a URI or has bytes left over
     */
    public static SipUri parse(String uri) throws SipParseException {
        SipReader r = SipReader.of(uri);
        SipUri u = consume(r, MODE_REQUEST_URI);
        if (r.hasMore()) {
            throw r.error("unexpected " + SipReader.describe(r.peek()) + " after URI");
        }
        return u;
    }

    /** Lower-case scheme: {@link #SIP}, {@link #SIPS}, {@link #TEL} or another one. */
    public String scheme() {
        return scheme;
    }

    public boolean isSip() {
        return scheme == SIP || scheme == SIPS;
    }

    public boolean isTel() {
        return scheme == TEL;
    }

    /** User part as written (escapes kept), the number of a tel: URI, or null. */
    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** Host name or address (IPv6 without brackets), or null for tel: and opaque URIs. */
    public String host() {
        return host;
    }

    public boolean isIpv6() {
        return ipv6;
    }

    /** Port, or -1 when absent. */
    public int port() {
        return port;
    }

    /** A URI parameter ({@code ""} when it has no value), case-insensitive name, or null. */
    public String param(String name) {
        return params.get(name);
    }

    /** All URI parameters in order, names as written. */
    public Map<String, String> params() {
        return params.asMap();
    }

    /** The raw headers part after {@code ?}, or null. */
    public String headers() {
        return headers;
    }

    /** True when the host is an IPv6 address written without brackets (not RFC 3261, but seen in the wild). */
    boolean bareIpv6() {
        return bareIpv6;
    }

    /** The URI exactly as written. */
    public String raw() {
        return raw;
    }

    @Override
    public String toString() {
        return raw;
    }

    /**
     * Consumes one URI at the cursor. In {@link #MODE_ADDR_SPEC} it stops before {@code ;} so the
     * caller reads header parameters; in the other modes it stops at the end of the URI.
     */
    static SipUri consume(SipReader r, int mode) throws SipParseException {
        boolean[] stops = STOPS[mode];
        int start = r.pos;
        if (!SipReader.isAlpha((byte) r.peek())) {
            throw r.error("expected URI scheme but found " + SipReader.describe(r.peek()));
        }
        while (r.hasMore() && isSchemeChar(r.peek())) {
            r.pos++;
        }
        int schemeEnd = r.pos;
        if (!r.consume(':')) {
            throw r.error("expected ':' after URI scheme but found " + SipReader.describe(r.peek()));
        }
        String scheme = scheme(r.buf, start, schemeEnd);
        SipUri uri;
        if (scheme == SIP || scheme == SIPS) {
            uri = consumeSip(r, mode, stops, start, scheme);
        } else if (scheme == TEL) {
            uri = consumeTel(r, mode, stops, start);
        } else {
            int os = r.pos;
            while (r.hasMore() && !stops[r.peek()] && (mode != MODE_ADDR_SPEC || r.peek() != ';')) {
                r.pos++;
            }
            if (r.pos == os) {
                throw r.error("empty " + scheme + " URI");
            }
            uri = new SipUri(r.string(start, r.pos), scheme, null, null, null, false, -1, Params.EMPTY, null, false);
        }
        int c = r.peek();
        if (c >= 0 && !stops[c] && !(mode == MODE_ADDR_SPEC && c == ';')) {
            throw r.error("unexpected " + SipReader.describe(c) + " in URI");
        }
        return uri;
    }

    private static SipUri consumeSip(SipReader r, int mode, boolean[] stops, int start, String scheme)
            throws SipParseException {
        String user = null;
        String password = null;
        // userinfo is present when an '@' comes before the end of the URI
        int at = -1;
        for (int i = r.pos; i < r.end; i++) {
            int c = r.buf[i] & 0xff;
            if (c == '@') {
                at = i;
                break;
            }
            if (stops[c] || (mode == MODE_ADDR_SPEC && (c == ';' || c == '?'))) {
                break;
            }
        }
        if (at >= 0) {
            if (at == r.pos) {
                throw r.error("empty user part");
            }
            int colon = -1;
            for (int i = r.pos; i < at; i++) {
                if (r.buf[i] == ':') {
                    colon = i;
                    break;
                }
            }
            user = r.string(r.pos, colon < 0 ? at : colon);
            if (colon >= 0) {
                password = r.string(colon + 1, at);
            }
            r.pos = at + 1;
        }
        HostPort hp = consumeHostPort(r, false);
        Params params = Params.EMPTY;
        String headers = null;
        if (mode != MODE_ADDR_SPEC) {
            params = Params.consumeUriParams(r, stops);
            if (r.consume('?')) {
                int hs = r.pos;
                while (r.hasMore() && !stops[r.peek()]) {
                    r.pos++;
                }
                headers = r.string(hs, r.pos);
            }
        }
        return new SipUri(r.string(start, r.pos), scheme, user, password, hp.host(), hp.ipv6(), hp.port(), params,
                headers, hp.bareIpv6());
    }

    private static SipUri consumeTel(SipReader r, int mode, boolean[] stops, int start) throws SipParseException {
        int ns = r.pos;
        while (r.hasMore() && !stops[r.peek()] && r.peek() != ';') {
            r.pos++;
        }
        if (r.pos == ns) {
            throw r.error("empty telephone number");
        }
        String number = r.string(ns, r.pos);
        Params params = mode == MODE_ADDR_SPEC ? Params.EMPTY : Params.consumeUriParams(r, stops);
        return new SipUri(r.string(start, r.pos), TEL, number, null, null, false, -1, params, null, false);
    }

    /** A host and port; {@code bareIpv6} marks an IPv6 address written without brackets. */
    record HostPort(String host, boolean ipv6, int port, boolean bareIpv6) {
    }

    /**
     * {@code host [":" port]} at the cursor, host being a name, an IPv4 address or an IPv6
     * reference. Tolerates an IPv6 address without brackets (RFC 3261 forbids it, some phones
     * send it): a run of hex digits, dots and two or more colons. Such a run with nine groups
     * and no {@code ::} ends in the port; otherwise it is all address. With {@code lws} (a Via
     * sent-by) white space may surround the colon.
     */
    static HostPort consumeHostPort(SipReader r, boolean lws) throws SipParseException {
        if (r.peek() == '[') {
            String host = consumeIpv6Reference(r);
            return new HostPort(host, true, consumePort(r, lws), false);
        }
        byte[] b = r.buf;
        int hs = r.pos;
        int i = hs;
        int colons = 0;
        int lastColon = -1;
        boolean compressed = false;
        while (i < r.end && isIpv6Char(b[i] & 0xff) && b[i] != '%') {
            if (b[i] == ':') {
                colons++;
                compressed |= i > hs && b[i - 1] == ':';
                lastColon = i;
            }
            i++;
        }
        if (colons >= 2 && (i == r.end || !isHostChar(b[i] & 0xff))) {
            int addrEnd = i;
            int port = -1;
            if (colons == 8 && !compressed) {
                long p = SipReader.parseLong(b, lastColon + 1, i);
                if (p < 0 || p > 65535 || i - lastColon - 1 > 5) {
                    r.pos = lastColon + 1;
                    throw r.error("invalid port");
                }
                port = (int) p;
                addrEnd = lastColon;
            }
            r.pos = i;
            return new HostPort(r.string(hs, addrEnd), true, port, true);
        }
        while (r.hasMore() && isHostChar(r.peek())) {
            r.pos++;
        }
        if (r.pos == hs) {
            throw r.error("expected host but found " + SipReader.describe(r.peek()));
        }
        String host = r.string(hs, r.pos);
        return new HostPort(host, false, consumePort(r, lws), false);
    }

    /** {@code [v6address]} at the cursor; returns the address without brackets. */
    static String consumeIpv6Reference(SipReader r) throws SipParseException {
        r.expect('[');
        int s = r.pos;
        while (r.hasMore() && isIpv6Char(r.peek())) {
            r.pos++;
        }
        if (r.pos == s) {
            throw r.error("expected IPv6 address but found " + SipReader.describe(r.peek()));
        }
        String host = r.string(s, r.pos);
        r.expect(']');
        return host;
    }

    /** {@code [":" port]} at the cursor; -1 when there is no colon. */
    static int consumePort(SipReader r, boolean lws) throws SipParseException {
        int save = r.pos;
        if (lws) {
            r.consumeWs();
        }
        if (!r.consume(':')) {
            r.pos = save;
            return -1;
        }
        if (lws) {
            r.consumeWs();
        }
        int ps = r.pos;
        int n = r.consumeDigits();
        long port = SipReader.parseLong(r.buf, ps, r.pos);
        if (n == 0 || n > 5 || port > 65535) {
            r.pos = ps;
            throw r.error("invalid port");
        }
        return (int) port;
    }

    private static String scheme(byte[] b, int s, int e) {
        if (SipReader.equalsLower(b, s, e, SIP)) {
            return SIP;
        }
        if (SipReader.equalsLower(b, s, e, SIPS)) {
            return SIPS;
        }
        if (SipReader.equalsLower(b, s, e, TEL)) {
            return TEL;
        }
        byte[] lower = new byte[e - s];
        for (int i = 0; i < lower.length; i++) {
            lower[i] = SipReader.lower(b[s + i]);
        }
        return new String(lower, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static boolean isSchemeChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '+' || c == '-' || c == '.';
    }

    /** Host names, IPv4 addresses; '_' tolerated because real deployments use it. */
    static boolean isHostChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_';
    }

    private static boolean isIpv6Char(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.'
                || c == '%';
    }
}
