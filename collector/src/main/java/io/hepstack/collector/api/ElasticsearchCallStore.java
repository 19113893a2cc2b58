package io.hepstack.collector.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.collector.es.EsJson;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.function.Supplier;

/** {@link CallStore} over Elasticsearch's low-level REST client: {@code POST /<indices>/_search}. */
public final class ElasticsearchCallStore implements CallStore {

    private final Supplier<RestClient> client;
    private final ObjectMapper mapper;
    private final EsJson json;

    public ElasticsearchCallStore(RestClient client, ObjectMapper mapper) {
        this(constant(Objects.requireNonNull(client, "client")), mapper);
    }

    /** With a client that exists only once Elasticsearch has started (embedded mode learns its URL then). */
    public ElasticsearchCallStore(Supplier<RestClient> client, ObjectMapper mapper) {
        this.client = Objects.requireNonNull(client, "client");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.json = new EsJson(this.client, this.mapper);
    }

    private static Supplier<RestClient> constant(RestClient c) {
        return () -> c;
    }

    @Override
    public JsonNode search(String indices, String body) throws IOException {
        Request r = new Request("POST", "/" + indices + "/_search");
        r.addParameter("ignore_unavailable", "true");
        r.addParameter("allow_no_indices", "true");
        r.setJsonEntity(body);
        return json.perform(r);
    }

    @Override
    public JsonNode send(String method, String endpoint, String body) throws IOException {
        int q = endpoint.indexOf('?');
        Request r = new Request(method, q < 0 ? endpoint : endpoint.substring(0, q));
        if (q >= 0) {
            for (String kv : endpoint.substring(q + 1).split("&")) {
                int eq = kv.indexOf('=');
                r.addParameter(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : kv.substring(eq + 1));
            }
        }
        if (body != null) {
            r.setJsonEntity(body);
        }
        RestClient c = client.get();
        if (c == null) {
            throw new IOException("Elasticsearch is not connected yet");
        }
        Response response;
        try {
            response = c.performRequest(r);
        } catch (ResponseException e) {
            if (e.getResponse().getStatusLine().getStatusCode() != 404) {
                throw e;
            }
            response = e.getResponse();
        }
        if (response.getEntity() == null) {
            return mapper.createObjectNode();
        }
        try (InputStream in = response.getEntity().getContent()) {
            return mapper.readTree(in);
        }
    }
}
