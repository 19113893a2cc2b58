package io.hepstack.collector.api;

import static io.hepstack.collector.es.QueryClauses.anyTerm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Collection;
import java.util.List;

/**
 * The Elasticsearch query bodies of the call API, built as JSON text (no client types), so they
 * can be tested without Elasticsearch. Field names are those of index-templates/.
 */
public final class CallQueries {

    /** Where TDRs live. */
    public static final String TDR_INDICES = "hep-tdr-*";
    /** Where the messages of a call live (SIP, RTCP/QoS, LOG/JSON/other). */
    public static final String MESSAGE_INDICES = "hep-sip-*,hep-rtcp-*,hep-log-*";

    /** Fields a user name or number is looked up in. */
    static final List<String> USER_FIELDS = List.of("tdr.caller.user", "tdr.callee.user", "tdr.request_uri.user",
            "tdr.caller.number.e164", "tdr.callee.number.e164", "tdr.caller.pai");
    /** Fields an address is looked up in (ip-typed). */
    static final List<String> IP_FIELDS = List.of("source.ip", "destination.ip", "tdr.caller.ip", "tdr.callee.ip");

    private final ObjectMapper mapper;

    public CallQueries(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The TDRs of a call: its own, and those of legs that name it as linked. */
    public String tdrsOfCall(String callId, int size) {
        ObjectNode root = mapper.createObjectNode();
        root.put("size", size);
        ObjectNode bool = root.putObject("query").putObject("bool");
        ArrayNode should = bool.putArray("should");
        for (String f : List.of("tdr.call_id", "tdr.call_ids", "tdr.linked_call_ids")) {
            should.addObject().putObject("term").put(f, callId);
        }
        bool.put("minimum_should_match", 1);
        sortByTime(root, "asc");
        return root.toString();
    }

    /**
     * Every message of these calls, in capture order: SIP by {@code sip.call_id}, others by
     * {@code call.id}, anything by {@code hep.correlation_id}; within [{@code fromIso}, {@code toIso}]
     * when given (ISO-8601, inclusive).
     */
    public String messagesOfCalls(Collection<String> callIds, String fromIso, String toIso, int size) {
        ObjectNode root = mapper.createObjectNode();
        root.put("size", size);
        ObjectNode bool = root.putObject("query").putObject("bool");
        ArrayNode should = bool.putArray("should");
        for (String f : List.of("sip.call_id", "call.id", "hep.correlation_id")) {
            ArrayNode values = should.addObject().putObject("terms").putArray(f);
            callIds.forEach(values::add);
        }
        bool.put("minimum_should_match", 1);
        if (fromIso != null || toIso != null) {
            bool.putArray("filter").add(range("@timestamp", fromIso, toIso));
        }
        sortByTime(root, "asc");
        return root.toString();
    }

    /**
     * A TDR search; every parameter may be null. A user matches any of {@link #USER_FIELDS} (a
     * number given as digits also matches its {@code +digits} e.164 form), an address any of
     * {@link #IP_FIELDS}. Newest first.
     */
    public String searchTdrs(String fromIso, String toIso, List<String> statuses, String user, String ip, String type,
                             int size) {
        ObjectNode root = mapper.createObjectNode();
        root.put("size", size);
        root.put("track_total_hits", true);
        ObjectNode bool = root.putObject("query").putObject("bool");
        ArrayNode filter = bool.putArray("filter");
        if (fromIso != null || toIso != null) {
            filter.add(range("@timestamp", fromIso, toIso));
        }
        if (statuses != null && !statuses.isEmpty()) {
            ArrayNode v = filter.addObject().putObject("terms").putArray("tdr.status");
            statuses.forEach(v::add);
        }
        if (type != null) {
            filter.addObject().putObject("term").put("tdr.type", type);
        }
        if (user != null) {
            filter.add(anyTerm(USER_FIELDS, digits(user) ? List.of(user, "+" + user) : List.of(user)));
        }
        if (ip != null) {
            filter.add(anyTerm(IP_FIELDS, List.of(ip)));
        }
        sortByTime(root, "desc");
        return root.toString();
    }

    private static boolean digits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private ObjectNode range(String field, String fromIso, String toIso) {
        ObjectNode clause = mapper.createObjectNode();
        ObjectNode r = clause.putObject("range").putObject(field);
        if (fromIso != null) {
            r.put("gte", fromIso);
        }
        if (toIso != null) {
            r.put("lte", toIso);
        }
        r.put("format", "strict_date_optional_time_nanos");
        return clause;
    }

    private static void sortByTime(ObjectNode root, String order) {
        root.putArray("sort").addObject().putObject("@timestamp").put("order", order);
    }
}
