package io.hepstack.collector.correlate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.collector.index.DocumentSink;
import io.hepstack.collector.index.IndexRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Keeps every request a stage sends, like Elasticsearch would: the highest external version per id wins. */
public final class RecordingSink implements DocumentSink {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    final List<IndexRequest> requests = new ArrayList<>();
    private final Map<String, IndexRequest> latest = new LinkedHashMap<>();
    int flushes;

    @Override
    public synchronized void accept(IndexRequest r) {
        requests.add(r);
        String k = r.index() + "/" + r.id();
        IndexRequest old = latest.get(k);
        if (old == null || r.externalVersion() > old.externalVersion()) {
            latest.put(k, r);
        }
    }

    @Override
    public void flush() {
        flushes++;
    }

    /** The current request of every document (the highest version), in first-write order. */
    public synchronized List<IndexRequest> latest() {
        return new ArrayList<>(latest.values());
    }

    /** The current document of every TDR. */
    public synchronized List<JsonNode> docs() {
        List<JsonNode> out = new ArrayList<>();
        for (IndexRequest r : latest.values()) {
            out.add(json(r));
        }
        return out;
    }

    /** The current TDR of an INVITE dialog. */
    JsonNode call(String callId) {
        JsonNode found = null;
        for (JsonNode d : docs()) {
            if (d.path("tdr").path("type").asText().equals("call") && d.path("tdr").path("call_id").asText().equals(callId)) {
                if (found != null) {
                    throw new AssertionError("two call TDRs for " + callId);
                }
                found = d;
            }
        }
        if (found == null) {
            throw new AssertionError("no call TDR for " + callId + "; have " + docs().size() + " TDRs");
        }
        return found;
    }

    /** Current TDRs of a type (call, registration, options, ...). */
    List<JsonNode> ofType(String type) {
        return docs().stream().filter(d -> d.path("tdr").path("type").asText().equals(type)).toList();
    }

    /** Every version written for a document id, in order. */
    synchronized List<JsonNode> versions(String docId) {
        List<JsonNode> out = new ArrayList<>();
        for (IndexRequest r : requests) {
            if (r.id().equals(docId)) {
                out.add(json(r));
            }
        }
        return out;
    }

    synchronized List<IndexRequest> requestsFor(String docId) {
        return requests.stream().filter(r -> r.id().equals(docId)).toList();
    }

    static JsonNode json(IndexRequest r) {
        try {
            return MAPPER.readTree(r.source());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
