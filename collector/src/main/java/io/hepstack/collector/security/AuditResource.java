package io.hepstack.collector.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

/**
 * The audit trail for admins: {@code GET /api/v1/audit?user=&action=&from=&to=&size=} → the newest
 * entries of {@code hep-audit-*} ({@code {"total", "entries": [...]}}), {@code from}/{@code to} as
 * Elasticsearch date math or ISO-8601 (default the last 24 hours), size up to 1000.
 */
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
public final class AuditResource {

    static final int MAX_SIZE = 1000;

    private final Supplier<RestClient> client;
    private final ObjectMapper mapper;

    public AuditResource(Supplier<RestClient> client, ObjectMapper mapper) {
        this.client = client;
        this.mapper = mapper;
    }

    @GET
    @RolesAllowed(Role.ADMIN_NAME)
    public ObjectNode entries(@QueryParam("user") String user, @QueryParam("action") String action,
                              @QueryParam("from") String from, @QueryParam("to") String to,
                              @QueryParam("size") Integer size) {
        int n = size == null ? 100 : size;
        if (n < 1 || n > MAX_SIZE) {
            throw new WebApplicationException(ApiErrors.response(Response.Status.BAD_REQUEST, "size must be 1.." + MAX_SIZE));
        }
        ObjectNode body = mapper.createObjectNode();
        body.put("size", n);
        body.put("track_total_hits", true);
        ArrayNode filter = body.putObject("query").putObject("bool").putArray("filter");
        ObjectNode range = filter.addObject().putObject("range").putObject("@timestamp");
        range.put("gte", from == null || from.isBlank() ? "now-24h" : from);
        range.put("lte", to == null || to.isBlank() ? "now" : to);
        if (user != null && !user.isBlank()) {
            filter.addObject().putObject("term").put("user.name", user);
        }
        if (action != null && !action.isBlank()) {
            filter.addObject().putObject("term").put("event.action", action);
        }
        body.putArray("sort").addObject().putObject("@timestamp").put("order", "desc");
        JsonNode found = search(body.toString());
        ObjectNode out = mapper.createObjectNode();
        out.put("total", found.path("hits").path("total").path("value").asLong());
        ArrayNode entries = out.putArray("entries");
        found.path("hits").path("hits").forEach(h -> entries.add(h.path("_source")));
        return out;
    }

    private JsonNode search(String body) {
        RestClient c = client.get();
        if (c == null) {
            throw new WebApplicationException(ApiErrors.response(Response.Status.BAD_GATEWAY, "Elasticsearch is not connected yet"));
        }
        Request r = new Request("POST", "/hep-audit-*/_search");
        r.addParameter("ignore_unavailable", "true");
        r.addParameter("allow_no_indices", "true");
        r.setJsonEntity(body);
        try (InputStream in = c.performRequest(r).getEntity().getContent()) {
            return mapper.readTree(in);
        } catch (org.elasticsearch.client.ResponseException e) {
            int status = e.getResponse().getStatusLine().getStatusCode();
            throw new WebApplicationException(ApiErrors.response(status == 400 ? Response.Status.BAD_REQUEST
                    : Response.Status.BAD_GATEWAY, "Elasticsearch: " + status));
        } catch (IOException | RuntimeException e) {
            throw new WebApplicationException(ApiErrors.response(Response.Status.BAD_GATEWAY, "Elasticsearch: " + e.getMessage()));
        }
    }
}
