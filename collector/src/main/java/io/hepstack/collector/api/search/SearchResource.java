package io.hepstack.collector.api.search;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hepstack.collector.api.TimeParam;
import io.hepstack.collector.security.Role;
import io.hepstack.collector.security.User;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;

import java.util.Objects;

/**
 * {@code GET /api/v1/search/calls} and {@code GET /api/v1/search/messages}: the two search tiers of
 * the web UI (parameters in {@link SearchParams}, answer in UI-CONTRACT.md "Search"). A search
 * Elasticsearch did not finish is a 504, one that failed a 502 — never an empty list.
 */
@Path("/api/v1/search")
@Produces(MediaType.APPLICATION_JSON)
public final class SearchResource {

    private final SearchService searches;

    public SearchResource(SearchService searches) {
        this.searches = Objects.requireNonNull(searches, "searches");
    }

    @GET
    @Path("/calls")
    @RolesAllowed(Role.VIEWER_NAME)
    public ObjectNode calls(@Context UriInfo uri, @Context SecurityContext sc) {
        return search(Tier.CALLS, uri, sc);
    }

    @GET
    @Path("/messages")
    @RolesAllowed(Role.VIEWER_NAME)
    public ObjectNode messages(@Context UriInfo uri, @Context SecurityContext sc) {
        return search(Tier.MESSAGES, uri, sc);
    }

    private ObjectNode search(Tier tier, UriInfo uri, SecurityContext sc) {
        SearchParams p = SearchParams.parse(tier, uri.getQueryParameters(), TimeParam.nowMicros(), SearchParams.MAX_SIZE);
        return searches.page(p, User.of(sc).scope());
    }
}
