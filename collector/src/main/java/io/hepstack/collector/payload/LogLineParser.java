package io.hepstack.collector.payload;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads the log lines agents send over HEP type 100 ({@link LogProtocol}): syslog RFC 3164 and RFC
 * 5424, Kamailio/OpenSIPS log lines ({@code hlog}, {@code xlog}, their stderr format) and the
 * well-known keys of JSON events. Hand-written, one pass, every token capped: a hostile line costs
 * at most its length and never throws; a line that matches no format stays whole text.
 */
final class LogLineParser {

    /**
     * Lines longer than this are not parsed: they are kept whole as text (a HEP3 packet carries at
     * most 64 KiB; a formatted log line of more than 32 KiB is a dump, not a line).
     */
    static final int MAX_PARSED = 32 * 1024;
    private static final int MAX_TOKEN = 255;
    private static final int MAX_TAG = 128;
    private static final int MAX_LEVEL = 32;

    static final String[] SEVERITIES = {"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"};
    static final String[] FACILITIES = {"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp",
        "cron", "authpriv", "ftp", "ntp", "security", "console", "solaris-cron", "local0", "local1", "local2",
        "local3", "local4", "local5", "local6", "local7"};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec"};

    /** What a line was read as. */
    enum Format { SYSLOG_RFC3164, SYSLOG_RFC5424, SIP_SERVER, JSON, TEXT }

    /**
     * One parsed line; absent values are null, or -1 for numbers. {@code message} null means "the
     * payload, whole" (unknown text; a JSON event without a message key).
     */
    record LogLine(Format format, String level, int priority, String version, String host, String process,
                   long pid, String logger, String msgid, String structuredData, String message, JsonNode json) {

        static LogLine text() {
            return new LogLine(Format.TEXT, null, -1, null, null, null, -1, null, null, null, null, null);
        }

        int facility() {
            return priority < 0 ? -1 : priority >> 3;
        }

        int severity() {
            return priority < 0 ? -1 : priority & 7;
        }
    }

    private LogLineParser() {
    }

    // ------------------------------------------------------------------ text

    /** Parses a text payload (the caller has checked it is text); never throws. */
    static LogLine parse(byte[] payload) {
        if (payload == null || payload.length == 0 || payload.length > MAX_PARSED) {
            return LogLine.text();
        }
        try {
            String s = new String(payload, StandardCharsets.UTF_8);
            LogLine l = s.startsWith("<") ? syslog(s) : null;
            if (l == null) {
                l = sipServer(s);
            }
            if (l == null) {
                l = rfc3164(s, 0, -1);
            }
            return l != null ? l : LogLine.text();
        } catch (RuntimeException e) {
            return LogLine.text(); // belt and braces: a line we cannot read is text
        }
    }

    /** {@code <PRI>} then RFC 5424 ({@code 1 }) or RFC 3164; null when there is no valid PRI. */
    private static LogLine syslog(String s) {
        int close = -1;
        for (int i = 1; i < Math.min(s.length(), 5); i++) {
            if (s.charAt(i) == '>') {
                close = i;
                break;
            }
        }
        if (close < 2) {
            return null;
        }
        int pri = digits(s, 1, close);
        if (pri < 0 || pri > 191 || (close > 2 && s.charAt(1) == '0')) {
            return null;
        }
        int p = close + 1;
        if (p + 1 < s.length() && s.charAt(p) >= '1' && s.charAt(p) <= '9') {
            int sp = s.indexOf(' ', p);
            if (sp > p && sp - p <= 2 && digits(s, p, sp) >= 1) {
                LogLine l = rfc5424(s, sp + 1, pri, s.substring(p, sp));
                if (l != null) {
                    return l;
                }
            }
        }
        LogLine l = rfc3164(s, p, pri);
        return l != null ? l : new LogLine(Format.SYSLOG_RFC3164, SEVERITIES[pri & 7], pri, null, null, null, -1,
                null, null, null, trimEnd(s.substring(p)), null);
    }

