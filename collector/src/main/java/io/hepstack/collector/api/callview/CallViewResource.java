package io.hepstack.collector.api.callview;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hepstack.collector.api.ApiErrors;
import io.hepstack.collector.api.CallLoader;
import io.hepstack.collector.api.SearchGuard;
import io.hepstack.collector.security.DataScope;
import io.hepstack.collector.security.Role;
import io.hepstack.collector.security.User;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /api/v1/calls/{callId}/view?group=ip|node}: everything the call view shows, in one
 * answer ({@link CallView}). A call outside the user's scope is a 404 like an unknown one.
 */
@Path("/api/v1/calls/{callId}/view")
@Produces(MediaType.APPLICATION_JSON)
public final class CallViewResource {

    /** The most messages one call view reads ({@code truncated} says when there were more). */
    public static final int MAX_MESSAGES = 10_000;
    static final String ALERT_INDICES = "hep-alert-*";

    private final SearchGuard es;
    private final CallLoader loader;
    private final CallView view;

    public CallViewResource(SearchGuard es) {
        this.es = es;
        this.loader = new CallLoader(es);
        this.view = new CallView(es.mapper());
    }

    @GET
    @RolesAllowed(Role.VIEWER_NAME)
    public ObjectNode view(@PathParam("callId") String callId, @QueryParam("group") String group,
                           @Context SecurityContext sc) {
        LadderLayout.Grouping grouping = grouping(group);
        DataScope scope = User.of(sc).scope();
        CallLoader.CallData call = loader.load(callId, MAX_MESSAGES, scope);
        return view.build(call, grouping, alerts(call.callIds(), scope));
    }

    static LadderLayout.Grouping grouping(String group) {
        try {
            return LadderLayout.Grouping.of(group);
        } catch (IllegalArgumentException e) {
            throw ApiErrors.badRequest(e.getMessage());
        }
    }

    /** The fraud alerts naming one of these Call-IDs, newest first. */
    private List<JsonNode> alerts(List<String> callIds, DataScope scope) {
        ObjectNode body = es.mapper().createObjectNode();
        body.put("size", 100);
        ArrayNode filter = body.putObject("query").putObject("bool").putArray("filter");
        ArrayNode ids = filter.addObject().putObject("terms").putArray("alert.call_id");
        callIds.forEach(ids::add);
        es.addScope(filter, scope, DataScope.Target.ALERTS);
        body.putArray("sort").addObject().putObject("@timestamp").put("order", "desc").put("unmapped_type", "date");
        List<JsonNode> out = new ArrayList<>();
        es.search(ALERT_INDICES, body).path("hits").path("hits").forEach(h -> out.add(h.path("_source")));
        return out;
    }
}
