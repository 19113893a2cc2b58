package io.hepstack.collector.es;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What a restart leaves in Elasticsearch, put right.
 * <ul>
 * <li>{@link #liveCalls}: the TDRs of calls that were live when the previous run stopped (cleanly:
 * every live TDR is written at the stop; or by a crash: at most one update interval behind), for the
 * correlator to take back, so a BYE after the restart ends its call.</li>
 * <li>{@link #sweep}: a live TDR that nobody updated for longer than its idle timeout (plus a
 * margin) cannot belong to a running collector — the correlator would have timed it out — so it
 * was left by a crash or a spooled write replayed late: it is closed with status
 * {@code UNKNOWN_END}, never left {@code ANSWERED} for ever. Run at start and then periodically.</li>
 * </ul>
 * The {@code tdr.updated} field (wall clock of the write) is the age.
 */
public final class TdrRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(TdrRecovery.class);
    private static final String TDRS = "hep-tdr-*";
    private static final int PAGE = 1_000;
    /** Pages of stale records closed per sweep at most (the rest wait for the next sweep). */
    private static final int MAX_ROUNDS = 100;

    /** The correlator's idle timeouts: answered calls, calls being set up, transactions; and a margin. */
    public record Timeouts(Duration answered, Duration setup, Duration transaction, Duration margin) {
    }

    private final EsJson es;
    private final ObjectMapper mapper;
    private final Timeouts timeouts;

    public TdrRecovery(Supplier<RestClient> client, ObjectMapper mapper, Timeouts timeouts) {
        this.es = new EsJson(client, mapper);
        this.mapper = mapper;
        this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
    }

    /**
     * The live call TDRs updated within the call idle timeout, oldest first, at most {@code max}:
     * pairs of index name and {@code _source}.
     */
    public List<Map.Entry<String, ObjectNode>> liveCalls(Instant now, int max) throws IOException {
        List<Map.Entry<String, ObjectNode>> out = new ArrayList<>();
        ObjectNode body = mapper.createObjectNode();
        ArrayNode filter = body.putObject("query").putObject("bool").putArray("filter");
        filter.add(es.term("tdr.final", false));
        filter.add(es.term("tdr.type", "call"));
        filter.addObject().putObject("range").putObject("tdr.updated")
                .put("gte", now.minus(timeouts.answered()).toString());
        ArrayNode sort = body.putArray("sort");
        sort.addObject().put("tdr.updated", "asc");
        sort.addObject().put("tdr.id", "asc");
        body.put("size", PAGE);
        // what the previous run wrote in its last refresh interval (or had in flight when it died) is
        // stored but not yet searchable: make it so, or those calls would not be resumed
        es.refresh(TDRS);
        while (out.size() < max) {
            JsonNode hits = es.call("POST", "/" + TDRS + "/_search", body).path("hits").path("hits");
            for (JsonNode hit : hits) {
                if (out.size() < max && hit.path("_source") instanceof ObjectNode src) {
                    out.add(new AbstractMap.SimpleImmutableEntry<>(hit.path("_index").asText(), src));
                }
            }
            if (hits.size() < PAGE) {
                break;
            }
            body.set("search_after", hits.get(hits.size() - 1).path("sort"));
        }
        return out;
    }

    /**
     * Closes every live TDR idle for longer than its timeout plus the margin. Each is rewritten
     * whole with the next external version (the integ-test and minimal distributions have neither
     * update-by-query nor scripting); a write that loses to a newer one means the record is alive.
     *
     * @return how many were closed
     */
    public long sweep(Instant now) throws IOException {
        ObjectNode body = mapper.createObjectNode();
        ArrayNode should = body.putObject("query").putObject("bool").put("minimum_should_match", 1)
                .putArray("should");
        Instant answered = now.minus(timeouts.answered()).minus(timeouts.margin());
        Instant setup = now.minus(timeouts.setup()).minus(timeouts.margin());
        Instant transaction = now.minus(timeouts.transaction()).minus(timeouts.margin());
        should.add(stale(answered, es.term("tdr.type", "call"), es.term("tdr.status", "ANSWERED"), null));
        should.add(stale(setup, es.term("tdr.type", "call"), null, es.term("tdr.status", "ANSWERED")));
        should.add(stale(transaction, null, null, es.term("tdr.type", "call")));
        body.put("size", PAGE);
        body.put("version", true);
        long closed = 0;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            JsonNode hits = es.call("POST", "/" + TDRS + "/_search", body).path("hits").path("hits");
            if (hits.isEmpty()) {
                break;
            }
            StringBuilder bulk = new StringBuilder();
            for (JsonNode hit : hits) {
                ObjectNode action = mapper.createObjectNode();
                action.putObject("index").put("_index", hit.path("_index").asText()).put("_id", hit.path("_id").asText())
                        .put("version", hit.path("_version").asLong() + 1).put("version_type", "external");
                bulk.append(mapper.writeValueAsString(action)).append('\n');
                bulk.append(mapper.writeValueAsString(closedAtRestart((ObjectNode) hit.path("_source"), now))).append('\n');
            }
            Request r = new Request("POST", "/_bulk");
            r.addParameter("refresh", "true");
            r.setJsonEntity(bulk.toString());
            JsonNode answer = es.perform(r);
            int done = 0;
            for (JsonNode item : answer.path("items")) {
                if (item.path("index").path("status").asInt() < 300) {
                    done++;
                }
            }
            closed += done;
            if (done == 0) {
                break; // every one was rewritten meanwhile: alive after all
            }
        }
        if (closed > 0) {
            LOG.info("closed {} TDRs left live by an earlier run (status UNKNOWN_END)", closed);
        }
        return closed;
    }

    /** The TDR as a stale live record is closed: final, status UNKNOWN_END, ended by the restart. */
    private static ObjectNode closedAtRestart(ObjectNode source, Instant now) {
        ObjectNode tdr = source.with("tdr");
        tdr.put("status", "UNKNOWN_END");
        tdr.put("final", true);
        tdr.put("state", "ended");
        tdr.put("ended_by", "restart");
        tdr.put("updated", now.toString());
        tdr.remove("resume");
        if (source.get("event") instanceof ObjectNode event) {
            event.put("outcome", "unknown");
        }
        return source;
    }

    /** Live records last updated before {@code before} that match {@code a} and {@code b} but not {@code not} (each optional). */
    private ObjectNode stale(Instant before, ObjectNode a, ObjectNode b, ObjectNode not) {
        ObjectNode q = mapper.createObjectNode();
        ObjectNode bool = q.putObject("bool");
        ArrayNode filter = bool.putArray("filter");
        filter.add(es.term("tdr.final", false));
        filter.addObject().putObject("range").putObject("tdr.updated").put("lt", before.toString());
        if (a != null) {
            filter.add(a);
        }
        if (b != null) {
            filter.add(b);
        }
        if (not != null) {
            bool.putArray("must_not").add(not);
        }
        return q;
    }
}