    /** {@code TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD [MSG]}, from {@code p}; null when malformed. */
    private static LogLine rfc5424(String s, int p, int pri, String version) {
        String[] f = new String[5];
        for (int i = 0; i < 5; i++) {
            int sp = s.indexOf(' ', p);
            if (sp <= p || sp - p > MAX_TOKEN) {
                return null;
            }
            f[i] = s.substring(p, sp);
            p = sp + 1;
        }
        if (p >= s.length()) {
            return null;
        }
        String sd = null;
        if (s.charAt(p) == '-') {
            p++;
        } else if (s.charAt(p) == '[') {
            int start = p;
            while (p < s.length() && s.charAt(p) == '[') {
                p = sdElementEnd(s, p);
                if (p < 0) {
                    return null;
                }
            }
            sd = s.substring(start, p);
        } else {
            return null;
        }
        String msg = null;
        if (p < s.length()) {
            if (s.charAt(p) != ' ' && s.charAt(p) != '\r' && s.charAt(p) != '\n') {
                return null;
            }
            msg = trimEnd(s.substring(Math.min(p + 1, s.length())));
            if (msg.startsWith("\uFEFF")) {
                msg = msg.substring(1);
            }
        }
        String procid = nil(f[3]);
        long pid = procid == null ? -1 : digitsLong(procid);
        return new LogLine(Format.SYSLOG_RFC5424, SEVERITIES[pri & 7], pri, version, nil(f[1]), nil(f[2]), pid,
                null, nil(f[4]), sd, msg == null ? "" : msg, null);
    }

