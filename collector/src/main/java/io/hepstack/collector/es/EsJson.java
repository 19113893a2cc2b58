package io.hepstack.collector.es;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.RestClient;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * JSON requests over the low-level client, for the start-up jobs ({@link TdrRecovery},
 * {@link StoredTail}) and the call API's store: index patterns that match nothing answer empty, not
 * 404; an unconnected client is an {@link IOException} like any other failure to reach Elasticsearch.
 */
public final class EsJson {

    private final Supplier<RestClient> client;
    final ObjectMapper mapper;

    public EsJson(Supplier<RestClient> client, ObjectMapper mapper) {
        this.client = Objects.requireNonNull(client, "client");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /** {@code method path} with {@code body} (null for none) over indices that may not exist. */
    JsonNode call(String method, String path, ObjectNode body) throws IOException {
        Request r = request(method, path, body);
        r.addParameter("ignore_unavailable", "true");
        r.addParameter("allow_no_indices", "true");
        return perform(r);
    }

    /** {@code method path} with {@code body} (null for none) and no index options (a search over a point in time takes none). */
    JsonNode send(String method, String path, ObjectNode body) throws IOException {
        return perform(request(method, path, body));
    }

    private Request request(String method, String path, ObjectNode body) throws IOException {
        Request r = new Request(method, path);
        if (body != null) {
            r.setJsonEntity(mapper.writeValueAsString(body));
        }
        return r;
    }

    /** Makes what was written to {@code indices} in the last refresh interval searchable. */
    void refresh(String indices) throws IOException {
        call("POST", "/" + indices + "/_refresh", null);
    }

    /** Performs {@code r} and reads its answer. */
    public JsonNode perform(Request r) throws IOException {
        RestClient c = client.get();
        if (c == null) {
            throw new IOException("Elasticsearch is not connected yet");
        }
        Response response = c.performRequest(r);
        try (InputStream in = response.getEntity().getContent()) {
            return mapper.readTree(in);
        }
    }

    /** {@code {"term": {field: value}}}. */
    ObjectNode term(String field, Object value) {
        ObjectNode t = mapper.createObjectNode();
        t.putObject("term").set(field, mapper.valueToTree(value));
        return t;
    }
}
