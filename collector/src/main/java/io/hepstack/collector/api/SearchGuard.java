package io.hepstack.collector.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hepstack.collector.security.DataScope;
import org.elasticsearch.client.ResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;

/**
 * Every Elasticsearch request of the web UI's API goes through here, so none can answer an empty
 * 200 when the search did not finish: each search carries a {@code timeout}; an answer with
 * {@code timed_out: true} or a client-side timeout becomes 504, a failure (connection, error
 * status, failed shards) 502, both with the error body of {@link ApiErrors}. It also adds the
 * user's {@link DataScope} to a query's {@code bool.filter}.
 */
public final class SearchGuard {

    private static final Logger LOG = LoggerFactory.getLogger(SearchGuard.class);

    private final CallStore store;
    private final ObjectMapper mapper;
    private final Duration timeout;

    /** @param timeout what each search may take in Elasticsearch before it answers partially (then 504) */
    public SearchGuard(CallStore store, ObjectMapper mapper, Duration timeout) {
        this.store = Objects.requireNonNull(store, "store");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        }
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    public Duration timeout() {
        return timeout;
    }

    /** {@code POST /<indices>/_search} with the timeout added; checked. */
    public JsonNode search(String indices, ObjectNode body) {
        body.put("timeout", timeout.toMillis() + "ms");
        JsonNode r = call(() -> store.search(indices, body.toString()));
        return checked(r);
    }

    /** Any request; Elasticsearch's 404 answers come back as their body, other failures throw 502/504. */
    public JsonNode send(String method, String endpoint, ObjectNode body) {
        if (body != null && endpoint.contains("_search")) {
            body.put("timeout", timeout.toMillis() + "ms");
        }
        JsonNode r = call(() -> store.send(method, endpoint, body == null ? null : body.toString()));
        return endpoint.contains("_search") ? checked(r) : r;
    }

    /**
     * Adds the scope's clause to {@code filter} (a {@code bool.filter} array); nothing for an
     * unrestricted scope. A scoped query always runs with its clause, never without.
     */
    public void addScope(ArrayNode filter, DataScope scope, DataScope.Target target) {
        scope.filterNode(target).ifPresent(filter::add);
    }

    private JsonNode checked(JsonNode r) {
        if (r.path("timed_out").asBoolean(false)) {
            throw ApiErrors.timedOut("Elasticsearch did not finish the search within " + timeout.toMillis() + " ms");
        }
        if (r.has("error")) {
            if (r.path("error").path("type").asText("").contains("search_context_missing")
                    || reason(r).contains("No search context found")) {
                throw ApiErrors.badRequest("the search behind this cursor has expired; search again");
            }
            throw ApiErrors.badGateway("Elasticsearch: " + reason(r));
        }
        JsonNode shards = r.path("_shards");
        if (shards.path("failed").asInt(0) > 0) {
            JsonNode f = shards.path("failures").path(0).path("reason");
            throw ApiErrors.badGateway("Elasticsearch: " + shards.path("failed").asInt() + " of "
                    + shards.path("total").asInt() + " shards failed" + (f.isMissingNode() ? "" : ": " + reasonText(f)));
        }
        return r;
    }

    private interface Call {
        JsonNode run() throws IOException;
    }

    private JsonNode call(Call c) {
        try {
            return c.run();
        } catch (SocketTimeoutException e) {
            LOG.warn("Elasticsearch timed out: {}", e.toString());
            throw ApiErrors.timedOut("Elasticsearch did not answer in time: " + e.getMessage());
        } catch (ResponseException e) {
            String reason = e.getMessage();
            try (InputStream in = e.getResponse().getEntity().getContent()) {
                reason = reason(mapper.readTree(in));
            } catch (IOException | RuntimeException ignored) {
                // keep the client's message
            }
            int status = e.getResponse().getStatusLine().getStatusCode();
            LOG.warn("Elasticsearch answered {}: {}", status, reason);
            if (status == 504 || reason.contains("timed out") || reason.contains("TimeExceededException")) {
                throw ApiErrors.timedOut("Elasticsearch: " + reason);
            }
            throw ApiErrors.badGateway("Elasticsearch answered " + status + ": " + reason);
        } catch (IOException | RuntimeException e) {
            if (e instanceof jakarta.ws.rs.WebApplicationException w) {
                throw w;
            }
            LOG.warn("Elasticsearch failed: {}", e.toString());
            throw ApiErrors.badGateway("Elasticsearch: " + e.getMessage());
        }
    }

    private static String reason(JsonNode r) {
        JsonNode e = r.path("error");
        if (e.isTextual()) {
            return e.asText();
        }
        JsonNode root = e.path("root_cause").path(0);
        return reasonText(root.isMissingNode() ? e : root);
    }

    private static String reasonText(JsonNode e) {
        String type = e.path("type").asText("");
        String reason = e.path("reason").asText("");
        return (type.isEmpty() ? "" : type + ": ") + reason;
    }
}
