package io.hepstack.collector.protocol.sip;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A session description (RFC 8866, formerly 4566): the fields a VoIP monitor needs, parsed in
 * one pass when {@link SipMessage#sdp()} is first called (so not lazy inside, but never parsed
 * unless asked for).
 *
 * <p>Parsing never throws: a line that is not {@code x=value}, or a field that cannot be read,
 * is skipped and described in {@link #problems()}. Lines may end in CRLF or LF.
 */
public final class Sdp {

    public static final String SENDRECV = "sendrecv";
    public static final String SENDONLY = "sendonly";
    public static final String RECVONLY = "recvonly";
    public static final String INACTIVE = "inactive";

    private final int version;
    private final String originUsername;
    private final String originSessionId;
    private final String originSessionVersion;
    private final String originNetType;
    private final String originAddrType;
    private final String originAddress;
    private final String sessionName;
    private final String connectionAddress;
    private final String direction;
    private final List<SdpMedia> media;
    private final List<String> problems;

    private Sdp(Reader r) {
        this.version = r.version;
        this.originUsername = r.originUsername;
        this.originSessionId = r.originSessionId;
        this.originSessionVersion = r.originSessionVersion;
        this.originNetType = r.originNetType;
        this.originAddrType = r.originAddrType;
        this.originAddress = r.originAddress;
        this.sessionName = r.sessionName;
        this.connectionAddress = r.connectionAddress;
        this.direction = r.direction;
        this.media = r.media;
        this.problems = Collections.unmodifiableList(r.problems);
    }

    /** Parses the SDP in {@code buf[off, off + len)}. */
    public static Sdp parse(byte[] buf, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, buf.length);
        Reader r = new Reader();
        r.read(buf, off, off + len);
        return new Sdp(r);
    }

    public static Sdp parse(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return parse(b, 0, b.length);
    }

    /** {@code v=}, or -1 when missing or not a number. */
    public int version() {
        return version;
    }

    public String originUsername() {
        return originUsername;
    }

    public String originSessionId() {
        return originSessionId;
    }

    public String originSessionVersion() {
        return originSessionVersion;
    }

    public String originNetType() {
        return originNetType;
    }

    public String originAddrType() {
        return originAddrType;
    }

    public String originAddress() {
        return originAddress;
    }

    /** {@code s=}, or null. */
    public String sessionName() {
        return sessionName;
    }

    /** The session-level {@code c=} address (TTL and count cut off), or null. */
    public String connectionAddress() {
        return connectionAddress;
    }

    /** The session-level direction attribute, or null when there is none. */
    public String direction() {
        return direction;
    }

    public List<SdpMedia> media() {
        return media;
    }

    public List<String> problems() {
        return problems;
    }

    // ------------------------------------------------------------------ parsing

    /** The mutable state of one parse; the Sdp built from it is immutable. */
    private static final class Reader {
        int version = -1;
        String originUsername;
        String originSessionId;
        String originSessionVersion;
        String originNetType;
        String originAddrType;
        String originAddress;
        String sessionName;
        String connectionAddress;
        String direction;
        List<SdpMedia> media;
        final List<String> problems = new ArrayList<>(0);


        /** Media fields collected until the next m= line. */
        private static final class MediaBuilder {
            String type;
            int port = -1;
            int portCount = 1;
            String protocol;
            /** Lists made when the first element comes, and of the size they need (most have a few). */
            List<String> formats = List.of();
            String connection;
            String direction;
            int ptime = -1;
            int rtcpPort = -1;
            boolean rtcpMux;
            List<SdpCodec> rtpmaps = List.of();
            List<Fmtp> fmtps = List.of();
            List<String[]> attributes = new ArrayList<>(8);
        }

        /** An {@code a=fmtp} line: its payload type and parameters. */
        private record Fmtp(int payloadType, String parameters) {
        }

        private void read(byte[] b, int s, int e) {
            List<MediaBuilder> builders = new ArrayList<>(2);
            MediaBuilder m = null;
            int lineNo = 0;
            int p = s;
            while (p < e) {
                int le = p;
                while (le < e && b[le] != '\n') {
                    le++;
                }
                int ce = le > p && b[le - 1] == '\r' ? le - 1 : le;
                lineNo++;
                int ls = p;
                p = le + 1;
                if (ce == ls) {
                    continue; // tolerate blank lines (often one at the end)
                }
                if (ce - ls < 2 || b[ls + 1] != '=' || b[ls] < 'a' || b[ls] > 'z') {
                    problem(lineNo, "not a type=value line: '" + text(b, ls, Math.min(ce, ls + 40)) + "'");
                    continue;
                }
                int vs = ls + 2;
                switch (b[ls]) {
                    case 'v':
                        long v = SipReader.parseLong(b, vs, ce);
                        if (v < 0 || v > Integer.MAX_VALUE) {
                            problem(lineNo, "invalid version");
                        } else {
                            version = (int) v;
                        }
                        break;
                    case 'o':
                        origin(b, vs, ce, lineNo);
                        break;
                    case 's':
                        sessionName = text(b, vs, ce);
                        break;
                    case 'c':
                        String addr = connection(b, vs, ce, lineNo);
                        if (m == null) {
                            connectionAddress = addr;
                        } else {
                            m.connection = addr;
                        }
                        break;
                    case 'm':
                        m = new MediaBuilder();
                        builders.add(m);
                        media(m, b, vs, ce, lineNo);
                        break;
                    case 'a':
                        attribute(m, b, vs, ce, lineNo);
                        break;
                    default:
                        break; // i= u= e= p= b= t= r= z= k=: not needed
                }
            }
            if (version < 0 && problems.isEmpty()) {
                problems.add("missing v= line");
            }
            List<SdpMedia> list = new ArrayList<>(builders.size());
            for (MediaBuilder mb : builders) {
                list.add(build(mb));
            }
            media = Collections.unmodifiableList(list);
        }

        private void origin(byte[] b, int s, int e, int lineNo) {
            String[] f = fields(b, s, e, 6);
            if (f == null) {
                problem(lineNo, "o= needs 6 fields");
                return;
            }
            originUsername = f[0];
            originSessionId = f[1];
            originSessionVersion = f[2];
            originNetType = f[3];
            originAddrType = f[4];
            originAddress = f[5];
        }

        private String connection(byte[] b, int s, int e, int lineNo) {
            String[] f = fields(b, s, e, 3);
            if (f == null) {
                problem(lineNo, "c= needs 3 fields");
                return null;
            }
            String a = f[2];
            // IP4 multicast carries /ttl[/count]; IP6 only /count
            int slash = a.indexOf('/');
            return slash < 0 ? a : a.substring(0, slash);
        }

        private void media(MediaBuilder m, byte[] b, int s, int e, int lineNo) {
            List<String> f = split(b, s, e);
            if (f.size() < 3) {
                problem(lineNo, "m= needs at least 3 fields");
                if (!f.isEmpty()) {
                    m.type = f.get(0);
                }
                return;
            }
            m.type = f.get(0);
            String port = f.get(1);
            int slash = port.indexOf('/');
            int pe = slash < 0 ? port.length() : slash;
            m.port = parsePort(port.substring(0, pe));
            if (m.port < 0) {
                problem(lineNo, "invalid media port '" + port + "'");
            }
            if (slash >= 0) {
                int c = parseInt(port.substring(slash + 1));
                if (c < 1) {
                    problem(lineNo, "invalid port count '" + port + "'");
                } else {
                    m.portCount = c;
                }
            }
            m.protocol = f.get(2);
            if (f.size() > 3) {
                m.formats = new ArrayList<>(f.subList(3, f.size()));
            }
        }

        private void attribute(MediaBuilder m, byte[] b, int s, int e, int lineNo) {
            int colon = s;
            while (colon < e && b[colon] != ':') {
                colon++;
            }
            String name = text(b, s, colon);
            String value = colon < e ? text(b, colon + 1, e) : "";
            String dir = direction(name);
            if (dir != null) {
                if (m == null) {
                    direction = dir;
                } else {
                    m.direction = dir;
                }
                return;
            }
            if (m == null) {
                return; // other session-level attributes are not needed
            }
            m.attributes.add(new String[]{name, value});
            switch (name) {
                case "rtpmap":
                    rtpmap(m, value, lineNo);
                    break;
                case "fmtp": {
                    int sp = value.indexOf(' ');
                    int pt = parseInt(sp < 0 ? value : value.substring(0, sp));
                    if (pt < 0 || pt > 127) {
                        problem(lineNo, "invalid fmtp payload type in '" + value + "'");
                    } else {
                        if (m.fmtps.isEmpty()) {
                            m.fmtps = new ArrayList<>(2);
                        }
                        m.fmtps.add(new Fmtp(pt, sp < 0 ? "" : value.substring(sp + 1).trim()));
                    }
                    break;
                }
                case "ptime":
                    m.ptime = parseInt(value.trim());
                    if (m.ptime < 0) {
                        problem(lineNo, "invalid ptime '" + value + "'");
                    }
                    break;
                case "rtcp": {
                    int sp = value.indexOf(' ');
                    m.rtcpPort = parsePort(sp < 0 ? value.trim() : value.substring(0, sp));
                    if (m.rtcpPort < 0) {
                        problem(lineNo, "invalid rtcp port '" + value + "'");
                    }
                    break;
                }
                case "rtcp-mux":
                    m.rtcpMux = true;
                    break;
                default:
                    break;
            }
        }

        private void rtpmap(MediaBuilder m, String value, int lineNo) {
            // <payload type> <encoding name>/<clock rate>[/<encoding parameters>]; read in place
            // (indexes into value, no substrings but the name): the encoding is value[es, ee), trimmed
            int sp = value.indexOf(' ');
            int pt = sp < 0 ? -1 : parseInt(value, 0, sp);
            int es = sp < 0 ? 0 : sp + 1;
            int ee = sp < 0 ? 0 : value.length();
            while (es < ee && value.charAt(es) <= ' ') {
                es++;
            }
            while (ee > es && value.charAt(ee - 1) <= ' ') {
                ee--;
            }
            int s1 = indexOf(value, '/', es, ee);
            int s2 = s1 < 0 ? -1 : indexOf(value, '/', s1 + 1, ee);
            int rate = s1 < 0 ? -1 : parseInt(value, s1 + 1, s2 < 0 ? ee : s2);
            if (pt < 0 || pt > 127 || s1 <= es || rate <= 0) {
                problem(lineNo, "invalid rtpmap '" + value + "'");
                return;
            }
            int channels = 1;
            if (s2 >= 0) {
                channels = parseInt(value, s2 + 1, ee);
                if (channels < 1) {
                    problem(lineNo, "invalid rtpmap channels '" + value + "'");
                    channels = 1;
                }
            }
            if (m.rtpmaps.isEmpty()) {
                m.rtpmaps = new ArrayList<>(Math.max(4, m.formats.size()));
            }
            m.rtpmaps.add(new SdpCodec(pt, value.substring(es, s1), rate, channels, null));
        }

        private SdpMedia build(MediaBuilder m) {
            List<Integer> pts = new ArrayList<>(m.formats.size());
            List<SdpCodec> codecs = new ArrayList<>(m.formats.size());
            boolean rtp = m.protocol != null && m.protocol.contains("RTP/");
            if (rtp) {
                for (String f : m.formats) {
                    int pt = parseInt(f);
                    if (pt < 0 || pt > 127) {
                        continue;
                    }
                    pts.add(pt);
                    SdpCodec c = null;
                    for (int i = 0; i < m.rtpmaps.size(); i++) { // by index: no iterator per format
                        if (m.rtpmaps.get(i).payloadType() == pt) {
                            c = m.rtpmaps.get(i);
                            break;
                        }
                    }
                    if (c == null) {
                        c = SdpCodec.staticType(pt);
                    }
                    if (c == null) {
                        continue;
                    }
                    for (int i = 0; i < m.fmtps.size(); i++) {
                        if (m.fmtps.get(i).payloadType() == pt) {
                            c = c.withFmtp(m.fmtps.get(i).parameters());
                            break;
                        }
                    }
                    codecs.add(c);
                }
            }
            String dir = m.direction != null ? m.direction : direction != null ? direction : SENDRECV;
            return new SdpMedia(m.type, m.port, m.portCount, m.protocol, Collections.unmodifiableList(m.formats),
                    Collections.unmodifiableList(pts), Collections.unmodifiableList(codecs),
                    m.connection != null ? m.connection : connectionAddress, dir, m.ptime, m.rtcpPort, m.rtcpMux,
                    m.attributes);
        }

        private void problem(int lineNo, String p) {
            problems.add("line " + lineNo + ": " + p);
        }
    }

    private static String direction(String name) {
        switch (name) {
            case SENDRECV:
                return SENDRECV;
            case SENDONLY:
                return SENDONLY;
            case RECVONLY:
                return RECVONLY;
            case INACTIVE:
                return INACTIVE;
            default:
                return null;
        }
    }

    /** Exactly {@code n} fields separated by runs of SP, or null. */
    private static String[] fields(byte[] b, int s, int e, int n) {
        List<String> f = split(b, s, e);
        return f.size() == n ? f.toArray(new String[0]) : null;
    }

    private static List<String> split(byte[] b, int s, int e) {
        List<String> out = new ArrayList<>(8);
        int p = s;
        while (p < e) {
            while (p < e && (b[p] == ' ' || b[p] == '\t')) {
                p++;
            }
            int fs = p;
            while (p < e && b[p] != ' ' && b[p] != '\t') {
                p++;
            }
            if (p > fs) {
                out.add(text(b, fs, p));
            }
        }
        return out;
    }

    private static String text(byte[] b, int s, int e) {
        return RecentStrings.of(b, s, e);
    }

    /** {@code s[from, to)} as a non-negative int of at most 9 digits, or -1 ({@link #parseInt(String)} without the substring). */
    private static int parseInt(String s, int from, int to) {
        if (from >= to || to - from > 9) {
            return -1;
        }
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

    /** The first {@code c} in {@code s[from, to)}, or -1. */
    private static int indexOf(String s, char c, int from, int to) {
        int i = s.indexOf(c, from);
        return i < to ? i : -1;
    }

    /** A non-negative int of at most 9 digits, or -1. */
    private static int parseInt(String s) {
        if (s.isEmpty() || s.length() > 9) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static int parsePort(String s) {
        int p = parseInt(s);
        return p > 65535 ? -1 : p;
    }
}
