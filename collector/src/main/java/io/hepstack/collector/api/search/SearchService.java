package io.hepstack.collector.api.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hepstack.collector.api.ApiErrors;
import io.hepstack.collector.api.SearchGuard;
import io.hepstack.collector.security.DataScope;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Runs the searches of both tiers, page by page: {@code search_after} over a point in time (so a
 * page never skips or repeats documents of equal sort values, and never uses from/size), counting
 * hits up to {@link #TRACK_TOTAL} on the first page ({@code total_relation: gte} above). The
 * user's scope is a filter of every query, including the fraud-alert look-ups.
 */
public final class SearchService {

    /** Hits are counted exactly up to this many (then "gte"). */
    public static final int TRACK_TOTAL = 10_000;
    /** How long a point in time stays open between two pages. */
    static final String KEEP_ALIVE = "2m";
    /** Alerts read to find the calls that have one (fraud=true/false). */
    static final int MAX_ALERT_CALLS = 10_000;
    static final String ALERT_INDICES = "hep-alert-*";

    private final SearchGuard es;
    private final ObjectMapper mapper;
    private final SearchQueries queries;

    public SearchService(SearchGuard es) {
        this.es = Objects.requireNonNull(es, "es");
        this.mapper = es.mapper();
        this.queries = new SearchQueries(mapper);
    }

    /** One page of results: the API's answer ({@code q_kind}, {@code total}, {@code hits}, {@code next}, ...). */
    public ObjectNode page(SearchParams p, DataScope scope) {
        Page page = fetch(p, scope, p.after() == null ? null : Cursor.decode(mapper, p.after(), p.tier(), p.sortText()), p.size(), false);
        ObjectNode out = mapper.createObjectNode();
        out.put("q_kind", p.quick() == null ? null : p.quick().kind().id());
        out.put("total", page.total);
        out.put("total_relation", page.relation);
        out.put("took_ms", page.tookMs);
        out.put("timed_out", false);
        ArrayNode hits = out.putArray("hits");
        ResultRows rows = new ResultRows(mapper);
        if (p.tier() == Tier.CALLS) {
            Map<String, Long> alerts = alertCounts(page.hits.stream().map(h -> h.path("_source").path("tdr").path("call_id").asText()).toList(), scope);
            page.hits.forEach(h -> hits.add(rows.call(h, alerts)));
        } else {
            page.hits.forEach(h -> hits.add(rows.message(h)));
        }
        out.put("next", page.next == null ? null : page.next.encode(mapper));
        return out;
    }

    /**
     * Every hit of a search with its raw text, page by page, up to {@code limit} (the search-result export);
     * returns how many matched in all (may exceed the limit).
     */
    public long scan(SearchParams p, DataScope scope, int limit, Consumer<JsonNode> each) {
        Cursor c = null;
        int seen = 0;
        long total = 0;
        do {
            Page page = fetch(p, scope, c, Math.min(SearchParams.MAX_SIZE, limit - seen), true);
            total = page.total;
            for (JsonNode h : page.hits) {
                each.accept(h);
                seen++;
            }
            c = page.next;
        } while (c != null && seen < limit);
        if (c != null) {
            close(c.pit());
        }
        return total;
    }

    private record Page(List<JsonNode> hits, long total, String relation, long tookMs, Cursor next) {
    }

    /** @param raw with the raw message text ({@code event.original}, left out of result pages) */
    private Page fetch(SearchParams p, DataScope scope, Cursor after, int size, boolean raw) {
        Collection<String> fraudCalls = p.fraud() == null ? List.of() : alertCallIds(scope);
        ObjectNode query = queries.query(p, fraudCalls);
        es.addScope((ArrayNode) query.path("bool").path("filter"), scope, p.tier().target());
        ObjectNode body = mapper.createObjectNode();
        body.put("size", size);
        body.set("query", query);
        body.set("sort", queries.sort(p));
        if (!raw) {
            body.putObject("_source").putArray("excludes").add("event.original");
        }
        String pit = after == null ? openPit(p.tier()) : after.pit();
        body.putObject("pit").put("id", pit).put("keep_alive", KEEP_ALIVE);
        if (after == null) {
            body.put("track_total_hits", TRACK_TOTAL);
        } else {
            body.put("track_total_hits", false);
            body.set("search_after", after.searchAfter());
        }
        JsonNode r = es.send("POST", "/_search", body);
        List<JsonNode> hits = new ArrayList<>();
        r.path("hits").path("hits").forEach(hits::add);
        long total = after == null ? r.path("hits").path("total").path("value").asLong(hits.size()) : after.total();
        String relation = after == null ? r.path("hits").path("total").path("relation").asText("eq") : after.relation();
        String nextPit = r.path("pit_id").asText(pit);
        Cursor next = null;
        if (hits.size() == size && size > 0) {
            next = new Cursor(nextPit, hits.get(hits.size() - 1).path("sort"), p.tier().name(), p.sortText(), total, relation);
        } else {
            close(nextPit);
        }
        return new Page(hits, total, relation, r.path("took").asLong(), next);
    }

    private String openPit(Tier tier) {
        JsonNode r = es.send("POST", "/" + tier.indices() + "/_pit?keep_alive=" + KEEP_ALIVE
                + "&ignore_unavailable=true&allow_no_indices=true", null);
        String id = r.path("id").asText(null);
        if (id == null) {
            throw ApiErrors.badGateway("Elasticsearch opened no point in time: " + r);
        }
        return id;
    }

    /** Closes a point in time; best effort (it expires by itself). */
    private void close(String pit) {
        try {
            ObjectNode b = mapper.createObjectNode().put("id", pit);
            es.send("DELETE", "/_pit", b);
        } catch (RuntimeException e) {
            // expires after KEEP_ALIVE anyway
        }
    }

    /** How many alerts name each of these calls. */
    private Map<String, Long> alertCounts(List<String> callIds, DataScope scope) {
        Map<String, Long> out = new HashMap<>();
        if (callIds.isEmpty()) {
            return out;
        }
        ObjectNode body = alertQuery(scope, callIds.size());
        ArrayNode ids = ((ArrayNode) body.path("query").path("bool").path("filter")).addObject().putObject("terms").putArray("alert.call_id");
        new LinkedHashSet<>(callIds).forEach(ids::add);
        JsonNode r = es.search(ALERT_INDICES, body);
        r.path("aggregations").path("calls").path("buckets").forEach(b -> out.put(b.path("key").asText(), b.path("doc_count").asLong()));
        return out;
    }

    /** The Call-IDs named by fraud alerts (at most {@link #MAX_ALERT_CALLS}, most alerted first). */
    private Collection<String> alertCallIds(DataScope scope) {
        JsonNode r = es.search(ALERT_INDICES, alertQuery(scope, MAX_ALERT_CALLS));
        List<String> out = new ArrayList<>();
        r.path("aggregations").path("calls").path("buckets").forEach(b -> out.add(b.path("key").asText()));
        return out;
    }

    private ObjectNode alertQuery(DataScope scope, int buckets) {
        ObjectNode body = mapper.createObjectNode();
        body.put("size", 0);
        ArrayNode filter = body.putObject("query").putObject("bool").putArray("filter");
        filter.addObject().putObject("exists").put("field", "alert.call_id");
        es.addScope(filter, scope, DataScope.Target.ALERTS);
        body.putObject("aggs").putObject("calls").putObject("terms").put("field", "alert.call_id").put("size", Math.max(1, buckets));
        return body;
    }
}
