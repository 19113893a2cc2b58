package io.hepstack.collector.protocol.sip;

import java.nio.charset.StandardCharsets;

/** Finds one part of a MIME multipart body (RFC 2046 §5.1) by its Content-Type. No copies. */
final class Multipart {

    private Multipart() {
    }

    /**
     * The body bounds {@code {start, end}} of the first part whose Content-Type media type is
     * {@code mediaType} (lower case), or null. Scans at most {@code buf[s, e)}.
     */
    static int[] findPart(byte[] buf, int s, int e, String boundary, String mediaType) {
        byte[] delim = ("--" + boundary).getBytes(StandardCharsets.UTF_8);
        int d = findDelimiter(buf, s, e, delim);
        while (d >= 0) {
            int p = d + delim.length;
            if (p + 1 < e && buf[p] == '-' && buf[p + 1] == '-') {
                return null; // close delimiter
            }
            while (p < e && buf[p] != '\n') {
                p++;
            }
            int partStart = Math.min(e, p + 1);
            int next = findDelimiter(buf, partStart, e, delim);
            int partEnd = next < 0 ? e : next;
            // the line break before a delimiter belongs to the delimiter
            if (partEnd > partStart && buf[partEnd - 1] == '\n') {
                partEnd--;
                if (partEnd > partStart && buf[partEnd - 1] == '\r') {
                    partEnd--;
                }
            }
            int[] body = matchingBody(buf, partStart, partEnd, mediaType);
            if (body != null) {
                return body;
            }
            d = next;
        }
        return null;
    }

    /** A delimiter counts only at the start of a line. */
    private static int findDelimiter(byte[] buf, int s, int e, byte[] delim) {
        outer:
        for (int i = s; i + delim.length <= e; i++) {
            if (buf[i] != delim[0] || (i > s && buf[i - 1] != '\n')) {
                continue;
            }
            for (int k = 1; k < delim.length; k++) {
                if (buf[i + k] != delim[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static int[] matchingBody(byte[] buf, int s, int e, String mediaType) {
        boolean match = false;
        int p = s;
        while (p < e) {
            int le = p;
            while (le < e && buf[le] != '\n') {
                le++;
            }
            int ce = le > p && buf[le - 1] == '\r' ? le - 1 : le;
            if (ce == p) {
                return match ? new int[]{Math.min(e, le + 1), e} : null;
            }
            int colon = p;
            while (colon < ce && buf[colon] != ':') {
                colon++;
            }
            int ne = colon;
            while (ne > p && (buf[ne - 1] == ' ' || buf[ne - 1] == '\t')) {
                ne--;
            }
            if (colon < ce && HeaderNames.classify(buf, p, ne) == HeaderNames.CONTENT_TYPE) {
                int vs = colon + 1;
                while (vs < ce && (buf[vs] == ' ' || buf[vs] == '\t')) {
                    vs++;
                }
                int ve = vs;
                while (ve < ce && buf[ve] != ';' && buf[ve] != ' ' && buf[ve] != '\t') {
                    ve++;
                }
                match = SipReader.equalsLower(buf, vs, ve, mediaType);
            }
            p = le + 1;
        }
        return null;
    }
}
