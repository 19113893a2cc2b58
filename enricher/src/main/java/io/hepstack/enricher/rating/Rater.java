package io.hepstack.enricher.rating;

import io.hepstack.enricher.net.Cidr;
import io.hepstack.enricher.reload.FileLoader;
import io.hepstack.enricher.reload.ReloadableFile;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Chooses a rate table for a call, finds the longest matching prefix and prices the call. */
public final class Rater {

    private final Map<String, ReloadableFile<RateTable>> tables;
    private final List<Rule> rules;
    private final String defaultTable;
    private final boolean chargeConnectFeeOnFailure;

    private record Rule(String table, List<Cidr> cidrs, Set<String> exactDomains, List<String> domainSuffixes,
                        Set<String> nodes) {
        boolean matches(RateQuery q) {
            if (!cidrs.isEmpty()) {
                if (q.sourceIp() == null || cidrs.stream().noneMatch(c -> c.contains(q.sourceIp()))) {
                    return false;
                }
            }
            if (!exactDomains.isEmpty() || !domainSuffixes.isEmpty()) {
                if (q.domain() == null) {
                    return false;
                }
                String d = q.domain().toLowerCase(Locale.ROOT);
                if (!exactDomains.contains(d) && domainSuffixes.stream().noneMatch(d::endsWith)) {
                    return false;
                }
            }
            return nodes.isEmpty() || (q.node() != null && nodes.contains(q.node()));
        }
    }

    public Rater(Map<String, ReloadableFile<RateTable>> tables, List<RatingRule> rules, String defaultTable,
                 boolean chargeConnectFeeOnFailure) {
        this.tables = new LinkedHashMap<>(tables);
        List<Rule> compiled = new ArrayList<>();
        for (RatingRule r : rules) {
            List<Cidr> cidrs = new ArrayList<>();
            for (String c : r.sourceCidrs) {
                cidrs.add(Cidr.parse(c));
            }
            Set<String> exact = new HashSet<>();
            List<String> suffixes = new ArrayList<>();
            for (String d : r.domains) {
                String l = d.strip().toLowerCase(Locale.ROOT);
                if (l.startsWith("*.")) {
                    suffixes.add(l.substring(1));
                } else {
                    exact.add(l);
                }
            }
            compiled.add(new Rule(r.table, List.copyOf(cidrs), Set.copyOf(exact), List.copyOf(suffixes),
                    Set.copyOf(r.nodes)));
        }
        this.rules = List.copyOf(compiled);
        this.defaultTable = defaultTable != null ? defaultTable
                : tables.isEmpty() ? null : tables.keySet().iterator().next();
        this.chargeConnectFeeOnFailure = chargeConnectFeeOnFailure;
    }

    /** The loader a table configuration asks for. */
    public static FileLoader<RateTable> loader(RateTableConfig t) {
        return switch (RateFormat.parse(t.format)) {
            case CSV -> new CsvRateLoader(t.name, t.currency, t.decimals);
            case ASTPP -> new AstppRateLoader(t.name, t.currency, t.decimals);
            case KAZOO -> new KazooRateLoader(t.name, t.currency, t.decimals, t.direction);
            case CGRATES -> new CgratesRateLoader(t.name, t.currency, t.ratingPlan);
        };
    }

    /** Name of the table the rules pick for {@code q} (the default when no rule matches). */
    public String selectTable(RateQuery q) {
        for (Rule r : rules) {
            if (r.matches(q)) {
                return r.table;
            }
        }
        return defaultTable;
    }

    /** The price of the call, or null when there is no callee, no table or no matching prefix. */
    public Rating rate(RateQuery q) {
        if (q == null || q.callee() == null) {
            return null;
        }
        String tableName = selectTable(q);
        ReloadableFile<RateTable> f = tableName == null ? null : tables.get(tableName);
        RateTable table = f == null ? null : f.current();
        if (table == null) {
            return null;
        }
        RateEntry e = table.find(q.callee(), q.callTime());
        if (e == null) {
            return null;
        }
        long billed;
        BigDecimal cost;
        if (q.answered()) {
            billed = e.billedSeconds(q.billableSeconds());
            cost = e.cost(q.billableSeconds());
        } else {
            billed = 0;
            cost = chargeConnectFeeOnFailure ? e.connectFeeOnly() : BigDecimal.ZERO.setScale(e.decimals(), e.rounding());
        }
        return new Rating(tableName, e.prefix(), e.destination(), e.ratePerMinute(), e.connectFee(),
                e.includedSeconds(), e.initialIncrement(), e.increment(), billed, cost, e.currency());
    }

    public Map<String, ReloadableFile<RateTable>> tables() {
        return tables;
    }
}
