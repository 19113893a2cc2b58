package io.hepstack.collector.protocol.sip;

/**
 * A Reason header value (RFC 3326): {@code Q.850;cause=16;text="Normal call clearing"} or
 * {@code SIP;cause=200;text="Call completed elsewhere"}.
 */
public final class Reason {

    private final String raw;
    private final String protocol;
    private final int cause;
    private final String text;

    private Reason(String raw, String protocol, int cause, String text) {
        this.raw = raw;
        this.protocol = protocol;
        this.cause = cause;
        this.text = text;
    }

    /** Parses one reason-value. */
    public static Reason parse(String value) throws SipParseException {
        SipReader r = SipReader.of(value);
        Reason reason = consume(r);
        if (r.hasMore()) {
            throw r.error("unexpected " + SipReader.describe(r.peek()) + " after Reason");
        }
        return reason;
    }

    /** The protocol as written: {@code SIP}, {@code Q.850}, ... */
    public String protocol() {
        return protocol;
    }

    /** The cause, or -1 when absent or not a number. */
    public int cause() {
        return cause;
    }

    /** The text parameter unquoted, or null. */
    public String text() {
        return text;
    }

    public String raw() {
        return raw;
    }

    @Override
    public String toString() {
        return raw;
    }

    /** Consumes one reason-value; stops before a {@code ,} or at the end. */
    static Reason consume(SipReader r) throws SipParseException {
        r.consumeWs();
        int start = r.pos;
        r.expectToken("reason protocol");
        String protocol = r.string(start, r.pos);
        Params params = Params.consumeHeaderParams(r);
        String raw = r.string(start, r.pos);
        r.consumeWs();
        if (r.hasMore() && r.peek() != ',') {
            throw r.error("unexpected " + SipReader.describe(r.peek()) + " in Reason");
        }
        String c = params.get("cause");
        int cause = -1;
        if (c != null && !c.isEmpty() && c.length() <= 9) {
            byte[] b = c.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            cause = (int) SipReader.parseLong(b, 0, b.length);
        }
        return new Reason(raw, protocol, cause, params.get("text"));
    }
}
