package io.hepstack.collector.api.search;

import io.hepstack.collector.security.DataScope;

import java.util.List;
import java.util.Map;

/**
 * The two search tiers (like HEPIC): calls and transactions (TDRs), and the raw messages of every
 * protocol. Each names its indices, its scope target, which fields each filter looks in, and the
 * fields a result may be sorted by (API name → Elasticsearch field and its type, for indices where
 * a field is not mapped). Field names are those of index-templates/.
 */
public enum Tier {

    CALLS("hep-tdr-*", DataScope.Target.TDRS,
            List.of("tdr.call_id", "tdr.call_ids", "tdr.linked_call_ids"),
            List.of("tdr.caller.user", "tdr.caller.number.e164", "tdr.caller.pai"),
            List.of("tdr.callee.user", "tdr.callee.number.e164", "tdr.request_uri.user"),
            List.of("source.ip", "destination.ip", "tdr.caller.ip", "tdr.callee.ip"),
            List.of("tdr.call_id", "tdr.caller.user", "tdr.callee.user", "tdr.caller.display", "tdr.callee.display",
                    "tdr.final_reason", "user_agent.original", "tdr.caller.domain", "tdr.callee.domain"),
            List.of(),
            Map.ofEntries(
                    Map.entry("time", new SortField("@timestamp", "date_nanos")),
                    Map.entry("start", new SortField("@timestamp", "date_nanos")),
                    Map.entry("end", new SortField("tdr.end", "date_nanos")),
                    Map.entry("status", new SortField("tdr.status", "keyword")),
                    Map.entry("final_code", new SortField("tdr.final_code", "short")),
                    Map.entry("caller", new SortField("tdr.caller.user", "keyword")),
                    Map.entry("callee", new SortField("tdr.callee.user", "keyword")),
                    Map.entry("src_ip", new SortField("source.ip", "ip")),
                    Map.entry("dst_ip", new SortField("destination.ip", "ip")),
                    Map.entry("duration_ms", new SortField("tdr.duration_ms", "long")),
                    Map.entry("pdd_ms", new SortField("tdr.setup_ms", "long")),
                    Map.entry("mos", new SortField("qos.mos", "float")),
                    Map.entry("cost", new SortField("rating.cost", "double")),
                    Map.entry("node", new SortField("hep.node", "keyword")),
                    Map.entry("user_agent", new SortField("user_agent.original", "keyword")),
                    Map.entry("call_id", new SortField("tdr.call_id", "keyword")))),

    MESSAGES("hep-sip-*,hep-rtcp-*,hep-log-*,hep-dns-*,hep-rtcpxr-*", DataScope.Target.MESSAGES,
            List.of("sip.call_id", "call.id", "hep.correlation_id"),
            List.of("sip.from.uri.username", "sip.from.number.e164", "sip.pai.uri.username", "sip.pai.number.e164"),
            List.of("sip.to.uri.username", "sip.to.number.e164", "sip.uri.username", "sip.uri.number.e164"),
            List.of("source.ip", "destination.ip"),
            // display names and From/To URIs as written are on full documents only (pipeline.messageFields)
            List.of("sip.call_id", "sip.uri.original", "sip.from.uri.username", "sip.from.uri.host",
                    "sip.to.uri.username", "sip.to.uri.host", "sip.from.uri.original", "sip.to.uri.original",
                    "sip.from.display_info", "sip.to.display_info", "sip.user_agent.original", "sip.server.original",
                    "sip.status", "call.id"),
            List.of("message", "payload.text"),
            Map.ofEntries(
                    Map.entry("time", new SortField("@timestamp", "date_nanos")),
                    Map.entry("protocol", new SortField("event.dataset", "keyword")),
                    Map.entry("method", new SortField("sip.method", "keyword")),
                    Map.entry("code", new SortField("sip.code", "short")),
                    Map.entry("call_id", new SortField("sip.call_id", "keyword")),
                    Map.entry("src_ip", new SortField("source.ip", "ip")),
                    Map.entry("dst_ip", new SortField("destination.ip", "ip")),
                    Map.entry("node", new SortField("hep.node", "keyword")),
                    Map.entry("capture_id", new SortField("hep.capture_id", "long"))));

    /** An Elasticsearch sort field and the type to assume where an index does not map it. */
    public record SortField(String field, String unmappedType) {
    }

    private final String indices;
    private final DataScope.Target target;
    final List<String> callIdFields;
    final List<String> callerFields;
    final List<String> calleeFields;
    final List<String> ipFields;
    /** keyword fields free text is looked for in (case-insensitive, anywhere in the value) */
    final List<String> textKeywordFields;
    /** text fields free text is matched against */
    final List<String> textFields;
    private final Map<String, SortField> sorts;

    Tier(String indices, DataScope.Target target, List<String> callIdFields, List<String> callerFields,
         List<String> calleeFields, List<String> ipFields, List<String> textKeywordFields, List<String> textFields,
         Map<String, SortField> sorts) {
        this.indices = indices;
        this.target = target;
        this.callIdFields = callIdFields;
        this.callerFields = callerFields;
        this.calleeFields = calleeFields;
        this.ipFields = ipFields;
        this.textKeywordFields = textKeywordFields;
        this.textFields = textFields;
        this.sorts = sorts;
    }

    public String indices() {
        return indices;
    }

    /** The fields a caller search looks in (a term query on each, for every written form of the number). */
    public List<String> callerFields() {
        return callerFields;
    }

    /** The fields a callee search looks in. */
    public List<String> calleeFields() {
        return calleeFields;
    }

    public DataScope.Target target() {
        return target;
    }

    /** The sort field of an API name; null when this tier cannot sort by it. */
    public SortField sortField(String name) {
        return sorts.get(name);
    }

    public java.util.Set<String> sortNames() {
        return new java.util.TreeSet<>(sorts.keySet());
    }
}
