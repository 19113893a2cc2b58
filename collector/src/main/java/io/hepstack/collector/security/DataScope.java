package io.hepstack.collector.security;

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
 * see, count or download another scope's data.
 */
public record DataScope(Set<Integer> captureIds, Set<String> nodes, Set<String> domains,
                        List<String> ipRanges, List<String> numberPrefixes) {

    public static final DataScope UNRESTRICTED = new DataScope(Set.of(), Set.of(), Set.of(), List.of(), List.of());

    /** The kinds of documents a query runs over; their fields differ. */
    public enum Target {
        /** Message documents: hep-sip-*, hep-rtcp-*, hep-log-*, ... */
        MESSAGES,
        /** Call/transaction records: hep-tdr-*. */
        TDRS,
        /** Fraud alerts: hep-alert-*. */
        ALERTS
    }

    public DataScope {
        captureIds = Set.copyOf(captureIds);
        nodes = Set.copyOf(nodes);
        domains = Set.copyOf(domains);
        ipRanges = List.copyOf(ipRanges);
        numberPrefixes = List.copyOf(numberPrefixes);
    }

    public boolean unrestricted() {
        return captureIds.isEmpty() && nodes.isEmpty() && domains.isEmpty() && ipRanges.isEmpty() && numberPrefixes.isEmpty();
    }

    /**
     * The Elasticsearch query clause (JSON text, one query object) that keeps only this scope's
     * documents of the given kind; empty when the scope is unrestricted.
     */
    public Optional<String> filter(Target target) {
        if (unrestricted()) {
            return Optional.empty();
        }
        // the security work (issue #16) writes the field mapping per target
        throw new UnsupportedOperationException("scoped queries are not implemented yet");
    }
}
