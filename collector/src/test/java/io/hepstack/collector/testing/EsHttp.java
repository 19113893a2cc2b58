package io.hepstack.collector.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Small raw-HTTP helper for tests: asserts against Elasticsearch exactly as a user's curl would. */
public final class EsHttp {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;

    public EsHttp(String base) {
        this.base = base;
    }

    public static EsHttp shared() {
        return new EsHttp(TestElasticsearch.url());
    }

    public String base() {
        return base;
    }

    public JsonNode get(String path) {
        return send("GET", path, null);
    }

    public JsonNode post(String path, String json) {
        return send("POST", path, json);
    }

    public JsonNode put(String path, String json) {
        return send("PUT", path, json);
    }

    public JsonNode delete(String path) {
        return send("DELETE", path, null);
    }

    public int status(String method, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).method(method, HttpRequest.BodyPublishers.noBody())
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Deletes every index matching the pattern (wildcard deletes are refused by Elasticsearch 8). */
    public void deleteIndices(String pattern) {
        JsonNode list = send("GET", "/_cat/indices/" + pattern + "?format=json&h=index&expand_wildcards=all", null);
        for (JsonNode row : list) {
            send("DELETE", "/" + row.path("index").asText(), null);
        }
    }

    /** Refreshes the indices matching the pattern so that what was indexed is searchable. */
    public void refresh(String pattern) {
        send("POST", "/" + pattern + "/_refresh?ignore_unavailable=true&allow_no_indices=true", null);
    }

    /**
     * Counts the documents matching the query. An index the collector has just created may not have its
     * primary shard started yet (503 no_shard_available): that is "not yet", so the count is asked again
     * for up to 30 s instead of failing the test that polls it.
     */
    public long count(String pattern, String queryJson) {
        String body = queryJson == null ? "{\"query\":{\"match_all\":{}}}" : queryJson;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                refresh(pattern);
                JsonNode r = send("POST", "/" + pattern + "/_count?ignore_unavailable=true&allow_no_indices=true", body);
                return r.path("count").asLong(-1);
            } catch (IllegalStateException e) {
                if (!String.valueOf(e.getMessage()).contains("-> 503") || System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private JsonNode send(String method, String path, String json) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
            if (json != null) {
                b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 300) {
                throw new IllegalStateException(method + " " + path + " -> " + r.statusCode() + ": " + r.body());
            }
            return r.body().isEmpty() ? MAPPER.nullNode() : MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
