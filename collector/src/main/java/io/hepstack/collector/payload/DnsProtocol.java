package io.hepstack.collector.payload;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.CorrelationRole;
import io.hepstack.collector.pipeline.ParseFailure;
import io.hepstack.collector.pipeline.PayloadProtocol;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * DNS messages captured by an agent and sent in HEP protocol type 53 ({@code 0x35}).
 *
 * <h2>Two payload formats</h2>
 * <ul>
 *   <li><b>heplify</b> (sipcapture/heplify, capture mode {@code SIPDNS}, {@code decoder/decoder.go} and
 *       {@code protos/dns.go}) does <em>not</em> send the DNS message itself: it decodes it with gopacket
 *       and sends a JSON object, {@code {"id":..,"qr":..,"opcode":..,"aa","tc","rd","ra","z","rescode",
 *       "qdc","anc","nsc","arc","questions":[{"name","type","class"}],"answers":[{"name","type","class",
 *       "ttl","ip"|"ns"|"cname"}]}}, numbers for the enums, {@code z} the three bits after RA (Z, AD, CD),
 *       names without the final dot, only A/AAAA ({@code ip}), NS and CNAME answer data.</li>
 *   <li><b>wire format</b> (RFC 1035 §4.1): the raw DNS message, as any other agent that mirrors the
 *       UDP payload would send it. Parsed here by hand, bounds-checked.</li>
 * </ul>
 * A payload starting with {@code {"} is read as heplify JSON: as a DNS header those two bytes would
 * be an id followed by a flags byte saying opcode 4 with AA set in a query, which no resolver sends.
 *
 * <h2>Limits (hostile input)</h2>
 * A name is at most {@value #MAX_NAME} octets as the wire spells it out (labels, length bytes and
 * the root), at most {@value #MAX_POINTER_HOPS} compression pointers are followed per name, and at
 * most {@value #MAX_RECORDS} records are read per section (questions, answers); when a section
 * holds more, the later sections are not read. Authority and additional records are counted (from
 * the header) but not parsed. Every read is checked against the payload end; anything malformed is
 * a {@link ParseFailure} of type {@code dns_parse}, never another exception.
 *
 * <p>Document fields follow ECS / Packetbeat: {@code dns.id}, {@code dns.type}, {@code dns.op_code},
 * {@code dns.response_code}, {@code dns.header_flags}, {@code dns.question.*}, {@code dns.answers},
 * {@code dns.answers_count}, {@code dns.authorities_count}, {@code dns.additionals_count},
 * {@code dns.resolved_ip}.
 */
public final class DnsProtocol implements PayloadProtocol<DnsProtocol.Dns> {

    /** HEP protocol type of DNS (chunk 0x000b). */
    public static final int PROTO_DNS = 53;
    /** Longest name, in wire octets (RFC 1035 §2.3.4). */
    public static final int MAX_NAME = 255;
    /** Most compression pointers followed while reading one name. */
    public static final int MAX_POINTER_HOPS = 64;
    /** Most records read per section. */
    public static final int MAX_RECORDS = 64;

    static final String ERROR_TYPE = "dns_parse";
    private static final int HEADER = 12;
    private static final int[] PROTO_TYPES = {PROTO_DNS};
    private static final String QUESTION = "question ";
    private static final String ANSWER = "answer ";

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).build())
            .build());

    /** The payload format a message came in. */
    public enum Format {
        WIRE, HEPLIFY_JSON
    }

    /**
     * One parsed DNS message.
     *
     * @param format          how it was sent
     * @param id              the 16-bit message id
     * @param response        QR: true for a response
     * @param opCode          OPCODE (0 QUERY, 1 IQUERY, 2 STATUS, 4 NOTIFY, 5 UPDATE, ...)
     * @param aa              authoritative answer
     * @param tc              truncated
     * @param rd              recursion desired
     * @param ra              recursion available
     * @param ad              authentic data (RFC 4035)
     * @param cd              checking disabled (RFC 4035)
     * @param responseCode    RCODE of the header (0 NOERROR, 3 NXDOMAIN, ...)
     * @param questionCount   QDCOUNT as sent
     * @param answerCount     ANCOUNT as sent
     * @param authorityCount  NSCOUNT as sent
     * @param additionalCount ARCOUNT as sent
     * @param questions       the questions read (at most {@value #MAX_RECORDS})
     * @param answers         the answer records read (at most {@value #MAX_RECORDS})
     * @param resolvedIps     the addresses of the A and AAAA answers, in order
     */
    public record Dns(Format format, int id, boolean response, int opCode, boolean aa, boolean tc, boolean rd,
                      boolean ra, boolean ad, boolean cd, int responseCode, int questionCount, int answerCount,
                      int authorityCount, int additionalCount, List<Question> questions, List<Answer> answers,
                      List<String> resolvedIps) {

        /** The first question, or null. */
        public Question question() {
            return questions.isEmpty() ? null : questions.get(0);
        }

        /** ECS {@code dns.header_flags}: the set flags among AA, TC, RD, RA, AD, CD. */
        public List<String> headerFlags() {
            List<String> flags = new ArrayList<>(6);
            if (aa) {
                flags.add("AA");
            }
            if (tc) {
                flags.add("TC");
            }
            if (rd) {
                flags.add("RD");
            }
            if (ra) {
                flags.add("RA");
            }
            if (ad) {
                flags.add("AD");
            }
            if (cd) {
                flags.add("CD");
            }
            return flags;
        }
    }

    /**
     * One question.
     *
     * @param name     the name, dot-separated without the final dot ({@code "."} for the root);
     *                 dots and backslashes inside a label are escaped with a backslash, other bytes
     *                 outside printable ASCII as {@code \DDD} (as dig prints them)
     * @param type     QTYPE
     * @param dnsClass QCLASS
     */
    public record Question(String name, int type, int dnsClass) {
    }

    /**
     * One answer record.
     *
     * @param name     owner name (see {@link Question#name})
     * @param type     TYPE
     * @param dnsClass CLASS
     * @param ttl      TTL, seconds (unsigned 32 bits)
     * @param data     the RDATA as text for A, AAAA, CNAME, PTR, NS, MX ({@code "pref host"}), TXT (the
     *                 strings concatenated) and SRV ({@code "prio weight port target"}); null for
     *                 other types
     */
    public record Answer(String name, int type, int dnsClass, long ttl, String data) {
    }

    @Override
    public String dataset() {
        return "dns";
    }

    @Override
    public String family() {
        return "dns";
    }

    @Override
    public int[] protoTypes() {
        return PROTO_TYPES.clone();
    }

    @Override
    public CorrelationRole role() {
        return CorrelationRole.NONE;
    }

    @Override
    public Dns parse(HepPacket packet) throws ParseFailure {
        byte[] b = packet.payload;
        if (b == null || b.length == 0) {
            throw new ParseFailure(ERROR_TYPE, "empty payload");
        }
        if (b.length >= 2 && b[0] == '{' && b[1] == '"') {
            return parseHeplifyJson(b);
        }
        return new Wire(b).message();
    }

    // ------------------------------------------------------------------ wire format (RFC 1035)

    /** A cursor over one wire-format message. */
    private static final class Wire {

        private final byte[] b;
        private final int end;
        /** Where the record stream continues after the last name read. */
        private int next;

        Wire(byte[] b) {
            this.b = b;
            this.end = b.length;
        }

        Dns message() throws ParseFailure {
            if (end < HEADER) {
                throw fail("shorter than the 12-byte header: " + end + " bytes");
            }
            int id = u16(0);
            int flags = u16(2);
            int qd = u16(4);
            int an = u16(6);
            int ns = u16(8);
            int ar = u16(10);
            int pos = HEADER;

            int qn = Math.min(qd, MAX_RECORDS);
            List<Question> questions = new ArrayList<>(qn);
            for (int i = 0; i < qn; i++) {
                String name = name(pos, QUESTION, i);
                pos = next;
                need(pos, 4, QUESTION, i, " type and class");
                questions.add(new Question(name, u16(pos), u16(pos + 2)));
                pos += 4;
            }

            List<Answer> answers = new ArrayList<>(Math.min(an, MAX_RECORDS));
            List<String> ips = new ArrayList<>(2);
            if (qd <= MAX_RECORDS) { // past a capped section the answers cannot be found
                int anRead = Math.min(an, MAX_RECORDS);
                for (int i = 0; i < anRead; i++) {
                    String name = name(pos, ANSWER, i);
                    pos = next;
                    need(pos, 10, ANSWER, i, " header");
                    int type = u16(pos);
                    int cls = u16(pos + 2);
                    long ttl = u32(pos + 4);
                    int rdLength = u16(pos + 8);
                    pos += 10;
                    if (pos + rdLength > end) {
                        need(pos, rdLength, ANSWER, i, " data (" + rdLength + " bytes)");
                    }
                    String data = rdata(type, pos, rdLength, i);
                    if (data != null && (type == 1 || type == 28)) {
                        ips.add(data);
                    }
                    answers.add(new Answer(name, type, cls, ttl, data));
                    pos += rdLength;
                }
            }
            return new Dns(Format.WIRE, id, (flags & 0x8000) != 0, (flags >>> 11) & 0xf, (flags & 0x0400) != 0,
                    (flags & 0x0200) != 0, (flags & 0x0100) != 0, (flags & 0x0080) != 0, (flags & 0x0020) != 0,
                    (flags & 0x0010) != 0, flags & 0xf, qd, an, ns, ar, Collections.unmodifiableList(questions),
                    Collections.unmodifiableList(answers), Collections.unmodifiableList(ips));
        }

        /** The RDATA of a record as text, or null for a type not decoded. */
        private String rdata(int type, int off, int len, int index) throws ParseFailure {
            int stop = off + len;
            switch (type) {
                case 1 -> { // A
                    if (len != 4) {
                        throw fail(ANSWER + (index + 1) + ": A record data of " + len + " bytes, not 4");
                    }
                    return HepPacket.ipText(Arrays.copyOfRange(b, off, stop));
                }
                case 28 -> { // AAAA
                    if (len != 16) {
                        throw fail(ANSWER + (index + 1) + ": AAAA record data of " + len + " bytes, not 16");
                    }
                    return HepPacket.ipText(Arrays.copyOfRange(b, off, stop));
                }
                case 2, 5, 12 -> { // NS, CNAME, PTR
                    return nameWithin(off, stop, index);
                }
                case 15 -> { // MX
                    if (len < 3) {
                        throw fail(ANSWER + (index + 1) + ": MX record data of " + len + " bytes");
                    }
                    return u16(off) + " " + nameWithin(off + 2, stop, index);
                }
                case 33 -> { // SRV (RFC 2782)
                    if (len < 7) {
                        throw fail(ANSWER + (index + 1) + ": SRV record data of " + len + " bytes");
                    }
                    return u16(off) + " " + u16(off + 2) + " " + u16(off + 4) + " " + nameWithin(off + 6, stop, index);
                }
                case 16 -> { // TXT: one or more <length><bytes> strings
                    StringBuilder sb = new StringBuilder(len);
                    int p = off;
                    while (p < stop) {
                        int n = b[p] & 0xff;
                        if (p + 1 + n > stop) {
                            throw fail(ANSWER + (index + 1) + ": TXT string runs past the record data");
                        }
                        appendText(sb, p + 1, n, false);
                        p += 1 + n;
                    }
                    return sb.toString();
                }
                default -> {
                    return null;
                }
            }
        }

        /** A name inside RDATA: it may point anywhere before, but its own bytes must end inside the record. */
        private String nameWithin(int off, int stop, int index) throws ParseFailure {
            String name = name(off, ANSWER, index);
            if (next > stop) {
                throw fail(ANSWER + (index + 1) + ": name runs past the record data");
            }
            return name;
        }

        /**
         * Reads the (possibly compressed) name at {@code start}; sets {@link #next} to the position
         * after it in the record stream. Bounded: every turn of the loop either consumes a label (at
         * most 255 octets in all) or follows a pointer (at most {@value #MAX_POINTER_HOPS}).
         */
        private String name(int start, String section, int index) throws ParseFailure {
            StringBuilder sb = new StringBuilder(32);
            int p = start;
            int after = -1;
            int hops = 0;
            int octets = 1; // the root label
            while (true) {
                if (p >= end) {
                    throw fail(section + (index + 1) + ": name runs past the end at offset " + p);
                }
                int len = b[p] & 0xff;
                int kind = len & 0xc0;
                if (kind == 0xc0) {
                    if (p + 1 >= end) {
                        throw fail(section + (index + 1) + ": compression pointer cut at offset " + p);
                    }
                    if (++hops > MAX_POINTER_HOPS) {
                        throw fail(section + (index + 1) + ": more than " + MAX_POINTER_HOPS + " compression pointers (a loop?)");
                    }
                    int target = ((len & 0x3f) << 8) | (b[p + 1] & 0xff);
                    if (after < 0) {
                        after = p + 2;
                    }
                    if (target >= end) {
                        throw fail(section + (index + 1) + ": compression pointer to offset " + target + " past the end");
                    }
                    p = target;
                    continue;
                }
                if (kind != 0) {
                    throw fail(section + (index + 1) + ": unsupported label type 0x" + Integer.toHexString(kind) + " at offset " + p);
                }
                if (len == 0) {
                    if (after < 0) {
                        after = p + 1;
                    }
                    break;
                }
                octets += 1 + len;
                if (octets > MAX_NAME) {
                    throw fail(section + (index + 1) + ": name longer than " + MAX_NAME + " octets");
                }
                if (p + 1 + len > end) {
                    throw fail(section + (index + 1) + ": label runs past the end at offset " + p);
                }
                if (sb.length() > 0) {
                    sb.append('.');
                }
                appendText(sb, p + 1, len, true);
                p += 1 + len;
            }
            next = after;
            return sb.length() == 0 ? "." : sb.toString();
        }

        /** Printable ASCII as is (in a label, '.' and '\' escaped), other bytes as \DDD. */
        private void appendText(StringBuilder sb, int off, int len, boolean label) {
            for (int i = off; i < off + len; i++) {
                int c = b[i] & 0xff;
                if (label && (c == '.' || c == '\\')) {
                    sb.append('\\').append((char) c);
                } else if (c > 0x20 && c < 0x7f || (!label && c == 0x20)) {
                    sb.append((char) c);
                } else {
                    sb.append('\\').append((char) ('0' + c / 100)).append((char) ('0' + c / 10 % 10))
                            .append((char) ('0' + c % 10));
                }
            }
        }

        private void need(int pos, int n, String section, int index, String what) throws ParseFailure {
            if (pos + n > end) {
                throw fail(section + (index + 1) + what + " runs past the end (" + (pos + n - end) + " bytes missing)");
            }
        }

        private int u16(int p) {
            return ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
        }

        private long u32(int p) {
            return ((long) u16(p) << 16) | u16(p + 2);
        }
    }

    private static ParseFailure fail(String reason) {
        return new ParseFailure(ERROR_TYPE, reason);
    }

    // ------------------------------------------------------------------ heplify JSON

    private static Dns parseHeplifyJson(byte[] b) throws ParseFailure {
        JsonNode n;
        try {
            n = JSON.readTree(b);
        } catch (IOException | RuntimeException e) {
            throw fail("heplify DNS JSON does not parse: " + firstLine(e.getMessage()));
        }
        if (n == null || !n.isObject()) {
            throw fail("heplify DNS JSON is not an object");
        }
        int id = (int) number(n, "id", 0xffff, true);
        boolean qr = bool(n, "qr");
        int opCode = (int) number(n, "opcode", 0xf, false);
        int z = (int) number(n, "z", 0x7, false);
        int rcode = (int) number(n, "rescode", 0xff, false);

        List<Question> questions = new ArrayList<>();
        JsonNode qs = n.path("questions");
        if (!qs.isMissingNode() && !qs.isNull() && !qs.isArray()) {
            throw fail("heplify DNS JSON: questions is not an array");
        }
        for (int i = 0; i < qs.size() && i < MAX_RECORDS; i++) {
            JsonNode q = qs.get(i);
            questions.add(new Question(jsonName(q, "question " + (i + 1)), (int) number(q, "type", 0xffff, false),
                    (int) number(q, "class", 0xffff, false)));
        }
        List<Answer> answers = new ArrayList<>();
        List<String> ips = new ArrayList<>(2);
        JsonNode as = n.path("answers");
        if (!as.isMissingNode() && !as.isNull() && !as.isArray()) {
            throw fail("heplify DNS JSON: answers is not an array");
        }
        for (int i = 0; i < as.size() && i < MAX_RECORDS; i++) {
            JsonNode a = as.get(i);
            String what = "answer " + (i + 1);
            int type = (int) number(a, "type", 0xffff, false);
            String data = null;
            String ip = text(a, "ip");
            if (ip != null) {
                data = ipLiteral(ip);
                if (data == null) {
                    throw fail("heplify DNS JSON: " + what + " has an ip that is not an address");
                }
                if (type == 1 || type == 28) {
                    ips.add(data);
                }
            } else if (text(a, "cname") != null) {
                data = bounded(text(a, "cname"), what);
            } else if (text(a, "ns") != null) {
                data = bounded(text(a, "ns"), what);
            }
            answers.add(new Answer(jsonName(a, what), type, (int) number(a, "class", 0xffff, false),
                    number(a, "ttl", 0xffff_ffffL, false), data));
        }
        int qdc = (int) number(n, "qdc", 0xffff, false);
        int anc = (int) number(n, "anc", 0xffff, false);
        return new Dns(Format.HEPLIFY_JSON, id, qr, Math.max(0, opCode), bool(n, "aa"), bool(n, "tc"),
                bool(n, "rd"), bool(n, "ra"), z > 0 && (z & 2) != 0, z > 0 && (z & 1) != 0, Math.max(0, rcode),
                qdc >= 0 ? qdc : qs.size(), anc >= 0 ? anc : as.size(), (int) number(n, "nsc", 0xffff, false),
                (int) number(n, "arc", 0xffff, false), Collections.unmodifiableList(questions),
                Collections.unmodifiableList(answers), Collections.unmodifiableList(ips));
    }

    /** A non-negative integer field up to {@code max}; -1 when absent and optional. */
    private static long number(JsonNode n, String field, long max, boolean required) throws ParseFailure {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw fail("heplify DNS JSON: no " + field);
            }
            return -1;
        }
        if (!v.isIntegralNumber() || v.asLong() < 0 || v.asLong() > max) {
            throw fail("heplify DNS JSON: " + field + " is not an integer in 0.." + max);
        }
        return v.asLong();
    }

    private static boolean bool(JsonNode n, String field) {
        return n.path(field).asBoolean(false);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isTextual() && !v.asText().isEmpty() ? v.asText() : null;
    }

    private static String jsonName(JsonNode n, String what) throws ParseFailure {
        if (!n.isObject()) {
            throw fail("heplify DNS JSON: " + what + " is not an object");
        }
        String name = text(n, "name");
        return name == null ? "." : bounded(name, what);
    }

    private static String bounded(String name, String what) throws ParseFailure {
        if (name.length() > MAX_NAME) {
            throw fail("heplify DNS JSON: " + what + " has a name longer than " + MAX_NAME);
        }
        return name;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /**
     * The address a text spells (dotted quad or IPv6), in the form {@link HepPacket#ipText} prints,
     * or null. Never resolves a name.
     */
    static String ipLiteral(String s) {
        if (s == null || s.isEmpty() || s.length() > 45) {
            return null;
        }
        if (s.indexOf(':') < 0) {
            String[] parts = s.split("\\.", -1);
            if (parts.length != 4) {
                return null;
            }
            byte[] a = new byte[4];
            for (int i = 0; i < 4; i++) {
                String p = parts[i];
                if (p.isEmpty() || p.length() > 3) {
                    return null;
                }
                int v = 0;
                for (int k = 0; k < p.length(); k++) {
                    char c = p.charAt(k);
                    if (c < '0' || c > '9') {
                        return null;
                    }
                    v = v * 10 + (c - '0');
                }
                if (v > 255) {
                    return null;
                }
                a[i] = (byte) v;
            }
            return HepPacket.ipText(a);
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c == ':' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return null;
            }
        }
        try {
            // bracketed: InetAddress takes it as an IPv6 literal and never looks a name up
            return HepPacket.ipText(InetAddress.getByName("[" + s + "]").getAddress());
        } catch (UnknownHostException | IllegalArgumentException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ document

    @Override
    public void write(Dns d, CapturedMessage m, JsonGenerator g) throws IOException {
        if (d == null) {
            return;
        }
        g.writeObjectFieldStart("dns");
        g.writeStringField("id", Integer.toString(d.id()));
        g.writeStringField("type", d.response() ? "answer" : "query");
        g.writeStringField("op_code", opCodeName(d.opCode()));
        if (d.response()) {
            g.writeStringField("response_code", responseCodeName(d.responseCode()));
        }
        List<String> flags = d.headerFlags();
        if (!flags.isEmpty()) {
            g.writeArrayFieldStart("header_flags");
            for (String f : flags) {
                g.writeString(f);
            }
            g.writeEndArray();
        }
        Question q = d.question();
        if (q != null) {
            g.writeObjectFieldStart("question");
            g.writeStringField("name", q.name());
            if (q.type() >= 0) {
                g.writeStringField("type", typeName(q.type()));
            }
            if (q.dnsClass() >= 0) {
                g.writeStringField("class", className(q.dnsClass()));
            }
            g.writeEndObject();
        }
        if (!d.answers().isEmpty()) {
            g.writeArrayFieldStart("answers");
            for (Answer a : d.answers()) {
                g.writeStartObject();
                g.writeStringField("name", a.name());
                if (a.type() >= 0) {
                    g.writeStringField("type", typeName(a.type()));
                }
                if (a.dnsClass() >= 0) {
                    g.writeStringField("class", className(a.dnsClass()));
                }
                if (a.ttl() >= 0) {
                    g.writeNumberField("ttl", a.ttl());
                }
                if (a.data() != null) {
                    g.writeStringField("data", a.data());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        if (d.response()) {
            g.writeNumberField("answers_count", Math.max(0, d.answerCount()));
        }
        if (d.authorityCount() >= 0) {
            g.writeNumberField("authorities_count", d.authorityCount());
        }
        if (d.additionalCount() >= 0) {
            g.writeNumberField("additionals_count", d.additionalCount());
        }
        if (!d.resolvedIps().isEmpty()) {
            g.writeArrayFieldStart("resolved_ip");
            for (String ip : d.resolvedIps()) {
                g.writeString(ip);
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    /** OPCODE mnemonic (IANA DNS parameters), or {@code OPCODE<n>}. */
    public static String opCodeName(int op) {
        return switch (op) {
            case 0 -> "QUERY";
            case 1 -> "IQUERY";
            case 2 -> "STATUS";
            case 4 -> "NOTIFY";
            case 5 -> "UPDATE";
            case 6 -> "DSO";
            default -> "OPCODE" + op;
        };
    }

    /** RCODE mnemonic (IANA DNS parameters), or {@code RCODE<n>}. */
    public static String responseCodeName(int rcode) {
        return switch (rcode) {
            case 0 -> "NOERROR";
            case 1 -> "FORMERR";
            case 2 -> "SERVFAIL";
            case 3 -> "NXDOMAIN";
            case 4 -> "NOTIMP";
            case 5 -> "REFUSED";
            case 6 -> "YXDOMAIN";
            case 7 -> "YXRRSET";
            case 8 -> "NXRRSET";
            case 9 -> "NOTAUTH";
            case 10 -> "NOTZONE";
            case 11 -> "DSOTYPENI";
            default -> "RCODE" + rcode;
        };
    }

    /** TYPE mnemonic, or {@code TYPE<n>} (RFC 3597 §5). */
    public static String typeName(int type) {
        return switch (type) {
            case 1 -> "A";
            case 2 -> "NS";
            case 5 -> "CNAME";
            case 6 -> "SOA";
            case 12 -> "PTR";
            case 13 -> "HINFO";
            case 15 -> "MX";
            case 16 -> "TXT";
            case 28 -> "AAAA";
            case 33 -> "SRV";
            case 35 -> "NAPTR";
            case 39 -> "DNAME";
            case 41 -> "OPT";
            case 43 -> "DS";
            case 46 -> "RRSIG";
            case 47 -> "NSEC";
            case 48 -> "DNSKEY";
            case 50 -> "NSEC3";
            case 52 -> "TLSA";
            case 64 -> "SVCB";
            case 65 -> "HTTPS";
            case 99 -> "SPF";
            case 251 -> "IXFR";
            case 252 -> "AXFR";
            case 255 -> "ANY";
            case 257 -> "CAA";
            default -> "TYPE" + type;
        };
    }

    /** CLASS mnemonic, or {@code CLASS<n>} (RFC 3597 §5). */
    public static String className(int cls) {
        return switch (cls) {
            case 1 -> "IN";
            case 3 -> "CH";
            case 4 -> "HS";
            case 254 -> "NONE";
            case 255 -> "ANY";
            default -> "CLASS" + cls;
        };
    }
}
