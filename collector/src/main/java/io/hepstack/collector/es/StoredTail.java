package io.hepstack.collector.es;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hepstack.collector.document.LeanDefaults;
import io.hepstack.collector.document.StoredPackets;
import io.hepstack.collector.document.Timestamps;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.Transport;
import org.elasticsearch.client.RestClient;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The calls a crash left with their SIP messages stored but no TDR: a call's first TDR write comes
 * one update interval after its INVITE, and the bulk in flight dies with the process, so the
 * messages of the last moments can be in {@code hep-sip-*} while their calls are nowhere
 * {@link TdrRecovery#liveCalls} could take them back from. Without them a BYE after the restart
 * would be an orphan "bye" record and the call would never end.
 *
 * <p>{@link #replay} finds them and hands their stored messages back, rebuilt as the messages the
 * previous run had received ({@link StoredPackets}: HEP time, addresses, transport, capture id,
 * node and the raw SIP of {@code event.original}), each with its document's id
 * ({@link CapturedMessage#storedId}), in capture order, page by page, for the stages to run
 * through before the pipeline starts:
 * <ol>
 * <li>the newest SIP message stored (its {@code @timestamp} within the call timeout before now and
 *     at most the clock lead after it: a bogus future time is not "newest");</li>
 * <li>the Call-IDs of the INVITEs stored in the {@code window} before it, newest first;</li>
 * <li>less those with a call TDR (live ones were resumed, final ones ended);</li>
 * <li>every stored SIP message of the rest, oldest first.</li>
 * </ol>
 * Bounded: at most the calls the correlator has room for (and {@link #MAX_CALLS}), {@link #MAX_MESSAGES} messages,
 * {@link #BUDGET} of queries; what is left out is counted in the {@link Result}. Only the page
 * being handed on is in memory.
 */
public final class StoredTail {

    private static final String SIP = "hep-sip-*";
    private static final String TDRS = "hep-tdr-*";
    private static final int PAGE = 1_000;
    /** Calls replayed at most, whatever the correlator holds: their Call-IDs go in one terms query (Elasticsearch allows 65,536). */
    public static final int MAX_CALLS = 50_000;
    /** Messages replayed at most (a Call-ID flooded with messages cannot hold the start for long). */
    public static final long MAX_MESSAGES = 500_000;
    /** INVITEs' Call-IDs looked at at most: most of the window's calls have their TDR. */
    private static final int MAX_CANDIDATES = 200_000;
    /** How long the queries may take in all; then the replay goes on with what it has. */
    public static final Duration BUDGET = Duration.ofSeconds(60);

    /**
     * @param window    how far back from the newest stored SIP message INVITEs are looked at
     * @param maxAge    no message older than this before now counts (the answered-call timeout)
     * @param clockLead a stored time further ahead of now is not believed
     */
    public record Settings(Duration window, Duration maxAge, Duration clockLead) {
        public Settings {
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(maxAge, "maxAge");
            Objects.requireNonNull(clockLead, "clockLead");
        }
    }

    /**
     * What a replay did: calls and messages handed on; calls left out by the cap; messages left out
     * by the cap or the budget; stored messages that could not be rebuilt (no raw SIP, no
     * addresses); whether the budget ran out.
     */
    public record Result(int calls, long messages, int callsSkipped, long messagesSkipped, long unreadable,
                         boolean outOfTime) {
        static final Result NONE = new Result(0, 0, 0, 0, 0, false);
    }

    private final EsJson es;
    private final Settings settings;

    public StoredTail(Supplier<RestClient> client, ObjectMapper mapper, Settings settings) {
        this.es = new EsJson(client, mapper);
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Hands {@code into} the stored SIP messages of the calls whose TDR the previous run had not
     * written, oldest first, one page (a list it may keep) at a time; at most {@code maxCalls} calls
     * (what the correlator still has room for).
     */
    public Result replay(Instant now, int maxCalls, Consumer<List<CapturedMessage>> into) throws IOException {
        Deadline time = new Deadline(System.nanoTime() + BUDGET.toNanos());
        long nowMicros = micros(now);
        long oldest = nowMicros - settings.maxAge().toNanos() / 1000;
        es.refresh(SIP + "," + TDRS); // what the previous run wrote just before it died
        long newest = newest(oldest, nowMicros + settings.clockLead().toNanos() / 1000);
        if (newest == Long.MIN_VALUE) {
            return Result.NONE;
        }
        Set<String> candidates = invites(Math.max(oldest, newest - settings.window().toNanos() / 1000), newest, time);
        List<String> missing = withoutCallTdr(candidates, time);
        int cap = Math.max(0, Math.min(maxCalls, MAX_CALLS));
        List<String> chosen = missing.size() > cap ? missing.subList(0, cap) : missing; // newest first
        int callsSkipped = missing.size() - chosen.size();
        if (chosen.isEmpty()) {
            return new Result(0, 0, callsSkipped, 0, 0, time.over);
        }
        return messages(chosen, oldest, time, into, callsSkipped);
    }

    /** The newest {@code @timestamp} of a stored SIP message within {@code from..to}, or Long.MIN_VALUE. */
    private long newest(long from, long to) throws IOException {
        ObjectNode body = es.mapper.createObjectNode();
        body.putObject("query").putObject("bool").putArray("filter").add(range(from, to));
        body.putArray("sort").addObject().put("@timestamp", "desc");
        body.putArray("_source").add("@timestamp");
        body.put("size", 1);
        JsonNode hits = es.call("POST", "/" + SIP + "/_search", body).path("hits").path("hits");
        return hits.isEmpty() ? Long.MIN_VALUE
                : Timestamps.micros(hits.get(0).path("_source").path("@timestamp").asText(null));
    }

    /** Call-IDs of the INVITEs stored within {@code from..to}, newest first. */
    private Set<String> invites(long from, long to, Deadline time) throws IOException {
        Set<String> ids = new LinkedHashSet<>();
        ObjectNode body = es.mapper.createObjectNode();
        ArrayNode filter = body.putObject("query").putObject("bool").putArray("filter");
        filter.add(es.term("sip.method", "INVITE"));
        filter.add(range(from, to));
        ArrayNode sort = body.putArray("sort");
        sort.addObject().put("@timestamp", "desc");
        sort.addObject().put("sip.call_id", "asc"); // ties at a page's end are copies of one Call-ID's INVITE: none is lost
        body.putArray("_source").add("sip.call_id");
        body.put("size", PAGE);
        while (ids.size() < MAX_CANDIDATES && !time.up()) {
            JsonNode hits = es.call("POST", "/" + SIP + "/_search", body).path("hits").path("hits");
            for (JsonNode hit : hits) {
                String id = hit.path("_source").path("sip").path("call_id").asText(null);
                if (id != null && ids.size() < MAX_CANDIDATES) {
                    ids.add(id);
                }
            }
            if (hits.size() < PAGE) {
                break;
            }
            body.set("search_after", hits.get(hits.size() - 1).path("sort"));
        }
        return ids;
    }

    /** The Call-IDs that have no call TDR, in their order. */
    private List<String> withoutCallTdr(Set<String> candidates, Deadline time) throws IOException {
        List<String> all = new ArrayList<>(candidates);
        List<String> out = new ArrayList<>();
        for (int from = 0; from < all.size() && !time.up(); from += PAGE) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + PAGE));
            ObjectNode body = es.mapper.createObjectNode();
            ArrayNode filter = body.putObject("query").putObject("bool").putArray("filter");
            filter.add(es.term("tdr.type", "call"));
            ArrayNode terms = filter.addObject().putObject("terms").putArray("tdr.call_id");
            chunk.forEach(terms::add);
            body.put("size", 0);
            body.putObject("aggs").putObject("ids").putObject("terms").put("field", "tdr.call_id").put("size", chunk.size());
            JsonNode buckets = es.call("POST", "/" + TDRS + "/_search", body).path("aggregations").path("ids").path("buckets");
            Set<String> written = new HashSet<>();
            buckets.forEach(b -> written.add(b.path("key").asText()));
            for (String id : chunk) {
                if (!written.contains(id)) {
                    out.add(id);
                }
            }
        }
        return out;
    }

    /** Every stored SIP message of these calls, oldest first, handed on page by page. */
    private Result messages(List<String> callIds, long oldest, Deadline time, Consumer<List<CapturedMessage>> into,
                            int callsSkipped) throws IOException {
        JsonNode opened = es.call("POST", "/" + SIP + "/_pit?keep_alive=1m", null);
        String pit = opened.path("id").asText(null);
        if (pit == null) {
            throw new IOException("Elasticsearch opened no point in time: " + opened);
        }
        ObjectNode body = es.mapper.createObjectNode();
        ArrayNode filter = body.putObject("query").putObject("bool").putArray("filter");
        ArrayNode terms = filter.addObject().putObject("terms").putArray("sip.call_id");
        callIds.forEach(terms::add);
        filter.add(range(oldest, Long.MAX_VALUE));
        body.putArray("sort").addObject().put("@timestamp", "asc"); // the point in time breaks ties
        ArrayNode source = body.putArray("_source");
        for (String f : List.of("@timestamp", "event.original", "event.kind", "event.dataset", "source.ip", "source.port",
                "destination.ip", "destination.port", "network.transport", "hep", "sip.call_id")) {
            source.add(f);
        }
        body.put("size", PAGE);
        body.put("track_total_hits", true);
        Set<String> calls = new HashSet<>();
        long taken = 0;
        long unreadable = 0;
        long total = 0;
        boolean first = true;
        try {
            while (taken + unreadable < MAX_MESSAGES && !time.up()) {
                body.putObject("pit").put("id", pit).put("keep_alive", "1m");
                JsonNode r = es.send("POST", "/_search", body);
                pit = r.path("pit_id").asText(pit);
                if (first) {
                    total = r.path("hits").path("total").path("value").asLong();
                    body.put("track_total_hits", false);
                    first = false;
                }
                JsonNode hits = r.path("hits").path("hits");
                List<CapturedMessage> page = new ArrayList<>(hits.size());
                for (JsonNode hit : hits) {
                    if (taken + unreadable >= MAX_MESSAGES) {
                        break;
                    }
                    CapturedMessage m = rebuild(hit);
                    if (m == null) {
                        unreadable++;
                        continue;
                    }
                    page.add(m);
                    calls.add(hit.path("_source").path("sip").path("call_id").asText());
                    taken++;
                }
                if (!page.isEmpty()) {
                    into.accept(page);
                }
                if (hits.size() < PAGE) {
                    break;
                }
                body.set("search_after", hits.get(hits.size() - 1).path("sort"));
            }
        } finally {
            closePit(pit);
        }
        return new Result(calls.size(), taken, callsSkipped, Math.max(0, total - taken - unreadable), unreadable,
                time.over);
    }

    /** The message a stored SIP document was made from, with its document's id; null when it cannot be rebuilt. */
    static CapturedMessage rebuild(JsonNode hit) {
        JsonNode source = hit.path("_source");
        String id = hit.path("_id").asText(null);
        byte[] payload = StoredPackets.isSip(source) ? StoredPackets.sipPayload(source) : null;
        HepPacket p = payload == null || id == null ? null : StoredPackets.packet(source, payload);
        if (p == null) {
            return null;
        }
        CapturedMessage m = new CapturedMessage(p,
                Transport.ofLabel(LeanDefaults.receivedOver(source), Transport.UDP), null);
        m.storedId = id;
        return m;
    }

    private void closePit(String pit) {
        try {
            es.send("DELETE", "/_pit", es.mapper.createObjectNode().put("id", pit));
        } catch (IOException | RuntimeException e) {
            // it expires after its keep-alive anyway
        }
    }

    private ObjectNode range(long from, long to) {
        ObjectNode r = es.mapper.createObjectNode();
        ObjectNode t = r.putObject("range").putObject("@timestamp");
        t.put("gte", Timestamps.isoOnce(from));
        if (to != Long.MAX_VALUE) {
            t.put("lte", Timestamps.isoOnce(to));
        }
        return r;
    }

    private static long micros(Instant i) {
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
    }

    /** The query budget: once it is used up, each step stops with what it has. */
    private static final class Deadline {
        private final long nanos;
        boolean over;

        Deadline(long nanos) {
            this.nanos = nanos;
        }

        boolean up() {
            if (System.nanoTime() - nanos > 0) {
                over = true;
            }
            return over;
        }
    }
}
