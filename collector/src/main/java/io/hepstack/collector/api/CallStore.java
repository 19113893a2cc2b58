package io.hepstack.collector.api;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;

/** Runs a search over some indices and returns Elasticsearch's answer ({@code hits.hits[]._source}). */
public interface CallStore {

    /**
     * @param indices comma-separated index patterns ({@code hep-tdr-*}); missing indices are no error
     * @param body    the {@code _search} request body (JSON)
     */
    JsonNode search(String indices, String body) throws IOException;

    /**
     * Any other request ({@code POST /hep-sip-*&#47;_pit?keep_alive=5m}, {@code POST /_search} with a
     * point in time, {@code GET /hep-sip-2026.01.01/_doc/ID}); the endpoint may carry a query string.
     * A 404 answer is returned as its body (callers look at {@code found} / {@code error.type}).
     */
    default JsonNode send(String method, String endpoint, String body) throws IOException {
        throw new IOException("this store answers searches only");
    }
}
