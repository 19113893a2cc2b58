package io.hepstack.collector.api.callview;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the messages of a call into a ladder: columns (one per host, by {@code IP:port} or per
 * address named by its capture node) and rows in capture order with microsecond times and the
 * delta to the previous drawn row. What HOMER users miss is decided here, once, for the JSON
 * view, the SVG/PNG images and the text export alike:
 * <ul>
 * <li>order: time in µs, equal times in the correlator's order, then by id — never by ms;</li>
 * <li>legs: each Call-ID of a B2BUA call is a leg (the order given), so one ladder shows them all;</li>
 * <li>a SIP message seen again from the same capture point is a {@code retransmission} (drawn,
 * marked); the same message seen by another capture point is a copy ({@code copyOf} the first
 * row, not drawn twice: it has no delta of its own);</li>
 * <li>RTCP/QoS reports and log lines are rows of their own kind carrying MOS, jitter and loss;
 * a log line sits on its source's column when that host is in the ladder (else on the first column:
 * a log server's address is no host of the call).</li>
 * </ul>
 * Pure and not thread-safe; one instance per layout.
 */
public final class LadderLayout {

    /** How columns are made. */
    public enum Grouping {
        /** one column per IP:port */
        IP,
        /** one column per IP address, labelled with the capture node seen sending from it */
        NODE;

        public static Grouping of(String s) {
            if (s == null || s.isBlank() || s.equalsIgnoreCase("ip")) {
                return IP;
            }
            if (s.equalsIgnoreCase("node")) {
                return NODE;
            }
            throw new IllegalArgumentException("group must be ip or node: '" + s + "'");
        }
    }

    public record Column(String id, String label, String ip, int port, String node) {
    }

    /**
     * @param from/to        column ids
     * @param deltaUs        µs since the previous row that is not a copy (0 for the first)
     * @param statusClass    request, 1xx .. 6xx, or null for non-SIP rows
     * @param copyOf         the id of the row this one copies, or null
     */
    public record Row(String id, String index, String kind, long micros, long deltaUs, String from, String to,
                      boolean selfLoop, String label, int leg, String callId, String method, int code,
                      String statusClass, boolean retransmission, String copyOf, double mos, double jitterMs,
                      double lossPct) {
        /** Drawn as an arrow of its own (copies are not, unless asked). */
        public boolean drawn() {
            return copyOf == null;
        }
    }

    public record Ladder(List<Column> columns, List<Row> rows) {
    }

    private final Grouping grouping;
    private final Map<String, Integer> legs = new HashMap<>();

    /** @param legCallIds the Call-IDs of the legs, leg 0 first */
    public LadderLayout(Grouping grouping, List<String> legCallIds) {
        this.grouping = grouping;
        for (String id : legCallIds) {
            legs.putIfAbsent(id, legs.size());
        }
    }

