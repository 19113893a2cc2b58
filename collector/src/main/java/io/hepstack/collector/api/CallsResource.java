package io.hepstack.collector.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hepstack.collector.document.Timestamps;
import io.hepstack.collector.security.DataScope;
import io.hepstack.collector.security.Role;
import io.hepstack.collector.security.User;
import io.hepstack.enricher.net.IpAddress;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The call API.
 * <ul>
 * <li>{@code GET /api/v1/calls/{callId}}: the TDR(s) of the call and of its linked legs, and every
 * message correlated with any of them (SIP, RTCP, QoS reports, logs, from all {@code hep-*}
 * message indices) in capture order, each with its time (UTC ISO-8601 with microseconds),
 * source, destination, a one-line summary and the raw text. 404 when nothing is known.</li>
 * <li>{@code GET /api/v1/calls?from=&to=&status=&user=&ip=&type=&limit=}: TDRs, newest first.
 * {@code from}/{@code to}: ISO-8601 or epoch milliseconds; {@code status}: comma-separated
 * ({@code FINISHED,USER_BUSY}); {@code user}: caller, callee, Request-URI user or e.164 number;
 * {@code ip}: either side's address.</li>
 * </ul>
 * Elasticsearch trouble answers 502 with the reason; bad parameters 400. Both run within the
 * caller's data scope: a call outside it is a 404, exactly like an unknown one.
 */
@Path("/api/v1/calls")
@RolesAllowed(Role.VIEWER_NAME)
@Produces(MediaType.APPLICATION_JSON)
public final class CallsResource {

    private static final Logger LOG = LoggerFactory.getLogger(CallsResource.class);

    public static final int DEFAULT_MESSAGES = 2_000;
    public static final int MAX_MESSAGES = 10_000;
    public static final int DEFAULT_TDRS = 100;
    public static final int MAX_TDRS = 1_000;
    /** Messages are looked for from an hour before the first TDR's start to an hour after the last end. */
    static final long WINDOW_MICROS = 3_600_000_000L;

    private final CallStore store;
    private final ObjectMapper mapper;
    private final CallQueries queries;

    public CallsResource(CallStore store, ObjectMapper mapper) {
        this.store = Objects.requireNonNull(store, "store");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.queries = new CallQueries(mapper);
    }

