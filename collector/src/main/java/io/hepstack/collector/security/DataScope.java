package io.hepstack.collector.security;

import static io.hepstack.collector.es.QueryClauses.anyTerm;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hepstack.enricher.net.Cidr;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The part of the data a user may see: capture ids, capture node names, SIP domains, IP ranges
 * (CIDR) and number prefixes. An empty dimension does not restrict; a scope with every dimension
 * empty is {@link #UNRESTRICTED}. Several non-empty dimensions must all match (AND); the values of
 * one dimension are alternatives (OR).
 *
 * <p>Every search, call view, export, share link and live counter runs its Elasticsearch query
 * with {@link #filter(Target)} added as a {@code bool.filter} clause, so a scoped user can never
 * see, count or download another scope's data. A dimension a kind of document does not carry (an
 * alert has no capture node) matches nothing: a scope fails closed.
 */
public record DataScope(Set<Integer> captureIds, Set<String> nodes, Set<String> domains,
                        List<String> ipRanges, List<String> numberPrefixes) {

    public static final DataScope UNRESTRICTED = new DataScope(Set.of(), Set.of(), Set.of(), List.of(), List.of());

    /** The kinds of documents a query runs over; their fields differ. */
    public enum Target {
        /** Message documents: hep-sip-*, hep-rtcp-*, hep-log-*, ... */
        MESSAGES(List.of("hep.capture_id"), List.of("hep.node"),
                List.of("sip.from.uri.host", "sip.to.uri.host", "sip.uri.host"),
                List.of("source.ip", "destination.ip"),
                List.of("sip.from.number.e164", "sip.to.number.e164", "sip.uri.number.e164",
                        "sip.from.uri.username", "sip.to.uri.username", "sip.uri.username")),
        /** Call/transaction records: hep-tdr-*. */
        TDRS(List.of("tdr.capture_ids"), List.of("tdr.nodes"),
                List.of("tdr.caller.domain", "tdr.callee.domain", "tdr.request_uri.domain"),
                List.of("tdr.caller.ip", "tdr.callee.ip"),
                List.of("tdr.caller.number.e164", "tdr.callee.number.e164", "tdr.caller.user", "tdr.callee.user",
                        "tdr.request_uri.user")),
        /** Fraud alerts: hep-alert-*; they carry no capture id, node or domain. */
        ALERTS(List.of(), List.of(), List.of(), List.of("alert.source_ip"), List.of("alert.user", "alert.called_number"));

        // the fields of index/MessageDocumentWriter, correlate/TdrDocumentWriter and index/AlertDocumentWriter
        private final List<String> captureIdFields;
        private final List<String> nodeFields;
        private final List<String> domainFields;
        private final List<String> ipFields;
        private final List<String> numberFields;

        /** The fields a number prefix looks in (a prefix query on each, with and without its '+'). */
        public List<String> numberFields() {
            return numberFields;
        }

        Target(List<String> captureIdFields, List<String> nodeFields, List<String> domainFields,
               List<String> ipFields, List<String> numberFields) {
            this.captureIdFields = captureIdFields;
            this.nodeFields = nodeFields;
            this.domainFields = domainFields;
            this.ipFields = ipFields;
            this.numberFields = numberFields;
        }
    }

    /** Null dimensions (absent in a users file) are empty; IP ranges must be valid CIDR. */
    public DataScope {
        captureIds = captureIds == null ? Set.of() : Set.copyOf(captureIds);
        nodes = nodes == null ? Set.of() : Set.copyOf(nodes);
        domains = domains == null ? Set.of() : Set.copyOf(domains);
        ipRanges = ipRanges == null ? List.of() : List.copyOf(ipRanges);
        numberPrefixes = numberPrefixes == null ? List.of() : List.copyOf(numberPrefixes);
        for (String r : ipRanges) {
            Cidr.parse(r); // throws IllegalArgumentException naming the bad range
        }
        for (String p : numberPrefixes) {
            if (p.isBlank()) {
                throw new IllegalArgumentException("a number prefix must not be empty");
            }
        }
    }

    public boolean unrestricted() {
        return captureIds.isEmpty() && nodes.isEmpty() && domains.isEmpty() && ipRanges.isEmpty() && numberPrefixes.isEmpty();
    }

    /**
     * The Elasticsearch query clause (JSON text, one query object) that keeps only this scope's
     * documents of the given kind; empty when the scope is unrestricted.
     */
    public Optional<String> filter(Target target) {
        return filterNode(target).map(ObjectNode::toString);
    }

    /** {@link #filter(Target)} as a JSON tree, for callers building their query with Jackson. */
    public Optional<ObjectNode> filterNode(Target target) {
        if (unrestricted()) {
            return Optional.empty();
        }
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode root = json.objectNode();
        ArrayNode all = root.putObject("bool").putArray("filter");
        if (!captureIds.isEmpty()) {
            all.add(anyTerm(target.captureIdFields, captureIds.stream().sorted().map(String::valueOf).toList()));
        }
        if (!nodes.isEmpty()) {
            all.add(anyTerm(target.nodeFields, nodes.stream().sorted().toList()));
        }
        if (!domains.isEmpty()) {
            // domains are stored as written; operators write them in lower case, SIP hosts mostly are
            all.add(anyTerm(target.domainFields, domains.stream().sorted().toList()));
        }
        if (!ipRanges.isEmpty()) {
            all.add(anyTerm(target.ipFields, ipRanges)); // ip-typed fields take CIDR in term queries
        }
        if (!numberPrefixes.isEmpty()) {
            all.add(anyPrefix(target.numberFields, numberPrefixes));
        }
        return Optional.of(root);
    }

    /**
     * Restricts a search body ({@code {"query": ..., "size": ...}}) to this scope: its query becomes
     * {@code bool{must: [query], filter: [scope]}}. Unchanged when unrestricted; returns {@code body}.
     */
    public ObjectNode restrict(ObjectNode body, Target target) {
        Optional<ObjectNode> f = filterNode(target);
        if (f.isEmpty()) {
            return body;
        }
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode bool = json.objectNode();
        if (body.hasNonNull("query")) {
            bool.putArray("must").add(body.get("query"));
        }
        bool.putArray("filter").add(f.get());
        body.set("query", json.objectNode().set("bool", bool));
        return body;
    }

    /** A prefix matches with and without its '+': e.164 fields have it, SIP user parts often not. */
    private static ObjectNode anyPrefix(List<String> fields, List<String> prefixes) {
        ObjectNode clause = JsonNodeFactory.instance.objectNode();
        ObjectNode bool = clause.putObject("bool");
        ArrayNode should = bool.putArray("should");
        Set<String> variants = new java.util.TreeSet<>();
        for (String p : prefixes) {
            String digits = p.startsWith("+") ? p.substring(1) : p;
            variants.add(p);
            if (!digits.isEmpty() && Character.isDigit(digits.charAt(0))) {
                variants.add(digits);
                variants.add("+" + digits);
            }
        }
        for (String f : fields) {
            for (String v : variants) {
                should.addObject().putObject("prefix").put(f, v);
            }
        }
        bool.put("minimum_should_match", 1);
        return clause;
    }
}
