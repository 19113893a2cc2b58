package io.hepstack.collector.protocol.sip;

import java.util.Map;

/**
 * One via-parm (RFC 3261 §20.42): {@code SIP/2.0/UDP host:port;branch=z9hG4bK..;received=..;rport}.
 * A Via header may hold several, comma-separated; {@link SipMessage#vias()} returns them all
 * in order, topmost first.
 */
public final class Via {

    /** Where the via-parm is written; its text made when {@link #raw()} is first asked (see {@code NameAddress}). */
    private final byte[] rawBytes;
    private final int rawStart;
    private final int rawEnd;
    private String raw;
    private final String protocol;
    private final String transport;
    private final String host;
    private final boolean ipv6;
    private final int port;
    private final Params params;
    private final boolean bareIpv6;

    private Via(byte[] rawBytes, int rawStart, int rawEnd, String protocol, String transport, String host, boolean ipv6,
                int port, Params params, boolean bareIpv6) {
        this.bareIpv6 = bareIpv6;
        this.rawBytes = rawBytes;
        this.rawStart = rawStart;
        this.rawEnd = rawEnd;
        this.protocol = protocol;
        this.transport = transport;
        this.host = host;
        this.ipv6 = ipv6;
        this.port = port;
        this.params = params;
    }

    /**
     * Parses one via-parm.
     *
     * @throws SipParseException when it is not one, or has bytes left over
     */
    public static Via parse(String value) throws SipParseException {
        SipReader r = SipReader.of(value);
        Via v = consume(r);
        if (r.hasMore()) {
            throw r.error("unexpected " + SipReader.describe(r.peek()) + " after Via");
        }
        return v;
    }

    /** Protocol name and version, e.g. {@code SIP/2.0}. */
    public String protocol() {
        return protocol;
    }

    /** Transport as written, e.g. {@code UDP}, {@code TCP}, {@code TLS}, {@code SCTP}, {@code WS}. */
    public String transport() {
        return transport;
    }

    /** Sent-by host (an IPv6 address without brackets). */
    public String host() {
        return host;
    }

    public boolean isIpv6() {
        return ipv6;
    }

    /** Sent-by port, or -1 when absent. */
    public int port() {
        return port;
    }

    public String branch() {
        return params.get("branch");
    }

    public String received() {
        return params.get("received");
    }

    /** True when an {@code rport} parameter is present, with or without a value. */
    public boolean hasRport() {
        return params.get("rport") != null;
    }

    /** The {@code rport} value, or -1 when absent or empty (a request asking for it). */
    public int rport() {
        String v = params.get("rport");
        if (v == null || v.isEmpty() || v.length() > 5) {
            return -1;
        }
        int p = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            p = p * 10 + (c - '0');
        }
        return p <= 65535 ? p : -1;
    }

    public String param(String name) {
        return params.get(name);
    }

    public Map<String, String> params() {
        return params.asMap();
    }

    /** True when the sent-by host is an IPv6 address written without brackets. */
    boolean bareIpv6() {
        return bareIpv6;
    }

    /** This via-parm as written. */
    public String raw() {
        if (raw == null) {
            raw = RecentStrings.of(rawBytes, rawStart, rawEnd);
        }
        return raw;
    }

    @Override
    public String toString() {
        return raw();
    }

    /** Consumes one via-parm (leading white space included); stops before a {@code ,} or at the end. */
    static Via consume(SipReader r) throws SipParseException {
        r.consumeWs();
        int start = r.pos;
        r.expectToken("protocol name");
        r.consumeWs();
        r.expect('/');
        r.consumeWs();
        r.expectToken("protocol version");
        int protocolEnd = r.pos;
        r.consumeWs();
        r.expect('/');
        r.consumeWs();
        int ts = r.pos;
        r.expectToken("transport");
        String transport = r.string(ts, r.pos);
        if (r.consumeWs() == 0) {
            throw r.error("expected white space after transport but found " + SipReader.describe(r.peek()));
        }
        SipUri.HostPort hp = SipUri.consumeHostPort(r, true);
        Params params = Params.consumeHeaderParams(r);
        int end = r.pos;
        r.consumeWs();
        if (r.hasMore() && r.peek() != ',') {
            throw r.error("unexpected " + SipReader.describe(r.peek()) + " in Via");
        }
        return new Via(r.buf, start, end, protocol(r, start, protocolEnd), transport, hp.host(), hp.ipv6(), hp.port(),
                params, hp.bareIpv6());
    }

    private static String protocol(SipReader r, int s, int e) {
        // "SIP/2.0" is by far the common case: share the constant
        if (e - s == 7 && SipReader.equalsLower(r.buf, s, e, "sip/2.0")) {
            return "SIP/2.0";
        }
        StringBuilder sb = new StringBuilder(e - s);
        for (int i = s; i < e; i++) {
            if (r.buf[i] != ' ' && r.buf[i] != '\t') {
                sb.append((char) (r.buf[i] & 0xff));
            }
        }
        return sb.toString();
    }
}
