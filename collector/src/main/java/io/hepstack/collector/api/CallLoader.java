package io.hepstack.collector.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hepstack.collector.document.Timestamps;
import io.hepstack.collector.security.DataScope;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything stored about one call, for the call API, the call view and the exports: the TDR(s)
 * of the call and of its linked legs, and every message correlated with any of them (SIP, RTCP,
 * QoS reports, logs) in capture order — by time, equal times in the order the correlator saw them
 * ({@code tdr.messages.ids}), then by id. Both queries carry the user's scope, so a call outside
 * it is unknown (404), exactly like a call that does not exist.
 */
public final class CallLoader {

    /** Messages are looked for from an hour before the first TDR's start to an hour after the last end. */
    static final long WINDOW_MICROS = 3_600_000_000L;

    private final SearchGuard es;
    private final ObjectMapper mapper;
    private final CallQueries queries;

    public CallLoader(SearchGuard es) {
        this.es = es;
        this.mapper = es.mapper();
        this.queries = new CallQueries(mapper);
    }

    /** One message hit ({@code _id}, {@code _index}, {@code _source}), its capture time in µs, and its rank in the TDR's order. */
    public record Message(JsonNode hit, long micros, int rank) {
        public JsonNode source() {
            return hit.path("_source");
        }

        public String id() {
            return hit.path("_id").asText();
        }
    }

    /**
     * @param callIds  the requested Call-ID first, then its linked legs in the order found
     * @param tdrs     the TDR documents ({@code _source}), oldest first
     * @param messages in capture order
     * @param total    how many messages matched ({@code truncated} when more than were read)
     */
    public record CallData(String callId, List<String> callIds, List<JsonNode> tdrs, List<Message> messages, long total) {
        public boolean truncated() {
            return total > messages.size();
        }
    }

    /** The call, or a 404 when nothing (in the scope) is known about it. */
    public CallData load(String callId, int limit, DataScope scope) {
        if (callId == null || callId.isBlank()) {
            throw ApiErrors.badRequest("callId must not be empty");
        }
        List<JsonNode> tdrs = new ArrayList<>();
        es.search(CallQueries.TDR_INDICES, scoped(queries.tdrsOfCall(callId, 50), scope, DataScope.Target.TDRS))
                .path("hits").path("hits").forEach(h -> tdrs.add(h.path("_source")));
        Set<String> ids = new LinkedHashSet<>();
        ids.add(callId);
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        boolean open = tdrs.isEmpty();
        List<String> order = new ArrayList<>();
        for (JsonNode t : tdrs) {
            JsonNode tdr = t.path("tdr");
            ids.add(tdr.path("call_id").asText());
            tdr.path("linked_call_ids").forEach(n -> ids.add(n.asText()));
            tdr.path("messages").path("ids").forEach(n -> order.add(n.asText()));
            long start = TimeParam.micros(tdr.path("start").asText(null));
            long end = TimeParam.micros(tdr.path("end").asText(null));
            if (start != Long.MIN_VALUE) {
                from = Math.min(from, start);
            }
            if (end == Long.MIN_VALUE) {
                open = true;
            } else {
                to = Math.max(to, end);
            }
        }
        Timestamps ts = new Timestamps();
        String fromIso = from == Long.MAX_VALUE ? null : ts.iso(from - WINDOW_MICROS);
        String toIso = open || to == Long.MIN_VALUE ? null : ts.iso(to + WINDOW_MICROS);
        JsonNode found = es.search(CallQueries.MESSAGE_INDICES,
                scoped(queries.messagesOfCalls(ids, fromIso, toIso, limit), scope, DataScope.Target.MESSAGES));
        Map<String, Integer> rank = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            rank.putIfAbsent(order.get(i), i);
        }
        List<Message> messages = new ArrayList<>();
        for (JsonNode hit : found.path("hits").path("hits")) {
            messages.add(new Message(hit, TimeParam.micros(hit.path("_source").path("@timestamp").asText(null)),
                    rank.getOrDefault(hit.path("_id").asText(), Integer.MAX_VALUE)));
        }
        messages.sort(Comparator.comparingLong(Message::micros).thenComparingInt(Message::rank).thenComparing(Message::id));
        if (tdrs.isEmpty() && messages.isEmpty()) {
            throw ApiErrors.notFound("no call " + callId);
        }
        long total = found.path("hits").path("total").path("value").asLong(messages.size());
        return new CallData(callId, List.copyOf(ids), tdrs, messages, total);
    }

    /** The query body with the scope's clause in its {@code bool.filter}. */
    private ObjectNode scoped(String body, DataScope scope, DataScope.Target target) {
        try {
            ObjectNode b = (ObjectNode) mapper.readTree(body);
            ObjectNode bool = (ObjectNode) b.path("query").path("bool");
            ArrayNode filter = bool.has("filter") ? (ArrayNode) bool.get("filter") : bool.putArray("filter");
            es.addScope(filter, scope, target);
            if (filter.isEmpty()) {
                bool.remove("filter");
            }
            return b;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