    public Ladder layout(List<LadderMessage> messages) {
        List<LadderMessage> sorted = new ArrayList<>(messages);
        sorted.sort(Comparator.comparingLong(LadderMessage::micros).thenComparingInt(LadderMessage::rank)
                .thenComparing(LadderMessage::id));
        Map<String, String> aliases = grouping == Grouping.NODE ? aliases(sorted) : Map.of();
        Map<String, Column> columns = new LinkedHashMap<>();
        // per message content and direction: the row ids each capture point has seen, in order
        Map<String, Map<String, List<String>>> seen = new HashMap<>();
        List<Row> rows = new ArrayList<>();
        long previous = Long.MIN_VALUE;
        for (LadderMessage m : sorted) {
            String from;
            String to;
            if ("log".equals(m.kind())) {
                // a log line sits on its source's column when that host is in the ladder, else on the first
                Column known = columns.get(key(m.srcIp() == null ? "?" : m.srcIp(), m.srcPort()));
                from = known != null || columns.isEmpty() ? column(columns, m.srcIp(), m.srcPort(), aliases)
                        : columns.values().iterator().next().id();
                to = from;
            } else {
                from = column(columns, m.srcIp(), m.srcPort(), aliases);
                to = m.dstIp() == null ? from : column(columns, m.dstIp(), m.dstPort(), aliases);
            }
            boolean retransmission = false;
            String copyOf = null;
            if ("sip".equals(m.kind()) && m.fingerprint() != null) {
                String key = m.fingerprint() + '\u0000' + m.srcIp() + ':' + m.srcPort() + '>' + m.dstIp() + ':' + m.dstPort();
                Map<String, List<String>> byPoint = seen.computeIfAbsent(key, k -> new LinkedHashMap<>());
                List<String> mine = byPoint.computeIfAbsent(String.valueOf(m.capturePoint()), k -> new ArrayList<>());
                int n = mine.size(); // this is the (n+1)-th time this capture point sees it
                retransmission = n > 0;
                for (Map.Entry<String, List<String>> e : byPoint.entrySet()) {
                    if (e.getValue() != mine && e.getValue().size() > n) {
                        copyOf = e.getValue().get(n);
                        break;
                    }
                }
                mine.add(copyOf != null ? copyOf : m.id());
            }
            long delta = copyOf != null || previous == Long.MIN_VALUE ? 0 : m.micros() - previous;
            if (copyOf == null) {
                previous = m.micros();
            }
            boolean self = from.equals(to) && !"log".equals(m.kind());
            rows.add(new Row(m.id(), m.index(), m.kind(), m.micros(), delta, from, to, self, label(m),
                    legs.getOrDefault(m.callId(), 0), m.callId(), m.method(), m.code(), statusClass(m),
                    retransmission, copyOf, m.mos(), m.jitterMs(), m.lossPct()));
        }
        return new Ladder(List.copyOf(columns.values()), rows);
    }

    /** {@code INVITE (SDP)}, {@code 183 Session Progress}, {@code 200 OK (SDP)}; a report's or log line's summary. */
    static String label(LadderMessage m) {
        if (!"sip".equals(m.kind())) {
            return m.summary() == null ? m.kind() : m.summary();
        }
        String base;
        if (m.code() > 0) {
            base = m.code() + (m.reason() == null || m.reason().isEmpty() ? "" : " " + m.reason());
        } else {
            base = m.method() == null ? "?" : m.method();
        }
        return m.sdp() ? base + " (SDP)" : base;
    }

    static String statusClass(LadderMessage m) {
        if (!"sip".equals(m.kind())) {
            return null;
        }
        if (m.code() <= 0) {
            return "request";
        }
        return (m.code() / 100) + "xx";
    }

    private String column(Map<String, Column> columns, String ip, int port, Map<String, String> aliases) {
        String host = ip == null ? "?" : ip;
        String key = key(host, port);
        Column c = columns.get(key);
        if (c == null) {
            String node = aliases.get(host);
            String label = grouping == Grouping.IP ? key : node != null ? node + " (" + host + ")" : host;
            c = new Column("c" + columns.size(), label, ip, grouping == Grouping.IP ? port : -1, node);
            columns.put(key, c);
        }
        return c.id();
    }

    private String key(String host, int port) {
        return grouping == Grouping.IP ? endpoint(host, port) : host;
    }

    private static String endpoint(String ip, int port) {
        String host = ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip;
        return port >= 0 ? host + ":" + port : host;
    }

    /** The capture node that sent most SIP from each address: that host's name in the ladder. */
    private static Map<String, String> aliases(List<LadderMessage> messages) {
        Map<String, Map<String, Integer>> counts = new HashMap<>();
        for (LadderMessage m : messages) {
            if (m.node() != null && m.srcIp() != null && "sip".equals(m.kind())) {
                counts.computeIfAbsent(m.srcIp(), k -> new HashMap<>()).merge(m.node(), 1, Integer::sum);
            }
        }
        Map<String, String> out = new HashMap<>();
        counts.forEach((ip, byNode) -> out.put(ip, byNode.entrySet().stream()
                .max(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
                .orElseThrow().getKey()));
        return out;
    }

    /** The status class of a code, for callers outside the ladder. */
    public static String statusClassOf(int code) {
        return code <= 0 ? "request" : String.format(Locale.ROOT, "%dxx", code / 100);
    }
}
