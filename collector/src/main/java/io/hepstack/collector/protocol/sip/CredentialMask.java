package io.hepstack.collector.protocol.sip;

/**
 * Masks the credentials of a SIP message in place, before it is parsed or stored: the digest
 * {@code response=} of {@code Authorization} / {@code Proxy-Authorization} (what offline password
 * cracking needs, with the nonce), and the whole credentials of any other scheme (Basic, Bearer).
 * Each masked byte becomes {@code '*'}, so lengths, offsets and the rest of the message are
 * unchanged, and nothing is allocated. Only the header section is scanned (up to the empty line);
 * folded header lines are followed.
 */
public final class CredentialMask {

    static final byte MASK = '*';
    private static final byte[] AUTHORIZATION = "authorization".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] PROXY_AUTHORIZATION = "proxy-authorization".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] DIGEST = "digest".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] RESPONSE = "response".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private CredentialMask() {
    }

    /** Masks {@code b[from, to)} in place; returns how many credential headers were masked. */
    public static int mask(byte[] b, int from, int to) {
        int masked = 0;
        int line = nextLine(b, from, to); // the start line carries no credentials
        while (line < to) {
            int end = lineEnd(b, line, to);
            if (end == line) {
                break; // the empty line: the body follows
            }
            int valueEnd = headerEnd(b, end, to);
            int colon = credentialsHeader(b, line, end);
            if (colon >= 0) {
                maskCredentials(b, colon + 1, valueEnd);
                masked++;
            }
            line = nextLine(b, valueEnd, to);
        }
        return masked;
    }

    /** Index after the colon's header name if this line is an (Proxy-)Authorization header, else -1. */
    private static int credentialsHeader(byte[] b, int line, int end) {
        int colon = indexOf(b, line, end, (byte) ':');
        if (colon < 0) {
            return -1;
        }
        int nameEnd = colon;
        while (nameEnd > line && (b[nameEnd - 1] == ' ' || b[nameEnd - 1] == '\t')) {
            nameEnd--;
        }
        return equalsIgnoreCase(b, line, nameEnd, AUTHORIZATION) || equalsIgnoreCase(b, line, nameEnd, PROXY_AUTHORIZATION)
                ? colon : -1;
    }

    private static void maskCredentials(byte[] b, int from, int to) {
        int p = skipSpace(b, from, to);
        int scheme = p;
        while (p < to && isToken(b[p])) {
            p++;
        }
        if (equalsIgnoreCase(b, scheme, p, DIGEST)) {
            maskDigestResponse(b, p, to);
        } else {
            maskAll(b, skipSpace(b, p, to), to);
        }
    }

    /** Every {@code response=value} parameter (quoted or not); the other parameters stay readable. */
    private static void maskDigestResponse(byte[] b, int from, int to) {
        int p = from;
        while (p < to) {
            p = skipSpaceAndCommas(b, p, to);
            int name = p;
            while (p < to && isToken(b[p])) {
                p++;
            }
            int nameEnd = p;
            p = skipSpace(b, p, to);
            if (p >= to || b[p] != '=') {
                p = Math.max(p, nameEnd + 1); // not a parameter: move on
                continue;
            }
            p = skipSpace(b, p + 1, to);
            boolean secret = equalsIgnoreCase(b, name, nameEnd, RESPONSE);
            if (p < to && b[p] == '"') {
                int q = p + 1;
                while (q < to && b[q] != '"') {
                    if (b[q] == '\\' && q + 1 < to) {
                        if (secret) {
                            b[q] = MASK;
                        }
                        q++;
                    }
                    if (secret && b[q] != '\r' && b[q] != '\n') {
                        b[q] = MASK;
                    }
                    q++;
                }
                p = q + 1;
            } else {
                int q = p;
                while (q < to && b[q] != ',' && b[q] != ' ' && b[q] != '\t' && b[q] != '\r' && b[q] != '\n') {
                    if (secret) {
                        b[q] = MASK;
                    }
                    q++;
                }
                p = q;
            }
        }
    }

    private static void maskAll(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != '\r' && b[i] != '\n' && b[i] != ' ' && b[i] != '\t') {
                b[i] = MASK;
            }
        }
    }

    /** End of the line's content (before CR LF or LF). */
    private static int lineEnd(byte[] b, int from, int to) {
        int p = from;
        while (p < to && b[p] != '\n' && b[p] != '\r') {
            p++;
        }
        return p;
    }

    /** Start of the line after the one ending at {@code end}. */
    private static int nextLine(byte[] b, int end, int to) {
        int p = lineEnd(b, end, to);
        if (p < to && b[p] == '\r') {
            p++;
        }
        if (p < to && b[p] == '\n') {
            p++;
        }
        return p;
    }

    /** End of a header whose first line ends at {@code end}, following folded lines (starting with SP/HT). */
    private static int headerEnd(byte[] b, int end, int to) {
        int e = end;
        while (true) {
            int next = nextLine(b, e, to);
            if (next >= to || next == e || (b[next] != ' ' && b[next] != '\t')) {
                return e;
            }
            e = lineEnd(b, next, to);
        }
    }

    private static int skipSpace(byte[] b, int p, int to) {
        while (p < to && (b[p] == ' ' || b[p] == '\t' || b[p] == '\r' || b[p] == '\n')) {
            p++;
        }
        return p;
    }

    private static int skipSpaceAndCommas(byte[] b, int p, int to) {
        while (p < to && (b[p] == ' ' || b[p] == '\t' || b[p] == '\r' || b[p] == '\n' || b[p] == ',')) {
            p++;
        }
        return p;
    }

    private static boolean isToken(byte c) {
        return c > ' ' && c < 127 && c != ',' && c != '=' && c != '"' && c != ':';
    }

    private static int indexOf(byte[] b, int from, int to, byte c) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** {@code b[from, to)} equals the lower-case ASCII {@code lower}, ignoring case. */
    private static boolean equalsIgnoreCase(byte[] b, int from, int to, byte[] lower) {
        if (to - from != lower.length) {
            return false;
        }
        for (int i = 0; i < lower.length; i++) {
            int c = b[from + i];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != lower[i]) {
                return false;
            }
        }
        return true;
    }
}
