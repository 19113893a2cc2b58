package io.hepstack.collector.api.export;

import com.fasterxml.jackson.databind.JsonNode;
import io.hepstack.collector.api.ApiErrors;
import io.hepstack.collector.api.TimeParam;
import io.hepstack.collector.api.search.SearchParams;
import io.hepstack.collector.api.search.SearchService;
import io.hepstack.collector.api.search.Tier;
import io.hepstack.collector.security.Role;
import io.hepstack.collector.security.User;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /api/v1/search/messages/export.pcap?<search parameters>&limit=N}: the messages a
 * message search finds, oldest first, as one pcap — at most {@code limit} (default and maximum
 * {@code api.exportLimit}, 10 000). Headers say how many matched ({@code X-Hepstack-Total}) and
 * whether the file holds fewer ({@code X-Hepstack-Truncated}).
 */
@Path("/api/v1/search/messages/export.pcap")
public final class SearchExportResource {

    private final SearchService searches;
    private final int maxLimit;

    public SearchExportResource(SearchService searches, int maxLimit) {
        this.searches = searches;
        this.maxLimit = maxLimit;
    }

    @GET
    @RolesAllowed(Role.ANALYST_NAME)
    @Produces({"application/vnd.tcpdump.pcap", "application/json"})
    public Response export(@Context UriInfo uri, @Context SecurityContext sc) throws IOException {
        MultivaluedMap<String, String> q = new MultivaluedHashMap<>(uri.getQueryParameters());
        int limit = maxLimit;
        String l = q.getFirst("limit");
        if (l != null && !l.isBlank()) {
            try {
                limit = Integer.parseInt(l.trim());
            } catch (NumberFormatException e) {
                throw ApiErrors.badRequest("limit must be a whole number: '" + l + "'");
            }
            if (limit < 1 || limit > maxLimit) {
                throw ApiErrors.badRequest("limit must be 1.." + maxLimit + ": " + limit);
            }
        }
        q.remove("limit");
        q.remove("after");
        q.remove("size");
        if (q.getFirst("sort") == null) {
            q.putSingle("sort", "time:asc");
        }
        SearchParams p = SearchParams.parse(Tier.MESSAGES, q, TimeParam.nowMicros(), SearchParams.MAX_SIZE);
        List<JsonNode> hits = new ArrayList<>();
        long total = searches.scan(p, User.of(sc).scope(), limit, h -> hits.add(h.path("_source")));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PcapExport pcap = new PcapExport(bytes);
        for (JsonNode s : hits) {
            try {
                pcap.add(s);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return CallExportResource.attachment(bytes.toByteArray(), "application/vnd.tcpdump.pcap", "search.pcap")
                .header("X-Hepstack-Total", total)
                .header("X-Hepstack-Truncated", total > hits.size())
                .header("X-Hepstack-Frames", pcap.frames())
                .header("X-Hepstack-Skipped", CallExportResource.skippedText(pcap.skipped())).build();
    }
}
