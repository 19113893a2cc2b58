package io.hepstack.collector.correlate;

import io.hepstack.collector.pipeline.Batch;
import io.hepstack.collector.pipeline.Stage;
import io.hepstack.collector.pipeline.StageContext;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The correlation step of the pipeline (after parse and enrich, before rate, fraud and index): sets
 * {@code callId} and {@code duplicate} on every message it can place, keeps one TDR per call and
 * per non-INVITE transaction, and emits into the batch the {@link CallEvent}s (started, answered,
 * ended, media report) and {@link TdrWrite}s (upserts into {@code hep-tdr-<start day>} with a
 * deterministic {@code _id} and increasing external versions) that the later stages consume. See
 * {@link Correlator} and docs/tdr.md for the rules.
 *
 * <p>Metrics ({@code correlate.*}): gauges {@code calls.live}, {@code transactions.live},
 * {@code orphans.waiting}; meters {@code calls}, {@code transactions}, {@code tdr.written},
 * {@code duplicates}, {@code evictions}, {@code expired}, {@code late}, {@code unmatched},
 * {@code orphans.expired}, {@code orphans.dropped}, {@code errors}.
 */
public final class CorrelateStage implements Stage {

    private final Correlator correlator;
    private final CorrelationMetrics metrics;

    /**
     * @param context the stage's id ("correlate"), metrics and logger
     * @param config  correlation settings (validated here)
     */
    public CorrelateStage(StageContext context, CorrelationConfig config) {
        this(context, config, () -> System.currentTimeMillis() * 1000);
    }

    /** As above, with the wall clock given (tests: the capture clock is held within {@code maxClockLead} of it). */
    public CorrelateStage(StageContext context, CorrelationConfig config, LongSupplier wallMicros) {
        Objects.requireNonNull(config, "config");
        this.metrics = new CorrelationMetrics(context);
        this.correlator = new Correlator(config, this.metrics, Objects.requireNonNull(wallMicros, "wallMicros"));
    }

    @Override
    public void process(Batch batch) {
        if (batch.messages().isEmpty()) {
            return;
        }
        correlator.process(batch);
        publish();
    }

    @Override
    public void tick(long nowMicros, Batch batch) {
        correlator.tick(nowMicros, batch);
        publish();
    }

    /** Emits a write of every TDR with unwritten changes as it is (live calls stay live in Elasticsearch). */
    @Override
    public void flush(Batch batch) {
        correlator.flush(batch);
        publish();
    }

    /**
     * Takes back the calls that were live before a restart (clean or a crash), from their TDR
     * documents as stored: pairs of index name and {@code _source}. Call before the pipeline runs.
     *
     * @return how many calls are live again
     */
    public int resume(java.util.List<java.util.Map.Entry<String, com.fasterxml.jackson.databind.node.ObjectNode>> tdrs) {
        int n = correlator.resume(tdrs);
        publish();
        return n;
    }

    /** Live calls in memory. */
    public int liveCalls() {
        return correlator.liveCalls();
    }

    /** Live non-INVITE transactions in memory. */
    public int liveTransactions() {
        return correlator.liveTransactions();
    }

    Correlator correlator() {
        return correlator;
    }

    private void publish() {
        metrics.publish(correlator.liveCalls(), correlator.liveTransactions(), correlator.orphans());
    }
}
