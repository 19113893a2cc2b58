package io.hepstack.collector.pipeline;

import java.util.List;

/**
 * One step of the pipeline (parse, enrich, correlate, fraud, index). It works on batches, on the
 * pipeline's worker thread. Stateful stages (correlation, fraud windows) also get periodic
 * {@link #tick} calls with the capture clock, and {@link #flush} on shutdown.
 */
public interface Stage {

    void process(List<CapturedMessage> batch);

    /** Called about once a second with the newest capture time seen (or wall time when idle). */
    default void tick(long nowMicros) {
    }

    /** Called once when the pipeline stops, after the last batch. */
    default void flush() {
    }
}
