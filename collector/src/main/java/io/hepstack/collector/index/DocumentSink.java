package io.hepstack.collector.index;

/** Where finished documents go. Implementations may block the caller to apply back-pressure. */
public interface DocumentSink {

    void accept(IndexRequest request);

    /** Sends what is buffered now (best effort; does not wait for the answer). */
    default void flush() {
    }
}
