package io.hepstack.collector.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hepstack.collector.document.Timestamps;
import io.hepstack.enricher.net.IpAddress;
import io.hepstack.collector.security.Role;
import io.hepstack.collector.security.User;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

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
 * Elasticsearch trouble answers 502 with the reason; bad parameters 400.
 */
@Path("/api/v1/calls")
@Produces(MediaType.APPLICATION_JSON)
public final class CallsResource {

    private static final Logger LOG = LoggerFactory.getLogger(CallsResource.class);

    public static final int DEFAULT_MESSAGES = 2_000;
    public static final int MAX_MESSAGES = 10_000;
    public static final int DEFAULT_TDRS = 100;
    public static final int MAX_TDRS = 1_000;

    private final CallStore store;
    private final ObjectMapper mapper;
    private final CallQueries queries;
    private final CallLoader loader;

    public CallsResource(CallStore store, ObjectMapper mapper) {
        this.store = Objects.requireNonNull(store, "store");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.queries = new CallQueries(mapper);
        this.loader = new CallLoader(new SearchGuard(store, mapper, java.time.Duration.ofSeconds(30)));
    }

    @GET
    @Path("/{callId}")
    @RolesAllowed(Role.VIEWER_NAME)
    public ObjectNode call(@PathParam("callId") String callId, @QueryParam("limit") Integer limit,
                           @Context SecurityContext sc) {
        int size = limit(limit, DEFAULT_MESSAGES, MAX_MESSAGES);
        CallLoader.CallData call = loader.load(callId, size, User.of(sc).scope());
        Timestamps ts = new Timestamps();
        ObjectNode out = mapper.createObjectNode();
        out.put("call_id", callId);
        ArrayNode callIds = out.putArray("call_ids");
        call.callIds().forEach(callIds::add);
        ArrayNode tdrArray = out.putArray("tdrs");
        call.tdrs().forEach(tdrArray::add);
        ArrayNode msgArray = out.putArray("messages");
        for (CallLoader.Message m : call.messages()) {
            msgArray.add(MessageSummary.of(mapper, m.hit(), m.micros(), ts));
        }
        out.put("truncated", call.truncated());
        return out;
    }

    @GET
    @RolesAllowed(Role.VIEWER_NAME)
    public ObjectNode search(@QueryParam("from") String from, @QueryParam("to") String to,
                             @QueryParam("status") String status, @QueryParam("user") String user,
                             @QueryParam("ip") String ip, @QueryParam("type") String type,
                             @QueryParam("limit") Integer limit) {
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
                type == null || type.isBlank() ? null : type.trim().toLowerCase(Locale.ROOT), size));
        ObjectNode out = mapper.createObjectNode();
        out.put("total", found.path("hits").path("total").path("value").asLong(0));
        ArrayNode arr = out.putArray("tdrs");
        sources(found).forEach(arr::add);
        return out;
    }

    private JsonNode search(String indices, String body) {
        try {
            return store.search(indices, body);
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
