package io.hepstack.tools.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NStringEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.RestClient;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs a watch's search input as Watcher would, against any cluster (Watcher or not): the body is
 * rendered with the watch's metadata ({@link MetadataTemplate}), sent to the request's indices with
 * Watcher's defaults (lenient indices options, {@code rest_total_hits_as_int=true}), and the response
 * is the payload the condition sees.
 */
public final class WatchSearch {

    private final RestClient client;
    private final ObjectMapper mapper;

    public WatchSearch(RestClient client, ObjectMapper mapper) {
        this.client = Objects.requireNonNull(client, "client");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /** The payload of {@code watch}'s search input, from the indices the watch names. */
    public JsonNode run(Watch watch) throws IOException {
        return run(watch, null);
    }

    /**
     * The payload of {@code watch}'s search input; {@code indices}, when not null, replaces the
     * request's indices (so a test can point a watch at its own seeded indices).
     */
    public JsonNode run(Watch watch, List<String> indices) throws IOException {
        JsonNode request = watch.searchRequest();
        List<String> targets = indices != null ? List.copyOf(indices) : indices(watch, request);
        Request search = new Request("POST", "/" + String.join(",", targets) + "/_search");
        search.addParameter("rest_total_hits_as_int", Boolean.toString(request.path("rest_total_hits_as_int").asBoolean(true)));
        JsonNode options = request.path("indices_options");
        search.addParameter("ignore_unavailable", Boolean.toString(options.path("ignore_unavailable").asBoolean(true)));
        search.addParameter("allow_no_indices", Boolean.toString(options.path("allow_no_indices").asBoolean(true)));
        search.addParameter("expand_wildcards", expandWildcards(options.path("expand_wildcards")));
        if (request.hasNonNull("search_type")) {
            search.addParameter("search_type", request.path("search_type").asText());
        }
        search.setEntity(new NStringEntity(renderedBody(watch, mapper), ContentType.APPLICATION_JSON));
        Response response = client.performRequest(search);
        try (InputStream in = response.getEntity().getContent()) {
            return mapper.readTree(in);
        }
    }

    /** The search body with its {@code {{ctx.metadata.*}}} placeholders rendered (and checked to be JSON). */
    public static String renderedBody(Watch watch, ObjectMapper mapper) {
        JsonNode request = watch.searchRequest();
        if (request.has("template")) {
            throw new InvalidWatchException(watch.id(), "search templates are not supported here; write the search in 'body'");
        }
        JsonNode body = request.path("body");
        if (!body.isObject()) {
            throw new InvalidWatchException(watch.id(), "input.search.request.body is missing");
        }
        String rendered = MetadataTemplate.render(watch.id(), body.toString(), watch.metadata());
        try {
            mapper.readTree(rendered);
        } catch (IOException e) {
            throw new InvalidWatchException(watch.id(), "the rendered search body is not JSON: " + e.getMessage(), e);
        }
        return rendered;
    }

    private static List<String> indices(Watch watch, JsonNode request) {
        List<String> out = new ArrayList<>();
        JsonNode indices = request.path("indices");
        if (indices.isTextual()) {
            for (String s : indices.asText().split(",")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        } else {
            indices.forEach(i -> out.add(i.asText()));
        }
        if (out.isEmpty()) {
            throw new InvalidWatchException(watch.id(), "input.search.request.indices is missing or empty");
        }
        return out;
    }

    private static String expandWildcards(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return "open";
        }
        if (node.isArray()) {
            List<String> parts = new ArrayList<>();
            node.forEach(n -> parts.add(n.asText()));
            return String.join(",", parts);
        }
        return node.asText();
    }
}