    @GET
    @Path("/{callId}")
    public ObjectNode call(@PathParam("callId") String callId, @QueryParam("limit") Integer limit,
                           @Context SecurityContext sc) {
        DataScope scope = User.of(sc).scope();
        if (callId == null || callId.isBlank()) {
            throw bad("callId must not be empty");
        }
        int size = limit(limit, DEFAULT_MESSAGES, MAX_MESSAGES);
        List<JsonNode> tdrs = sources(search(CallQueries.TDR_INDICES, queries.tdrsOfCall(callId, 50), scope, DataScope.Target.TDRS));
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
            long start = micros(tdr.path("start").asText(null));
            long end = micros(tdr.path("end").asText(null));
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
        JsonNode found = search(CallQueries.MESSAGE_INDICES, queries.messagesOfCalls(ids, fromIso, toIso, size), scope,
                DataScope.Target.MESSAGES);
        List<Message> messages = new ArrayList<>();
        Map<String, Integer> rank = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            rank.putIfAbsent(order.get(i), i);
        }
        for (JsonNode hit : found.path("hits").path("hits")) {
            messages.add(new Message(hit, micros(hit.path("_source").path("@timestamp").asText(null)),
                    rank.getOrDefault(hit.path("_id").asText(), Integer.MAX_VALUE)));
        }
        // capture order; equal times in the order the correlator saw them, then by id
        messages.sort(Comparator.comparingLong(Message::micros).thenComparingInt(Message::rank)
                .thenComparing(m -> m.hit().path("_id").asText()));
        if (tdrs.isEmpty() && messages.isEmpty()) {
            throw new WebApplicationException(Response.status(Response.Status.NOT_FOUND)
                    .entity(error("no call " + callId)).type(MediaType.APPLICATION_JSON).build());
        }
        ObjectNode out = mapper.createObjectNode();
        out.put("call_id", callId);
        ArrayNode callIds = out.putArray("call_ids");
        ids.forEach(callIds::add);
        ArrayNode tdrArray = out.putArray("tdrs");
        tdrs.forEach(tdrArray::add);
        ArrayNode msgArray = out.putArray("messages");
        for (Message m : messages) {
            msgArray.add(MessageSummary.of(mapper, m.hit(), m.micros(), ts));
        }
        long total = found.path("hits").path("total").path("value").asLong(messages.size());
        out.put("truncated", total > messages.size());
        return out;
    }

    @GET
    public ObjectNode search(@QueryParam("from") String from, @QueryParam("to") String to,
                             @QueryParam("status") String status, @QueryParam("user") String user,
                             @QueryParam("ip") String ip, @QueryParam("type") String type,
                             @QueryParam("limit") Integer limit, @Context SecurityContext sc) {
        DataScope scope = User.of(sc).scope();
        Timestamps ts = new Timestamps();
        String fromIso = from == null || from.isBlank() ? null : ts.iso(time("from", from));
        String toIso = to == null || to.isBlank() ? null : ts.iso(time("to", to));
        List<String> statuses = new ArrayList<>();
        if (status != null) {
            for (String s : status.split(",")) {
                if (!s.isBlank()) {
                    statuses.add(s.trim().toUpperCase(Locale.ROOT));
                }
            }
        }
        String addr = null;
        if (ip != null && !ip.isBlank()) {
            IpAddress a = IpAddress.parse(ip.trim());
            if (a == null) {
                throw bad("ip is not an IP address: '" + ip + "'");
            }
            addr = a.toString();
        }
        int size = limit(limit, DEFAULT_TDRS, MAX_TDRS);
        JsonNode found = search(CallQueries.TDR_INDICES, queries.searchTdrs(fromIso, toIso, statuses,
                user == null || user.isBlank() ? null : user.trim(), addr,
                type == null || type.isBlank() ? null : type.trim().toLowerCase(Locale.ROOT), size), scope,
                DataScope.Target.TDRS);
        ObjectNode out = mapper.createObjectNode();
        out.put("total", found.path("hits").path("total").path("value").asLong(0));
        ArrayNode arr = out.putArray("tdrs");
        sources(found).forEach(arr::add);
        return out;
    }

    private record Message(JsonNode hit, long micros, int rank) {
    }

    private JsonNode search(String indices, String body, DataScope scope, DataScope.Target target) {
        try {
            return store.search(indices, scope.unrestricted() ? body
                    : scope.restrict((ObjectNode) mapper.readTree(body), target).toString());
        } catch (IOException | RuntimeException e) {
            LOG.warn("call search failed: {}", e.toString());
            throw new WebApplicationException(Response.status(Response.Status.BAD_GATEWAY)
                    .entity(error("Elasticsearch: " + e.getMessage())).type(MediaType.APPLICATION_JSON).build());
        }
    }

    private static List<JsonNode> sources(JsonNode found) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode hit : found.path("hits").path("hits")) {
            out.add(hit.path("_source"));
        }
        return out;
    }

    private ObjectNode error(String message) {
        ObjectNode e = mapper.createObjectNode();
        e.put("error", message);
        return e;
    }

    private WebApplicationException bad(String message) {
        return new WebApplicationException(Response.status(Response.Status.BAD_REQUEST).entity(error(message))
                .type(MediaType.APPLICATION_JSON).build());
    }

    private int limit(Integer limit, int dflt, int max) {
        if (limit == null) {
            return dflt;
        }
        if (limit < 1 || limit > max) {
            throw bad("limit must be 1.." + max + ": " + limit);
        }
        return limit;
    }

    /** ISO-8601 instant or epoch milliseconds → µs. */
    private long time(String name, String v) {
        String s = v.trim();
        try {
            if (s.chars().allMatch(Character::isDigit)) {
                return Long.parseLong(s) * 1000;
            }
            Instant i = Instant.parse(s);
            return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
        } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
            throw bad(name + " is neither ISO-8601 nor epoch milliseconds: '" + v + "'");
        }
    }

    /** µs of an ISO-8601 instant, Long.MIN_VALUE when absent or unreadable. */
    static long micros(String iso) {
        if (iso == null || iso.isEmpty()) {
            return Long.MIN_VALUE;
        }
        try {
            Instant i = Instant.parse(iso);
            return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
        } catch (DateTimeParseException e) {
            return Long.MIN_VALUE;
        }
    }
}
