package io.hepstack.collector.index;

import io.hepstack.collector.document.JsonDocument;

/** Where finished documents go. Implementations may block the caller to apply back-pressure. */
public interface DocumentSink {

    void accept(IndexRequest request);

    /**
     * A document lent by its writer ({@link JsonDocument#finish()}): the sink copies what it keeps
     * before returning, because the writer reuses the buffer for its next document. The writers of
     * the per-message path hand their documents this way, so a sink that appends them straight to
     * a request body (or only counts them) costs no array per document; this default makes the
     * {@link IndexRequest} that {@link #accept(IndexRequest)} takes.
     *
     * @param create  true: a message ({@link IndexRequest#create}); false: an upsert with {@code version}
     */
    default void accept(String index, String id, boolean create, long version, JsonDocument document) {
        byte[] source = document.toByteArray();
        accept(create ? IndexRequest.create(index, id, source) : IndexRequest.upsert(index, id, source, version));
    }

    /** Sends what is buffered now (best effort; does not wait for the answer). */
    default void flush() {
    }
}
