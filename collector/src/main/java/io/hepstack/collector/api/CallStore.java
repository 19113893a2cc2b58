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
}
