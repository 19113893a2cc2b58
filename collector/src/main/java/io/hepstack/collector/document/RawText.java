package io.hepstack.collector.document;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How a lean message document keeps its raw text ({@code event.original}, the raw SIP), and how
 * readers get the captured bytes back (docs/documents.md).
 * <p>
 * SIP ends every line with CRLF, and JSON spends two bytes on each CR ({@code \r}): 28 bytes of an
 * average SIP document of hepgen's mix. So a lean document stores the text without them when every
 * CR of the message is followed by an LF and every LF follows a CR: then every stored LF stands for
 * a CRLF and {@link #restore} gives the message back byte for byte. A message with any other line
 * end (a bare LF, a lone CR) is stored as captured and says so ({@code hep.raw_as_captured: true}).
 * Full documents, and every document written before, store the text as captured; they have
 * {@code event.kind}, which lean documents leave out, and readers take their text as it is.
 */
public final class RawText {

    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private RawText() {
    }

    /**
     * Copies {@code b} into {@code into} without the CR of each CRLF and returns the length written,
     * when every CR of {@code b} is followed by an LF and every LF follows a CR (also when there are
     * none); -1 otherwise (what {@code into} then holds is undefined). One pass: the check and the
     * copy of the text between line ends go together. {@code into} holds at least {@code b.length} bytes.
     */
    public static int stripCr(byte[] b, byte[] into) {
        int n = 0;
        int from = 0;
        for (int i = 0; i < b.length; i++) {
            byte x = b[i];
            if (x == CR) {
                if (i + 1 == b.length || b[i + 1] != LF) {
                    return -1; // a lone CR
                }
                System.arraycopy(b, from, into, n, i - from);
                n += i - from;
                from = i + 1; // the LF starts the next part
                i++;
            } else if (x == LF) {
                return -1; // an LF without its CR
            }
        }
        System.arraycopy(b, from, into, n, b.length - from);
        return n + b.length - from;
    }

    /** {@link #jsonWithoutCrs}: a line end other than CRLF (stored as captured). */
    public static final int NOT_CRLF = -1;
    /** {@link #jsonWithoutCrs}: a byte outside ASCII (written through the JSON generator's own UTF-8 handling). */
    public static final int NOT_ASCII = -2;
    /** {@link #jsonWithoutCrs}: {@code into} was too small (room for six bytes per byte always suffices). */
    public static final int NO_ROOM = -3;

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * {@link #stripCr} and the JSON string escaping of the result in one pass: writes into
     * {@code into} the body of a JSON string (no quotes) whose value is {@code b} without the CR of
     * each CRLF, escaped exactly as Jackson's generator escapes ASCII (a backslash and n, t, b, f, a
     * quote or a backslash; other control bytes a backslash, u and four hex digits), and returns its length; {@link #NOT_CRLF},
     * {@link #NOT_ASCII} or {@link #NO_ROOM} otherwise. A lean message document's raw SIP was
     * stripped, scanned for ASCII and then escaped by the generator, three passes and 8 % of the
     * worker's CPU at 6,000 messages/s end to end (JFR); runs of plain text are copied at once here.
     */
    public static int jsonWithoutCrs(byte[] b, int length, byte[] into) {
        int n = 0;
        int i = 0;
        while (i < length) {
            int run = i;
            byte x = 0;
            while (i < length && (x = b[i]) >= 0x20 && x != '"' && x != '\\') {
                i++;
            }
            int plain = i - run;
            if (n + plain > into.length) {
                return NO_ROOM;
            }
            System.arraycopy(b, run, into, n, plain);
            n += plain;
            if (i == length) {
                break;
            }
            if (x < 0) {
                return NOT_ASCII;
            }
            if (n + 6 > into.length) {
                return NO_ROOM;
            }
            if (x == CR) {
                if (i + 1 == length || b[i + 1] != LF) {
                    return NOT_CRLF; // a lone CR
                }
                into[n++] = '\\';
                into[n++] = 'n';
                i += 2;
                continue;
            }
            i++;
            into[n++] = '\\';
            switch (x) {
                case LF -> {
                    return NOT_CRLF; // an LF without its CR
                }
                case '"', '\\' -> into[n++] = x;
                case '\t' -> into[n++] = 't';
                case '\b' -> into[n++] = 'b';
                case '\f' -> into[n++] = 'f';
                default -> {
                    into[n++] = 'u';
                    into[n++] = '0';
                    into[n++] = '0';
                    into[n++] = HEX[x >> 4];
                    into[n++] = HEX[x & 0xf];
                }
            }
        }
        return n;
    }

    /** {@code stored} with each LF that does not follow a CR made a CRLF again. */
    public static String restore(String stored) {
        int lf = stored.indexOf('\n');
        if (lf < 0) {
            return stored;
        }
        StringBuilder sb = new StringBuilder(stored.length() + 64);
        int from = 0;
        for (; lf >= 0; lf = stored.indexOf('\n', lf + 1)) {
            sb.append(stored, from, lf);
            if (lf == 0 || stored.charAt(lf - 1) != '\r') {
                sb.append('\r');
            }
            from = lf;
        }
        return sb.append(stored, from, stored.length()).toString();
    }

    /**
     * The raw text of a stored message document as captured: its {@code event.original}, with the
     * CRs a lean document left out put back; null when the document has none.
     */
    public static String original(JsonNode source) {
        String stored = source.path("event").path("original").asText(null);
        if (stored == null || !leftOutCrs(source, stored)) {
            return stored;
        }
        return restore(stored);
    }

    /** Whether {@code stored}, the {@code event.original} of {@code source}, is a lean text without its CRs. */
    private static boolean leftOutCrs(JsonNode source, String stored) {
        return !source.path("event").has("kind") // a full document, or one written before lean documents
                && !source.path("hep").path("raw_as_captured").asBoolean(false)
                && stored.indexOf('\r') < 0; // a lean document of an earlier version, with its CRs
    }
}
