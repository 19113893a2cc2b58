package io.hepstack.collector.protocol.sip;

/**
 * The header names the parser knows, their compact forms (RFC 3261 §7.3.3 and the IANA SIP
 * parameters registry), and a case-insensitive classification of raw name bytes into small ids.
 * Unknown headers get {@link #OTHER} and are matched by name.
 */
final class HeaderNames {

    static final int OTHER = 0;
    static final int VIA = 1;
    static final int FROM = 2;
    static final int TO = 3;
    static final int CALL_ID = 4;
    static final int CSEQ = 5;
    static final int CONTACT = 6;
    static final int CONTENT_TYPE = 7;
    static final int CONTENT_LENGTH = 8;
    static final int CONTENT_ENCODING = 9;
    static final int SUPPORTED = 10;
    static final int SUBJECT = 11;
    static final int ACCEPT_CONTACT = 12;
    static final int REFERRED_BY = 13;
    static final int REQUEST_DISPOSITION = 14;
    static final int REJECT_CONTACT = 15;
    static final int IDENTITY_INFO = 16;
    static final int EVENT = 17;
    static final int REFER_TO = 18;
    static final int ALLOW_EVENTS = 19;
    static final int SESSION_EXPIRES = 20;
    static final int IDENTITY = 21;
    static final int USER_AGENT = 22;
    static final int SERVER = 23;
    static final int MAX_FORWARDS = 24;
    static final int EXPIRES = 25;
    static final int REASON = 26;
    static final int P_ASSERTED_IDENTITY = 27;
    static final int P_PREFERRED_IDENTITY = 28;
    static final int REMOTE_PARTY_ID = 29;
    static final int ALLOW = 30;

    /** Canonical spelling by id; ids past {@link #ALLOW} are known only for their spelling. */
    private static final String[] NAMES = {
        null, "Via", "From", "To", "Call-ID", "CSeq", "Contact", "Content-Type", "Content-Length",
        "Content-Encoding", "Supported", "Subject", "Accept-Contact", "Referred-By", "Request-Disposition",
        "Reject-Contact", "Identity-Info", "Event", "Refer-To", "Allow-Events", "Session-Expires", "Identity",
        "User-Agent", "Server", "Max-Forwards", "Expires", "Reason", "P-Asserted-Identity",
        "P-Preferred-Identity", "Remote-Party-ID", "Allow",
        // spelling only
        "Route", "Record-Route", "Require", "Proxy-Require", "Unsupported", "Accept", "Accept-Encoding",
        "Accept-Language", "Date", "Timestamp", "Warning", "Organization", "Priority", "Min-Expires",
        "Retry-After", "Authorization", "Proxy-Authorization", "WWW-Authenticate", "Proxy-Authenticate",
        "Authentication-Info", "Alert-Info", "Call-Info", "Error-Info", "In-Reply-To", "Reply-To",
        "MIME-Version", "Content-Disposition", "Content-Language", "Diversion", "Privacy", "Path",
        "Service-Route", "Subscription-State", "RSeq", "RAck", "Min-SE", "Replaces", "History-Info",
        "P-Charging-Vector", "P-Access-Network-Info", "P-Called-Party-ID", "P-Visited-Network-ID",
        "Security-Client", "Security-Server", "Security-Verify", "X-Asterisk-HangupCause",
    };

    /** Compact form letter (a..z) to id. */
    private static final int[] COMPACT = new int[26];

    private static final byte[][] LOWER = new byte[NAMES.length][];
    /** Ids of the names of each length, so a lookup compares a handful of candidates. */
    private static final int[][] BY_LENGTH;

    static {
        compact('a', ACCEPT_CONTACT);
        compact('b', REFERRED_BY);
        compact('c', CONTENT_TYPE);
        compact('d', REQUEST_DISPOSITION);
        compact('e', CONTENT_ENCODING);
        compact('f', FROM);
        compact('i', CALL_ID);
        compact('j', REJECT_CONTACT);
        compact('k', SUPPORTED);
        compact('l', CONTENT_LENGTH);
        compact('m', CONTACT);
        compact('n', IDENTITY_INFO);
        compact('o', EVENT);
        compact('r', REFER_TO);
        compact('s', SUBJECT);
        compact('t', TO);
        compact('u', ALLOW_EVENTS);
        compact('v', VIA);
        compact('x', SESSION_EXPIRES);
        compact('y', IDENTITY);
        int max = 0;
        for (int i = 1; i < NAMES.length; i++) {
            LOWER[i] = NAMES[i].toLowerCase(java.util.Locale.ROOT).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            max = Math.max(max, LOWER[i].length);
        }
        BY_LENGTH = new int[max + 1][];
        for (int len = 0; len <= max; len++) {
            int n = 0;
            int[] ids = new int[NAMES.length];
            for (int i = 1; i < NAMES.length; i++) {
                if (LOWER[i].length == len) {
                    ids[n++] = i;
                }
            }
            BY_LENGTH[len] = java.util.Arrays.copyOf(ids, n);
        }
    }

    private HeaderNames() {
    }

    private static void compact(char c, int id) {
        COMPACT[c - 'a'] = id;
    }

    /** Id of the header named {@code buf[s, e)} (any case, compact forms too), or {@link #OTHER}. */
    static int classify(byte[] buf, int s, int e) {
        int len = e - s;
        if (len == 1) {
            byte c = SipReader.lower(buf[s]);
            return c >= 'a' && c <= 'z' ? COMPACT[c - 'a'] : OTHER;
        }
        if (len >= BY_LENGTH.length) {
            return OTHER;
        }
        byte first = SipReader.lower(buf[s]);
        for (int id : BY_LENGTH[len]) {
            byte[] n = LOWER[id];
            if (n[0] != first) {
                continue;
            }
            int i = 1;
            while (i < len && SipReader.lower(buf[s + i]) == n[i]) {
                i++;
            }
            if (i == len) {
                return id;
            }
        }
        return OTHER;
    }

    /**
     * Id of a header name given as a String (any case, compact forms too). An ASCII name (any a
     * stage asks for) is matched as {@link #classify(byte[], int, int)} matches its bytes, without
     * encoding it first.
     */
    static int classify(String name) {
        int len = name.length();
        boolean ascii = len > 0;
        for (int i = 0; i < len && ascii; i++) {
            ascii = name.charAt(i) < 0x80;
        }
        if (!ascii) {
            byte[] b = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return classify(b, 0, b.length);
        }
        if (len == 1) {
            byte c = SipReader.lower((byte) name.charAt(0));
            return c >= 'a' && c <= 'z' ? COMPACT[c - 'a'] : OTHER;
        }
        if (len >= BY_LENGTH.length) {
            return OTHER;
        }
        byte first = SipReader.lower((byte) name.charAt(0));
        for (int id : BY_LENGTH[len]) {
            byte[] n = LOWER[id];
            if (n[0] != first) {
                continue;
            }
            int i = 1;
            while (i < len && SipReader.lower((byte) name.charAt(i)) == n[i]) {
                i++;
            }
            if (i == len) {
                return id;
            }
        }
        return OTHER;
    }

    /** Canonical spelling of a known id, or null for {@link #OTHER}. */
    static String canonical(int id) {
        return id > 0 && id < NAMES.length ? NAMES[id] : null;
    }

    /** Case-insensitive comparison of raw name bytes with a name. */
    static boolean nameEquals(byte[] buf, int s, int e, String name) {
        if (e - s != name.length()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c > 0x7f || SipReader.lower(buf[s + i]) != SipReader.lower((byte) c)) {
                return false;
            }
        }
        return true;
    }
}
