package io.hepstack.collector.protocol.sip;

import java.util.Map;

/**
 * A name-addr or addr-spec with its header parameters, as in From, To, Contact,
 * P-Asserted-Identity, Remote-Party-ID (RFC 3261 §20.10):
 * {@code "Display \"Name\"" <sip:user@host;uri-param>;tag=abc}, {@code Name <sip:..>},
 * {@code <sip:..>} and the bracket-less {@code sip:user@host;tag=abc} (where every
 * {@code ;param} belongs to the header, not the URI). A Contact of {@code *} is
 * {@link #isWildcard() the wildcard}, with no URI.
 */
public final class NameAddress {

    /**
     * Where the element is written ({@code rawBytes[rawStart, rawEnd)}, the message's bytes): its text
     * is made when {@link #raw()} is first asked, which most messages never are (a tag or a From
     * line is unique to its dialog, so making it each time was pure garbage).
     */
    private final byte[] rawBytes;
    private final int rawStart;
    private final int rawEnd;
    private String raw;
    private final String displayName;
    private final SipUri uri;
    private final Params params;
    private final boolean wildcard;

    private NameAddress(byte[] rawBytes, int rawStart, int rawEnd, String displayName, SipUri uri, Params params,
                        boolean wildcard) {
        this.rawBytes = rawBytes;
        this.rawStart = rawStart;
        this.rawEnd = rawEnd;
        this.displayName = displayName;
        this.uri = uri;
        this.params = params;
        this.wildcard = wildcard;
    }

    /**
     * Parses one header value, e.g. {@code "\"Bob\" <sip:bob@biloxi.com>;tag=a6c85cf"}.
     *
     * @throws SipParseException when it is not a name-addr or addr-spec, or has bytes left over
     */
    public static NameAddress parse(String value) throws SipParseException {
        SipReader r = SipReader.of(value);
        NameAddress a = consume(r, false);
        if (r.hasMore()) {
            throw r.error("unexpected " + SipReader.describe(r.peek()) + " after address");
        }
        return a;
    }

    /** Display name, unquoted and unescaped; null when there is none. */
    public String displayName() {
        return displayName;
    }

    /** The URI; null only for the wildcard. */
    public SipUri uri() {
        return uri;
    }

    /** The {@code tag} header parameter, or null. */
    public String tag() {
        return params.get("tag");
    }

    /** A header parameter ({@code ""} when it has no value), case-insensitive name, or null. */
    public String param(String name) {
        return params.get(name);
    }

    /** Header parameters in order, names as written. */
    public Map<String, String> params() {
        return params.asMap();
    }

    /**
     * The {@code expires} parameter (of a Contact) in seconds, or -1 when absent or not a number.
     */
    public long expires() {
        String e = params.get("expires");
        if (e == null || e.isEmpty()) {
            return -1;
        }
        byte[] b = e.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return SipReader.parseLong(b, 0, b.length);
    }

    /** True for {@code Contact: *}. */
    public boolean isWildcard() {
        return wildcard;
    }

    /** This element of the header value as written. */
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

    /**
     * Consumes one name-addr or addr-spec with its parameters, leading white space included.
     * Stops before a {@code ,} (the next element of a list) or at the end; anything else left
     * after the parameters is an error.
     */
    static NameAddress consume(SipReader r, boolean allowWildcard) throws SipParseException {
        r.consumeWs();
        int start = r.pos;
        if (allowWildcard && r.peek() == '*') {
            r.pos++;
            int end = r.pos;
            r.consumeWs();
            expectEndOfElement(r);
            return new NameAddress(r.buf, start, end, null, null, Params.EMPTY, true);
        }
        String display = null;
        boolean bracketed;
        if (r.peek() == '"') {
            display = r.expectQuotedString();
            r.consumeWs();
            if (!r.consume('<')) {
                throw r.error("expected '<' after display name but found " + SipReader.describe(r.peek()));
            }
            bracketed = true;
        } else if (r.consume('<')) {
            bracketed = true;
        } else {
            // display-name = *(token LWS): if such a run ends at '<' it was a display name
            int save = r.pos;
            while (r.hasMore()) {
                int c = r.peek();
                if (SipReader.isToken((byte) c) || c == ' ' || c == '\t' || c >= 0x80) {
                    r.pos++;
                } else {
                    break;
                }
            }
            if (r.peek() == '<') {
                display = trimmed(r, save, r.pos);
                r.pos++;
                bracketed = true;
            } else {
                r.pos = save;
                bracketed = false;
            }
        }
        SipUri uri = SipUri.consume(r, bracketed ? SipUri.MODE_BRACKETED : SipUri.MODE_ADDR_SPEC);
        if (bracketed) {
            r.expect('>');
        }
        Params params = Params.consumeHeaderParams(r);
        int end = r.pos;
        r.consumeWs();
        expectEndOfElement(r);
        return new NameAddress(r.buf, start, end, display, uri, params, false);
    }

    private static void expectEndOfElement(SipReader r) throws SipParseException {
        if (r.hasMore() && r.peek() != ',') {
            throw r.error("unexpected " + SipReader.describe(r.peek()) + " after address");
        }
    }

    private static String trimmed(SipReader r, int s, int e) {
        while (s < e && (r.buf[s] == ' ' || r.buf[s] == '\t')) {
            s++;
        }
        while (e > s && (r.buf[e - 1] == ' ' || r.buf[e - 1] == '\t')) {
            e--;
        }
        return s == e ? null : r.string(s, e);
    }
}
