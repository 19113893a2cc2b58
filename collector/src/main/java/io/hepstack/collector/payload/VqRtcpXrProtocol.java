package io.hepstack.collector.payload;

import com.fasterxml.jackson.core.JsonGenerator;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.CorrelationRole;
import io.hepstack.collector.pipeline.ParseFailure;
import io.hepstack.collector.pipeline.PayloadProtocol;
import io.hepstack.collector.protocol.rtcp.QosReport;
import io.hepstack.collector.protocol.sip.SipMessage;
import io.hepstack.collector.protocol.sip.SipParseException;
import io.hepstack.collector.protocol.sip.SipParser;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Voice-quality reports in SIP PUBLISH (RFC 6035, {@code Content-Type: application/vq-rtcpxr}), as
 * Polycom, Yealink, Cisco, snom, AudioCodes and linphone endpoints send them to a collector. They
 * come in HEP type 1 like any SIP message; this protocol is registered before SIP and takes only
 * PUBLISH requests carrying that content type ({@link #accepts} looks at the first bytes and the
 * header block, nothing more).
 *
 * <h2>Body</h2>
 * A first line {@code VQSessionReport[: CallTerm]}, {@code VQIntervalReport} or {@code VQAlertReport[:
 * Type=.. Severity=.. Dir=..]}, then {@code Name: value} lines: the session ({@code CallID},
 * {@code LocalID}, {@code RemoteID}, {@code OrigID}, {@code LocalGroup}, {@code RemoteGroup},
 * {@code LocalAddr}/{@code RemoteAddr: IP=.. PORT=.. SSRC=..}, {@code LocalMAC}, {@code RemoteMAC},
 * {@code DialogID}) and, after {@code LocalMetrics:} and optionally {@code RemoteMetrics:}, lines of
 * {@code KEY=value} parameters ({@code Timestamps}, {@code SessionDesc}, {@code JitterBuffer},
 * {@code PacketLoss}, {@code BurstGapLoss}, {@code Delay}, {@code Signal}, {@code QualityEst}).
 *
 * <p>What devices do that the grammar does not say, and is accepted: no space after the colon, lines
 * folded onto indented continuation lines (the RFC's own example) or onto unindented {@code KEY=value}
 * lines (AudioCodes' {@code MOSCQ=} line), {@code CallID=} instead of {@code CallID:}, parameter names
 * in any case ({@code Port=}), the session lines after {@code LocalMetrics:} (snom), an SSRC in
 * decimal (linphone, possibly negative) or in hex without {@code 0x} (the RFC's example), {@code MAJ}
 * for {@code MAIJ}, a bare LF for CRLF. A value that is not a number, or is a "not available" marker
 * (127 for R and MOS, 65535 for delays) or out of range is absent.
 *
 * <h2>Which side is which</h2>
 * RFC 6035 §4.x: {@code LocalMetrics} are measured by the reporting endpoint on the RTP stream it
 * <em>receives</em>; {@code RemoteMetrics} are what the far end reported back (RTCP XR) about the
 * stream it receives. The stream the local metrics describe is therefore sent by the remote endpoint:
 * it flows from {@code RemoteAddr} (whose SSRC it carries) to {@code LocalAddr}. The {@link QosReport}
 * of {@link #mediaReport} is built that way.
 */
public final class VqRtcpXrProtocol implements PayloadProtocol<VqRtcpXrProtocol.VqReport> {

    public static final String CONTENT_TYPE = "application/vq-rtcpxr";
    static final String ERROR_TYPE = "vq_rtcpxr_parse";
    /** Most logical lines read from a body. */
    static final int MAX_LINES = 512;
    /** Most parameters kept per metrics block. */
    static final int MAX_PARAMS = 128;
    /** How far into the payload {@link #accepts} looks for the Content-Type header. */
    static final int ACCEPT_SCAN_LIMIT = 16 * 1024;

    private static final int[] PROTO_TYPES = {HepPacket.PROTO_SIP};
    private static final byte[] PUBLISH = "PUBLISH ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENT_TYPE_NAME = "content-type".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENT_TYPE_BYTES = CONTENT_TYPE.getBytes(StandardCharsets.US_ASCII);

    private final SipParser sipParser = new SipParser();

    /** The three report kinds of RFC 6035 §4.3. */
    public enum ReportType {
        SESSION("VQSessionReport"), INTERVAL("VQIntervalReport"), ALERT("VQAlertReport");

        private final String label;

        ReportType(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        static ReportType of(String name) {
            for (ReportType t : values()) {
                if (t.label.equalsIgnoreCase(name)) {
                    return t;
                }
            }
            return null;
        }
    }

    /**
     * One end of the reported session.
     *
     * @param id    {@code LocalID} / {@code RemoteID} (a SIP name-address, as written), or null
     * @param ip    the address of {@code IP=} when it is an IPv4/IPv6 literal, or null
     * @param port  {@code PORT=}, or -1
     * @param ssrc  {@code SSRC=} (the SSRC this end sends with), or -1
     * @param group {@code LocalGroup} / {@code RemoteGroup}, or null
     * @param mac   {@code LocalMAC} / {@code RemoteMAC}, or null
     */
    public record Endpoint(String id, String ip, int port, long ssrc, String group, String mac) {
    }

    /**
     * One metrics block ({@code LocalMetrics} or {@code RemoteMetrics}). Absent values are
     * {@code NaN}, {@code -1} or {@code null}.
     *
     * @param start         {@code Timestamps START}
     * @param stop          {@code Timestamps STOP}
     * @param payloadType   {@code SessionDesc PT}
     * @param payloadDesc   {@code SessionDesc PD} (codec name)
     * @param sampleRate    {@code SessionDesc SR}, Hz
     * @param lossPct       {@code PacketLoss NLR}: network packet loss rate, percent
     * @param discardPct    {@code PacketLoss JDR}: jitter buffer discard rate, percent
     * @param iajMs         {@code Delay IAJ}: inter-arrival jitter, ms
     * @param maijMs        {@code Delay MAIJ} (or {@code MAJ}): mean absolute inter-arrival jitter, ms
     * @param jbnMs         {@code JitterBuffer JBN}: jitter buffer nominal delay, ms
     * @param rttMs         {@code Delay RTD}: round-trip delay, ms
     * @param esdMs         {@code Delay ESD}: end system delay, ms
     * @param mosLq         {@code QualityEst MOSLQ} (1..5)
     * @param mosCq         {@code QualityEst MOSCQ} (1..5)
     * @param rLq           {@code QualityEst RLQ}: listening R-factor (0..120)
     * @param rCq           {@code QualityEst RCQ}: conversational R-factor (0..120)
     */
    public record Metrics(Instant start, Instant stop, int payloadType, String payloadDesc, int sampleRate,
                          double lossPct, double discardPct, double iajMs, double maijMs, double jbnMs,
                          double rttMs, double esdMs, double mosLq, double mosCq, double rLq, double rCq) {

        /** Jitter in ms: {@code IAJ}, else the jitter buffer's nominal delay {@code JBN}, else NaN. */
        public double jitterMs() {
            return !Double.isNaN(iajMs) ? iajMs : jbnMs;
        }

        /** {@code MOSCQ}, else {@code MOSLQ}, else NaN. */
        public double mos() {
            return !Double.isNaN(mosCq) ? mosCq : mosLq;
        }

        /** {@code RCQ}, else {@code RLQ}, else NaN. */
        public double rFactor() {
            return !Double.isNaN(rCq) ? rCq : rLq;
        }
    }

    /**
     * One parsed report.
     *
     * @param type          the report kind
     * @param detail        what follows the report name ({@code CallTerm}, an alert's
     *                      {@code Type=.. Severity=.. Dir=..}), or null
     * @param callId        {@code CallID}: the Call-ID of the reported call (not the PUBLISH's own)
     * @param origId        {@code OrigID}, or null
     * @param dialogId      {@code DialogID}, or null
     * @param local         the reporting endpoint
     * @param remote        the far end
     * @param localMetrics  metrics of the stream the reporter receives (never null)
     * @param remoteMetrics metrics the far end reported about the stream it receives, or null
     */
    public record VqReport(ReportType type, String detail, String callId, String origId, String dialogId,
                           Endpoint local, Endpoint remote, Metrics localMetrics, Metrics remoteMetrics) {

        /** Network loss of the stream the reporter receives, percent ({@code NLR}), or NaN. */
        public double lossPct() {
            return localMetrics.lossPct();
        }

        /** A session report covers the whole call; interval and alert reports do not. */
        public boolean cumulative() {
            return type == ReportType.SESSION;
        }

        /** The payload type of the local metrics' SessionDesc, else the remote's, else -1. */
        public int codecPt() {
            return localMetrics.payloadType() >= 0 || remoteMetrics == null
                    ? localMetrics.payloadType() : remoteMetrics.payloadType();
        }

        /** The codec name (PD) of the local metrics, else the remote's, else null. */
        public String codecName() {
            return localMetrics.payloadDesc() != null || remoteMetrics == null
                    ? localMetrics.payloadDesc() : remoteMetrics.payloadDesc();
        }

        /** The sample rate (SR) of the local metrics, else the remote's, else -1. */
        public int clockRate() {
            return localMetrics.sampleRate() >= 0 || remoteMetrics == null
                    ? localMetrics.sampleRate() : remoteMetrics.sampleRate();
        }
    }

    @Override
    public String dataset() {
        return "vq_rtcpxr";
    }

    @Override
    public String family() {
        return "rtcpxr";
    }

    @Override
    public int[] protoTypes() {
        return PROTO_TYPES.clone();
    }

    @Override
    public CorrelationRole role() {
        return CorrelationRole.MEDIA_REPORT;
    }

    /**
     * True only for a PUBLISH request whose Content-Type header (or its compact form {@code c}) is
     * {@code application/vq-rtcpxr}: compares 8 bytes for every other SIP message, then reads only the
     * header block of a PUBLISH (at most {@value #ACCEPT_SCAN_LIMIT} bytes).
     */
    @Override
    public boolean accepts(HepPacket packet) {
        byte[] b = packet.payload;
        if (b == null || b.length < PUBLISH.length) {
            return false;
        }
        for (int i = 0; i < PUBLISH.length; i++) {
            if (b[i] != PUBLISH[i]) {
                return false;
            }
        }
        return hasVqContentType(b);
    }

    static boolean hasVqContentType(byte[] b) {
        int limit = Math.min(b.length, ACCEPT_SCAN_LIMIT);
        int p = indexOf(b, (byte) '\n', 0, limit) + 1; // skip the request line
        if (p == 0) {
            return false;
        }
        while (p < limit) {
            int lineEnd = indexOf(b, (byte) '\n', p, limit);
            int e = lineEnd < 0 ? limit : lineEnd;
            if (e > p && b[e - 1] == '\r') {
                e--;
            }
            if (e == p) {
                return false; // the blank line: end of the headers
            }
            int q = -1;
            if (regionMatchesLower(b, p, e, CONTENT_TYPE_NAME)) {
                q = p + CONTENT_TYPE_NAME.length;
            } else if ((b[p] | 0x20) == 'c') {
                q = p + 1;
            }
            if (q > 0) {
                q = skipBlanks(b, q, e);
                if (q < e && b[q] == ':') {
                    q = skipBlanks(b, q + 1, e);
                    if (regionMatchesLower(b, q, e, CONTENT_TYPE_BYTES)) {
                        int after = q + CONTENT_TYPE_BYTES.length;
                        if (after == e || b[after] == ';' || b[after] == ' ' || b[after] == '\t') {
                            return true;
                        }
                    }
                }
            }
            if (lineEnd < 0) {
                return false;
            }
            p = lineEnd + 1;
        }
        return false;
    }

    private static int indexOf(byte[] b, byte c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static int skipBlanks(byte[] b, int p, int e) {
        while (p < e && (b[p] == ' ' || b[p] == '\t')) {
            p++;
        }
        return p;
    }

    /** Whether {@code b[p, e)} starts with {@code lower} (lower-case ASCII), ignoring case. */
    private static boolean regionMatchesLower(byte[] b, int p, int e, byte[] lower) {
        if (e - p < lower.length) {
            return false;
        }
        for (int i = 0; i < lower.length; i++) {
            int c = b[p + i];
            if (c >= 'A' && c <= 'Z') {
                c |= 0x20;
            }
            if (c != lower[i]) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ parse

    @Override
    public VqReport parse(HepPacket packet) throws ParseFailure {
        byte[] b = packet.payload;
        if (b == null || b.length == 0) {
            throw fail("empty payload");
        }
        SipMessage sip;
        try {
            sip = sipParser.parse(b, 0, b.length);
        } catch (SipParseException e) {
            throw fail("not SIP: " + e.getMessage());
        }
        if (!sip.isRequest() || !"PUBLISH".equals(sip.method())) {
            throw fail("not a PUBLISH request");
        }
        String ct = sip.contentType();
        if (ct == null || !ct.toLowerCase(Locale.ROOT).startsWith(CONTENT_TYPE)) {
            throw fail("Content-Type is " + ct + ", not " + CONTENT_TYPE);
        }
        ByteBuffer body = sip.body();
        byte[] bytes = new byte[body.remaining()];
        body.get(bytes);
        return parseBody(bytes);
    }

    /** Parses a vq-rtcpxr body (RFC 6035 §4.5). */
    static VqReport parseBody(byte[] body) throws ParseFailure {
        if (body.length == 0) {
            throw fail("empty body");
        }
        for (byte c : body) {
            if ((c >= 0 && c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f) {
                throw fail("binary body (control byte 0x" + Integer.toHexString(c & 0xff) + ")");
            }
        }
        Body r = new Body();
        String text = new String(body, StandardCharsets.UTF_8);
        String logical = null;
        int lines = 0;
        int p = 0;
        while (p <= text.length()) {
            int nl = text.indexOf('\n', p);
            int e = nl < 0 ? text.length() : nl;
            String raw = text.substring(p, e > p && text.charAt(e - 1) == '\r' ? e - 1 : e);
            p = e + 1;
            if (!raw.isEmpty() && (raw.charAt(0) == ' ' || raw.charAt(0) == '\t') && logical != null) {
                logical = logical + " " + raw.trim(); // a folded continuation line
            } else {
                if (logical != null) {
                    if (++lines > MAX_LINES) {
                        throw fail("more than " + MAX_LINES + " lines");
                    }
                    r.line(logical);
                }
                logical = raw.trim().isEmpty() ? null : raw.trim();
            }
            if (nl < 0) {
                break;
            }
        }
        if (logical != null) {
            r.line(logical);
        }
        return r.build();
    }

    /** The body's state while its lines are read. */
    private static final class Body {
        ReportType type;
        String detail;
        String callId;
        String origId;
        String dialogId;
        final String[] ids = new String[2];
        final String[] groups = new String[2];
        final String[] macs = new String[2];
        final Map<String, String>[] addrs = newMaps();
        final Map<String, String>[] metrics = newMaps();
        boolean sawMetrics;
        int current; // 0 local, 1 remote

        @SuppressWarnings("unchecked")
        private static Map<String, String>[] newMaps() {
            return new Map[] {new HashMap<String, String>(), new HashMap<String, String>()};
        }

        void line(String line) throws ParseFailure {
            int colon = line.indexOf(':');
            int eq = line.indexOf('=');
            if (eq > 0 && (colon < 0 || eq < colon)) {
                // "KEY=value ..." with no name: AudioCodes' "CallID=..." or a metrics line continued
                String first = line.substring(0, eq).trim();
                if (first.equalsIgnoreCase("CallID")) {
                    callId = emptyToNull(line.substring(eq + 1).trim());
                } else if (sawMetrics || type != null) {
                    params(line, metrics[current]);
                }
                return;
            }
            String key = (colon < 0 ? line : line.substring(0, colon)).trim();
            String value = colon < 0 ? "" : line.substring(colon + 1).trim();
            ReportType t = ReportType.of(key);
            if (t != null) {
                if (type == null) {
                    type = t;
                    detail = emptyToNull(value);
                }
                return;
            }
            switch (key.toLowerCase(Locale.ROOT)) {
                case "callid" -> callId = emptyToNull(value);
                case "localid" -> ids[0] = emptyToNull(value);
                case "remoteid" -> ids[1] = emptyToNull(value);
                case "origid" -> origId = emptyToNull(value);
                case "localgroup" -> groups[0] = emptyToNull(value);
                case "remotegroup" -> groups[1] = emptyToNull(value);
                case "localmac" -> macs[0] = emptyToNull(value);
                case "remotemac" -> macs[1] = emptyToNull(value);
                case "localaddr" -> params(value, addrs[0]);
                case "remoteaddr" -> params(value, addrs[1]);
                case "dialogid" -> dialogId = emptyToNull(value.replace(" ", ""));
                case "localmetrics" -> {
                    current = 0;
                    sawMetrics = true;
                    params(value, metrics[0]);
                }
                case "remotemetrics" -> {
                    current = 1;
                    sawMetrics = true;
                    params(value, metrics[1]);
                }
                case "timestamps", "sessiondesc", "jitterbuffer", "packetloss", "burstgaploss", "delay", "signal",
                        "qualityest" -> {
                    sawMetrics = true;
                    params(value, metrics[current]);
                }
                default -> {
                    // other lines (x-UserAgent, x-SIPmetrics, FromID, ...) are not read
                }
            }
        }

        VqReport build() throws ParseFailure {
            if (type == null) {
                throw fail("no VQSessionReport, VQIntervalReport or VQAlertReport line");
            }
            if (callId == null) {
                throw fail("no CallID");
            }
            if (!sawMetrics) {
                throw fail("no LocalMetrics");
            }
            Endpoint local = endpoint(0);
            Endpoint remote = endpoint(1);
            Metrics lm = metrics(metrics[0]);
            Metrics rm = metrics[1].isEmpty() ? null : metrics(metrics[1]);
            return new VqReport(type, detail, callId, origId, dialogId, local, remote, lm, rm);
        }

        private Endpoint endpoint(int i) {
            Map<String, String> a = addrs[i];
            return new Endpoint(ids[i], DnsProtocol.ipLiteral(a.get("IP")), (int) integer(a.get("PORT"), 0xffff),
                    ssrc(a.get("SSRC")), groups[i], macs[i]);
        }

        private static Metrics metrics(Map<String, String> m) {
            String maij = m.containsKey("MAIJ") ? m.get("MAIJ") : m.get("MAJ");
            return new Metrics(time(m.get("START")), time(m.get("STOP")), (int) integer(m.get("PT"), 127),
                    emptyToNull(unquote(m.get("PD"))), (int) integer(m.get("SR"), 1_000_000),
                    ranged(m.get("NLR"), 0, 100), ranged(m.get("JDR"), 0, 100),
                    ranged(m.get("IAJ"), 0, 65534), ranged(maij, 0, 65534), ranged(m.get("JBN"), 0, 65534),
                    ranged(m.get("RTD"), 0, 65534), ranged(m.get("ESD"), 0, 65534),
                    ranged(m.get("MOSLQ"), 1, 5), ranged(m.get("MOSCQ"), 1, 5),
                    ranged(m.get("RLQ"), 0, 120), ranged(m.get("RCQ"), 0, 120));
        }

        /** Adds the {@code NAME=value} parameters of {@code s} (names upper-cased; values may be quoted). */
        private static void params(String s, Map<String, String> into) throws ParseFailure {
            int i = 0;
            int n = s.length();
            while (i < n) {
                while (i < n && Character.isWhitespace(s.charAt(i))) {
                    i++;
                }
                int nameStart = i;
                while (i < n && s.charAt(i) != '=' && !Character.isWhitespace(s.charAt(i))) {
                    i++;
                }
                String name = s.substring(nameStart, i);
                String value = "";
                if (i < n && s.charAt(i) == '=') {
                    i++;
                    int vs = i;
                    if (i < n && s.charAt(i) == '"') {
                        int close = s.indexOf('"', i + 1);
                        i = close < 0 ? n : close + 1;
                    } else {
                        while (i < n && !Character.isWhitespace(s.charAt(i))) {
                            i++;
                        }
                    }
                    value = s.substring(vs, i);
                }
                if (!name.isEmpty()) {
                    if (into.size() >= MAX_PARAMS && !into.containsKey(name.toUpperCase(Locale.ROOT))) {
                        throw fail("more than " + MAX_PARAMS + " parameters in one metrics block");
                    }
                    into.put(name.toUpperCase(Locale.ROOT), value);
                }
            }
        }
    }

    private static ParseFailure fail(String reason) {
        return new ParseFailure(ERROR_TYPE, reason);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static String unquote(String s) {
        if (s != null && s.length() >= 2 && s.charAt(0) == '"' && s.charAt(s.length() - 1) == '"') {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    /** Whether {@code s} is a plain decimal number: optional minus, digits, optional fraction. */
    private static boolean decimal(String s) {
        if (s == null || s.isEmpty() || s.length() > 24) {
            return false;
        }
        int i = s.charAt(0) == '-' ? 1 : 0;
        int digits = 0;
        boolean dot = false;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
            } else if (c == '.' && !dot) {
                dot = true;
            } else {
                return false;
            }
        }
        return digits > 0;
    }

    /** The number {@code s} spells when it lies in {@code [min, max]}, else NaN. */
    static double ranged(String s, double min, double max) {
        if (!decimal(s)) {
            return Double.NaN;
        }
        double v = Double.parseDouble(s);
        return v >= min && v <= max ? v : Double.NaN;
    }

    /** The non-negative integer {@code s} spells when at most {@code max}, else -1. */
    static long integer(String s, long max) {
        if (s == null || s.isEmpty() || s.length() > 10) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v <= max ? v : -1;
    }

    /**
     * An SSRC: {@code 0x} hex (the grammar), decimal (linphone prints it with {@code %d}, so it may be
     * negative), or hex without the prefix when it has a letter (the RFC's own example); else -1.
     */
    static long ssrc(String s) {
        if (s == null || s.isEmpty() || s.length() > 11) {
            return -1;
        }
        String hex = null;
        if (s.length() > 2 && (s.startsWith("0x") || s.startsWith("0X"))) {
            hex = s.substring(2);
        } else {
            String digits = s.startsWith("-") ? s.substring(1) : s;
            boolean allDigits = !digits.isEmpty();
            for (int i = 0; i < digits.length(); i++) {
                allDigits &= digits.charAt(i) >= '0' && digits.charAt(i) <= '9';
            }
            if (allDigits) {
                long v = Long.parseLong(s);
                return v >= Integer.MIN_VALUE && v <= 0xffff_ffffL ? v & 0xffff_ffffL : -1;
            }
            hex = s;
        }
        if (hex.isEmpty() || hex.length() > 8) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < hex.length(); i++) {
            int d = Character.digit(hex.charAt(i), 16);
            if (d < 0) {
                return -1;
            }
            v = v << 4 | d;
        }
        return v;
    }

    /** An RFC 3339 time ({@code Z} or an offset; without either, UTC), or null. */
    static Instant time(String s) {
        if (s == null || s.isEmpty() || s.length() > 40) {
            return null;
        }
        Instant fast = utcTime(s);
        if (fast != null) {
            return fast;
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    /**
     * The usual form, {@code YYYY-MM-DDTHH:MM:SS[.fraction]Z}, read without a formatter (which costs
     * microseconds a timestamp); null for anything else.
     */
    private static Instant utcTime(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(n - 1) != 'Z' || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        int nanos = 0;
        if (n > 20) {
            if (s.charAt(19) != '.' || n - 21 > 9 || n == 21) {
                return null;
            }
            int f = digits(s, 20, n - 1);
            if (f < 0) {
                return null;
            }
            nanos = f;
            for (int i = n - 21; i < 9; i++) {
                nanos *= 10;
            }
        }
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(ZoneOffset.UTC);
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    // ------------------------------------------------------------------ correlator and document

    @Override
    public String action(VqReport parsed) {
        return parsed == null ? null : parsed.type().label();
    }

    /**
     * The local metrics as a {@link QosReport}: the stream the reporter receives, sent from
     * {@code RemoteAddr} (its SSRC is the remote end's) to {@code LocalAddr}. {@code NLR} is a
     * percentage, not a count, so {@code packets}, {@code expected} and {@code lost} are -1 and the
     * loss travels as {@code lossPct} (with the round trip, {@code RTD}, as {@code rttMs}).
     */
    /** The CallID the report is about (the PUBLISH has a Call-ID of its own). */
    @Override
    public String correlationKey(VqReport r, HepPacket packet) {
        return r != null && r.callId() != null ? r.callId() : packet.correlationId;
    }

    @Override
    public Object mediaReport(VqReport r) {
        if (r == null) {
            return null;
        }
        Metrics lm = r.localMetrics();
        return new QosReport(HepPacket.PROTO_SIP, r.callId(), r.callId(), r.cumulative() ? "FINAL" : "PERIODIC",
                "vq-rtcpxr", lm.stop() != null ? lm.stop().getEpochSecond() : Double.NaN, lm.mos(), Double.NaN,
                Double.NaN, lm.rFactor(), Double.NaN, Double.NaN, lm.iajMs(), Double.NaN, lm.maijMs(), -1, -1, -1,
                r.remote().ssrc(), r.remote().ip(), r.remote().port(), r.local().ip(), r.local().port(), r.codecPt(),
                r.codecName(), r.clockRate(), -1, -1, lm.lossPct(), lm.rttMs());
    }

    @Override
    public void write(VqReport r, CapturedMessage m, JsonGenerator g) throws IOException {
        if (r == null) {
            return;
        }
        Metrics lm = r.localMetrics();
        g.writeObjectFieldStart("vq");
        g.writeStringField("report_type", r.type().label());
        str(g, "report_detail", r.detail());
        g.writeStringField("call_id", r.callId());
        str(g, "orig_id", r.origId());
        str(g, "dialog_id", r.dialogId());
        endpoint(g, "local", r.local());
        endpoint(g, "remote", r.remote());
        if (r.codecPt() >= 0 || r.codecName() != null || r.clockRate() >= 0) {
            g.writeObjectFieldStart("codec");
            if (r.codecPt() >= 0) {
                g.writeNumberField("pt", r.codecPt());
            }
            str(g, "name", r.codecName());
            if (r.clockRate() >= 0) {
                g.writeNumberField("sample_rate", r.clockRate());
            }
            g.writeEndObject();
        }
        metrics(g, "metrics", lm);
        if (r.remoteMetrics() != null) {
            metrics(g, "remote_metrics", r.remoteMetrics());
        }
        g.writeEndObject();

        // the quality summary every media report document has (as RTCP documents do)
        g.writeObjectFieldStart("qos");
        dbl(g, "mos", lm.mos());
        dbl(g, "r_factor", lm.rFactor());
        dbl(g, "loss_pct", lm.lossPct());
        dbl(g, "jitter_ms", lm.iajMs());
        if (lm.rttMs() > 0) {
            g.writeNumberField("rtt_ms", lm.rttMs());
        }
        str(g, "codec", r.codecName());
        g.writeStringField("mos_source", "vq-rtcpxr");
        g.writeEndObject();

        g.writeObjectFieldStart("call");
        g.writeStringField("id", r.callId());
        g.writeEndObject();
    }

    private static void endpoint(JsonGenerator g, String name, Endpoint e) throws IOException {
        if (e.id() == null && e.ip() == null && e.port() < 0 && e.ssrc() < 0 && e.group() == null && e.mac() == null) {
            return;
        }
        g.writeObjectFieldStart(name);
        str(g, "id", e.id());
        str(g, "ip", e.ip());
        if (e.port() >= 0) {
            g.writeNumberField("port", e.port());
        }
        if (e.ssrc() >= 0) {
            g.writeNumberField("ssrc", e.ssrc());
        }
        str(g, "group", e.group());
        str(g, "mac", e.mac());
        g.writeEndObject();
    }

    private static void metrics(JsonGenerator g, String name, Metrics x) throws IOException {
        g.writeObjectFieldStart(name);
        if (x.start() != null) {
            g.writeStringField("start", x.start().toString());
        }
        if (x.stop() != null) {
            g.writeStringField("stop", x.stop().toString());
        }
        dbl(g, "loss_pct", x.lossPct());
        dbl(g, "discard_pct", x.discardPct());
        dbl(g, "jitter_ms", x.jitterMs());
        dbl(g, "jitter_buffer_nominal_ms", x.jbnMs());
        dbl(g, "mean_abs_jitter_ms", x.maijMs());
        dbl(g, "rtt_ms", x.rttMs());
        dbl(g, "end_system_delay_ms", x.esdMs());
        dbl(g, "mos_lq", x.mosLq());
        dbl(g, "mos_cq", x.mosCq());
        dbl(g, "r_lq", x.rLq());
        dbl(g, "r_cq", x.rCq());
        g.writeEndObject();
    }

    private static void str(JsonGenerator g, String name, String v) throws IOException {
        if (v != null) {
            g.writeStringField(name, v);
        }
    }

    private static void dbl(JsonGenerator g, String name, double v) throws IOException {
        if (!Double.isNaN(v)) {
            g.writeNumberField(name, v);
        }
    }
}
