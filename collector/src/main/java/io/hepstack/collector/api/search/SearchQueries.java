package io.hepstack.collector.api.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hepstack.collector.document.Timestamps;
import io.hepstack.collector.es.QueryClauses;
import io.hepstack.collector.protocol.sip.ReasonPhrases;

import java.util.Collection;
import java.util.List;

/**
 * The Elasticsearch query of a search (JSON, no client types, so it is tested without
 * Elasticsearch): every given filter is a {@code bool.filter} clause; the quick search looks in the
 * fields of its {@link QuickSearch.Kind}. The caller adds the user's scope clause to the same filter.
 */
public final class SearchQueries {

    private final ObjectMapper mapper;

    public SearchQueries(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * The {@code query} object.
     *
     * @param fraudCallIds the Call-IDs that have a fraud alert, when {@code p.fraud()} is given
     * @return the query and its {@code bool.filter} array (for the scope clause)
     */
    public ObjectNode query(SearchParams p, Collection<String> fraudCallIds) {
        Tier t = p.tier();
        ObjectNode query = mapper.createObjectNode();
        ObjectNode bool = query.putObject("bool");
        ArrayNode filter = bool.putArray("filter");
        Timestamps ts = new Timestamps();
        ObjectNode range = filter.addObject().putObject("range").putObject("@timestamp");
        range.put("gte", ts.iso(p.fromMicros()));
        range.put("lte", ts.iso(p.toMicros()));
        range.put("format", "strict_date_optional_time_nanos");

        QuickSearch q = p.quick();
        if (q != null) {
            switch (q.kind()) {
                case CALL_ID -> filter.add(anyTerm(t.callIdFields, List.of(q.text())));
                case IP -> filter.add(anyTerm(t.ipFields, List.of(q.text())));
                case NUMBER -> filter.add(anyTerm(concat(t.callerFields, t.calleeFields), numberForms(q.user())));
                case TEXT -> filter.add(text(t, q.text()));
            }
        }
        if (!p.statuses().isEmpty()) {
            filter.add(anyTerm(List.of("tdr.status"), p.statuses()));
        }
        if (!p.methods().isEmpty()) {
            filter.add(anyTerm(t == Tier.CALLS ? List.of("tdr.messages.methods") : List.of("sip.method", "sip.cseq.method"),
                    p.methods()));
        }
        if (!p.codes().isEmpty()) {
            filter.add(anyTerm(List.of(t == Tier.CALLS ? "tdr.final_code" : "sip.code"), p.codes()));
        }
        if (p.caller() != null) {
            filter.add(anyTerm(t.callerFields, userForms(p.caller())));
        }
        if (p.callee() != null) {
            filter.add(anyTerm(t.calleeFields, userForms(p.callee())));
        }
        if (p.ip() != null) {
            filter.add(anyTerm(t.ipFields, List.of(p.ip())));
        }
        if (p.node() != null) {
            filter.add(anyTerm(List.of(t == Tier.CALLS ? "tdr.nodes" : "hep.node"), List.of(p.node())));
        }
        if (!p.captureIds().isEmpty()) {
            filter.add(anyTerm(List.of(t == Tier.CALLS ? "tdr.capture_ids" : "hep.capture_id"), p.captureIds()));
        }
        if (p.domain() != null) {
            filter.add(anyTerm(t == Tier.CALLS ? List.of("tdr.caller.domain", "tdr.callee.domain", "tdr.request_uri.domain")
                    : List.of("sip.uri.host", "sip.from.uri.host", "sip.to.uri.host"), List.of(p.domain())));
        }
        if (p.ua() != null) {
            filter.add(contains(t == Tier.CALLS ? List.of("user_agent.original", "tdr.caller.user_agent", "tdr.callee.user_agent")
                    : List.of("sip.user_agent.original", "sip.server.original"), p.ua()));
        }
        if (p.mosBelow() != null) {
            filter.addObject().putObject("range").putObject("qos.mos").put("lt", p.mosBelow());
        }
        if (p.costAbove() != null) {
            filter.addObject().putObject("range").putObject("rating.cost").put("gt", p.costAbove());
        }
        if (!p.protocols().isEmpty()) {
            filter.add(anyTerm(List.of("event.dataset"), p.protocols().stream().map(s -> "hep." + s).toList()));
        }
        if (p.fraud() != null) {
            ObjectNode inAlerts = anyTerm(List.of("tdr.call_id"), fraudCallIds == null ? List.of() : fraudCallIds);
            if (p.fraud()) {
                filter.add(inAlerts);
            } else {
                bool.putArray("must_not").add(inAlerts);
            }
        }
        return query;
    }

    /** The {@code sort} array: the chosen field (missing values last), then newest first for ties. */
    public ArrayNode sort(SearchParams p) {
        ArrayNode sort = mapper.createArrayNode();
        Tier.SortField f = p.tier().sortField(p.sortName());
        ObjectNode s = sort.addObject().putObject(f.field());
        s.put("order", p.sortDesc() ? "desc" : "asc");
        s.put("missing", "_last");
        s.put("unmapped_type", f.unmappedType());
        if (!f.field().equals("@timestamp")) {
            sort.addObject().putObject("@timestamp").put("order", "desc");
        }
        return sort;
    }

    /** A number in the forms it is stored in: as given, and with/without the leading {@code +}. */
    static List<String> numberForms(String n) {
        if (n.startsWith("+")) {
            return List.of(n, n.substring(1));
        }
        if (n.chars().allMatch(Character::isDigit)) {
            return List.of(n, "+" + n);
        }
        return List.of(n);
    }

    private static List<String> userForms(String user) {
        String digits = QuickSearch.digits(user);
        return digits == null ? List.of(user) : numberForms(digits);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        java.util.ArrayList<String> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** One of {@code values} in one of {@code fields} ({@link QueryClauses#anyTerm}), as a plain {@code terms} clause when there is one field. */
    private ObjectNode anyTerm(List<String> fields, Collection<?> values) {
        if (fields.size() != 1) {
            return QueryClauses.anyTerm(fields, values);
        }
        ObjectNode clause = mapper.createObjectNode();
        QueryClauses.addAll(clause.putObject("terms").putArray(fields.get(0)), values);
        return clause;
    }

    /** Case-insensitive "contains" over keyword fields. */
    private ObjectNode contains(List<String> fields, String text) {
        ObjectNode clause = mapper.createObjectNode();
        ObjectNode bool = clause.putObject("bool");
        ArrayNode should = bool.putArray("should");
        String pattern = "*" + escapeWildcard(text) + "*";
        for (String f : fields) {
            ObjectNode w = should.addObject().putObject("wildcard").putObject(f);
            w.put("value", pattern);
            w.put("case_insensitive", true);
        }
        bool.put("minimum_should_match", 1);
        return clause;
    }

    /** Free text: contained in the tier's keyword fields, or matching its text fields (all words). */
    private ObjectNode text(Tier t, String text) {
        ObjectNode clause = contains(t.textKeywordFields, text);
        ArrayNode should = clause.path("bool").withArray("should");
        for (String f : t.textFields) {
            ObjectNode m = should.addObject().putObject("match").putObject(f);
            m.put("query", text);
            m.put("operator", "and");
        }
        List<Integer> codes = t.textKeywordFields.contains("sip.status") ? ReasonPhrases.containing(text) : List.of();
        if (!codes.isEmpty()) { // a lean response leaves out its code's registered phrase (LeanDefaults.status)
            ObjectNode lean = should.addObject().putObject("bool");
            QueryClauses.addAll(lean.putArray("filter").addObject().putObject("terms").putArray("sip.code"), codes);
            lean.putArray("must_not").addObject().putObject("exists").put("field", "sip.status");
        }
        return clause;
    }

    static String escapeWildcard(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '*' || c == '?' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }
}