    /** The index after the SD-ELEMENT opening at {@code p} ({@code [id k="v" ...]}, with \-escapes in values); -1 if none. */
    private static int sdElementEnd(String s, int p) {
        boolean quoted = false;
        for (int i = p + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ']') {
                return i > p + 1 ? i + 1 : -1;
            }
        }
        return -1;
    }

    /**
     * RFC 3164 from {@code p}: {@code Mmm dd hh:mm:ss} (or an RFC 3339 time, as rsyslog sends), then
     * {@code HOSTNAME TAG[PID]: MSG}; the hostname or the tag may be missing. Null without a timestamp.
     */
    private static LogLine rfc3164(String s, int p, int pri) {
        int after = timestamp3164(s, p);
        if (after < 0) {
            return null;
        }
        p = after;
        String host = null;
        String tag = null;
        long pid = -1;
        int[] tagEnd = new int[2];
        if (!tag(s, p, tagEnd)) {
            int sp = s.indexOf(' ', p);
            if (sp > p && sp - p <= MAX_TOKEN) {
                host = s.substring(p, sp);
                p = sp + 1;
            }
        }
        if (tag(s, p, tagEnd)) {
            int bracket = s.indexOf('[', p);
            if (bracket > p && bracket < tagEnd[0]) {
                tag = s.substring(p, bracket);
                pid = digitsLong(s.substring(bracket + 1, tagEnd[0] - 1));
            } else {
                tag = s.substring(p, tagEnd[0]);
            }
            p = tagEnd[1];
        }
        String level = pri < 0 ? null : SEVERITIES[pri & 7];
        String message = trimEnd(s.substring(Math.min(p, s.length())));
        String logger = null;
        // a SIP server's own line inside syslog ("kamailio[2154]: NOTICE: <script>: text"): its level
        // (when the line had no PRI), module and text
        LogLine inner = message.isEmpty() ? null : sipServer(message);
        if (inner != null) {
            level = level != null ? level : inner.level();
            logger = inner.logger();
            pid = pid >= 0 ? pid : inner.pid();
            message = inner.message();
        }
        return new LogLine(Format.SYSLOG_RFC3164, level, pri, null, host, tag, pid, logger, null, null, message, null);
    }

    /** The index after {@code Mmm dd hh:mm:ss } or {@code YYYY-MM-DDThh:mm:ss... } at {@code p}; -1 if none. */
    private static int timestamp3164(String s, int p) {
        if (p + 16 <= s.length() && s.charAt(p + 3) == ' ' && s.charAt(p + 6) == ' ' && s.charAt(p + 15) == ' ') {
            String month = s.substring(p, p + 3);
            boolean known = false;
            for (String m : MONTHS) {
                known |= m.equals(month);
            }
            char d1 = s.charAt(p + 4);
            if (known && (d1 == ' ' || isDigit(d1)) && isDigit(s.charAt(p + 5)) && clock(s, p + 7)) {
                return p + 16;
            }
        }
        if (p + 20 <= s.length() && isDigit(s.charAt(p)) && s.charAt(p + 4) == '-' && s.charAt(p + 7) == '-'
                && s.charAt(p + 10) == 'T' && clock(s, p + 11)) {
            int sp = s.indexOf(' ', p + 19);
            return sp > 0 && sp - p <= 40 ? sp + 1 : -1;
        }
        return -1;
    }

    private static boolean clock(String s, int p) {
        return isDigit(s.charAt(p)) && isDigit(s.charAt(p + 1)) && s.charAt(p + 2) == ':' && isDigit(s.charAt(p + 3))
                && isDigit(s.charAt(p + 4)) && s.charAt(p + 5) == ':' && isDigit(s.charAt(p + 6))
                && isDigit(s.charAt(p + 7));
    }

    /**
     * Whether a TAG ({@code name:} or {@code name[pid]:}, then a space or the end) starts at {@code p};
     * sets {@code end[0]} to the index of the colon and {@code end[1]} to the message's start.
     */
    private static boolean tag(String s, int p, int[] end) {
        int limit = Math.min(s.length(), p + MAX_TAG);
        for (int i = p; i < limit; i++) {
            char c = s.charAt(i);
            if (c == ':' && i > p) {
                if (i + 1 < s.length() && s.charAt(i + 1) != ' ') {
                    return false;
                }
                end[0] = i;
                end[1] = Math.min(i + 2, s.length());
                return true;
            }
            if (c == '[' && i > p) {
                int close = s.indexOf(']', i);
                if (close < 0 || close - i > 12 || digits(s, i + 1, close) < 0 || close + 1 >= s.length()
                        || s.charAt(close + 1) != ':') {
                    return false;
                }
                end[0] = close + 1;
                end[1] = Math.min(close + 3, s.length());
                return close + 2 >= s.length() || s.charAt(close + 2) == ' ';
            }
            if (c <= ' ' || c == ']' || c == '<' || c == '>') {
                return false;
            }
        }
        return false;
    }

    /**
     * Kamailio/OpenSIPS: an optional {@code Mmm dd hh:mm:ss}, an optional {@code rank(pid)} or
     * {@code [pid]}, then a level word and a colon: {@code ERROR: <core> [core/x.c:1]: f(): text},
     * {@code ERROR: tm [t_reply.c:1]: ...}, {@code ERROR:tm:t_reply: text}. Null without the level word.
     */
    private static LogLine sipServer(String s) {
        int p = 0;
        int ts = timestamp3164(s, 0);
        if (ts > 0) {
            p = ts;
        }
        while (p < s.length() && p < 16 && s.charAt(p) == ' ') {
            p++;
        }
        long pid = -1;
        int open = p < s.length() && isDigit(s.charAt(p)) ? s.indexOf('(', p) : -1;
        if (open > p && open - p <= 10 && digits(s, p, open) >= 0) {
            int close = s.indexOf(')', open);
            if (close > open + 1 && close - open <= 11 && close + 1 < s.length() && s.charAt(close + 1) == ' ') {
                pid = digitsLong(s.substring(open + 1, close));
                p = close + 2;
            }
        } else if (p < s.length() && s.charAt(p) == '[') {
            int close = s.indexOf(']', p);
            if (close > p + 1 && close - p <= 11 && close + 1 < s.length() && s.charAt(close + 1) == ' ') {
                pid = digitsLong(s.substring(p + 1, close));
                p = pid < 0 ? p : close + 2;
            }
        }
        int colon = -1;
        for (int i = p; i < Math.min(s.length(), p + 9); i++) {
            char c = s.charAt(i);
            if (c == ':') {
                colon = i;
                break;
            }
            if (c < 'A' || c > 'Z') {
                break;
            }
        }
        String level = colon > p ? levelWord(s.substring(p, colon)) : null;
        if (level == null) {
            return null;
        }
        p = colon + 1;
        String logger = null;
        if (p < s.length() && s.charAt(p) != ' ') {
            int c2 = identifierEnd(s, p);                   // OpenSIPS: LEVEL:module:function: text
            if (c2 > p && c2 < s.length() && s.charAt(c2) == ':') {
                logger = s.substring(p, c2);
                p = c2 + 1;
            }
        } else {
            while (p < s.length() && s.charAt(p) == ' ' && p < colon + 4) {
                p++;
            }
            if (p < s.length() && s.charAt(p) == '<') {   // Kamailio: LEVEL: <module> [file:line]: ...
                int gt = s.indexOf('>', p);
                if (gt > p + 1 && gt - p <= 64 && identifierEnd(s, p + 1) == gt) {
                    logger = s.substring(p + 1, gt);
                    p = gt + 1;
                    if (p < s.length() && s.charAt(p) == ':') {
                        p++; // "<script>: text"
                    }
                }
            } else {                                         // Kamailio: LEVEL: module [file:line]: ...
                int end = identifierEnd(s, p);
                if (end > p && end + 1 < s.length() && s.charAt(end) == ' ' && s.charAt(end + 1) == '[') {
                    logger = s.substring(p, end);
                    p = end;
                }
            }
        }
        while (p < s.length() && s.charAt(p) == ' ') {
            p++;
        }
        return new LogLine(Format.SIP_SERVER, level, -1, null, null, null, pid, logger, null, null,
                trimEnd(s.substring(p)), null);
    }

    /** A log level word's ECS/syslog name: ERROR → err, WARN → warning, DBG → debug, BUG → crit; null if not one. */
    static String levelWord(String w) {
        return switch (w) {
            case "EMERG", "EMERGENCY", "PANIC" -> "emerg";
            case "ALERT" -> "alert";
            case "CRIT", "CRITICAL", "BUG", "FATAL" -> "crit";
            case "ERR", "ERROR" -> "err";
            case "WARN", "WARNING" -> "warning";
            case "NOTICE" -> "notice";
            case "INFO" -> "info";
            case "DBG", "DEBUG" -> "debug";
            default -> null;
        };
    }

    // ------------------------------------------------------------------ JSON

    /** The well-known keys of a JSON event: level/severity, host/hostname, pid, msg/message. */
    static LogLine json(JsonNode json) {
        if (json == null || !json.isObject()) {
            return new LogLine(Format.JSON, null, -1, null, null, null, -1, null, null, null, null, json);
        }
        String level = jsonLevel(first(json, "level", "severity"));
        JsonNode host = first(json, "host", "hostname");
        JsonNode pid = json.get("pid");
        long p = -1;
        if (pid != null && pid.canConvertToLong() && pid.isIntegralNumber()) {
            p = pid.asLong();
        } else if (pid != null && pid.isTextual() && pid.asText().length() <= 18) {
            p = digitsLong(pid.asText());
        }
        JsonNode msg = first(json, "msg", "message");
        return new LogLine(Format.JSON, level, -1, null, text(host, MAX_TOKEN), null, p, null, null, null,
                msg != null && msg.isTextual() ? msg.asText() : null, json);
    }

    private static JsonNode first(JsonNode json, String a, String b) {
        JsonNode n = json.get(a);
        return n != null && !n.isNull() ? n : json.get(b);
    }

    private static String text(JsonNode n, int max) {
        return n != null && n.isTextual() && !n.asText().isEmpty() && n.asText().length() <= max ? n.asText() : null;
    }

    /** A JSON level: a syslog severity number, a known word (any case) as its syslog name, else lower-cased. */
    static String jsonLevel(JsonNode n) {
        if (n == null) {
            return null;
        }
        if (n.isIntegralNumber()) {
            int v = n.asInt(-1);
            return v >= 0 && v < 8 && n.canConvertToInt() ? SEVERITIES[v] : null;
        }
        String t = text(n, MAX_LEVEL);
        if (t == null) {
            return null;
        }
        String upper = t.toUpperCase(Locale.ROOT);
        String known = levelWord(upper);
        if (known != null) {
            return known;
        }
        return switch (upper) {
            case "INFORMATION", "INFORMATIONAL" -> "info";
            default -> {
                for (String sev : SEVERITIES) {
                    if (sev.equalsIgnoreCase(t)) {
                        yield sev;
                    }
                }
                yield t.toLowerCase(Locale.ROOT);
            }
        };
    }

    // ------------------------------------------------------------------ helpers

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The decimal value of {@code s[from, to)} (at most 9 digits), or -1. */
    private static int digits(String s, int from, int to) {
        if (to <= from || to - from > 9) {
            return -1;
        }
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** The value of an all-digit string of at most 18 digits, or -1. */
    static long digitsLong(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** The end of a run of [A-Za-z0-9_.-] starting at {@code p}, at most 64 long (else {@code p}). */
    private static int identifierEnd(String s, int p) {
        int i = p;
        while (i < s.length() && i - p <= 64) {
            char c = s.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || c == '_' || c == '.' || c == '-') {
                i++;
            } else {
                return i;
            }
        }
        return i - p > 64 ? p : i;
    }

    private static String nil(String field) {
        return "-".equals(field) ? null : field;
    }

    private static String trimEnd(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return end == s.length() ? s : s.substring(0, end);
    }
}
