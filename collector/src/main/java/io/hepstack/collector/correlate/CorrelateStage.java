package io.hepstack.collector.correlate;

import com.codahale.metrics.MetricRegistry;
import io.hepstack.collector.index.DocumentSink;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.Stage;
import io.hepstack.enricher.Enricher;

import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The correlation step of the pipeline (after parse and enrich, before fraud and index): sets
 * {@link CapturedMessage#callId} and {@link CapturedMessage#duplicate} on every message it can
 * place, and keeps one TDR per call and per non-INVITE transaction upserted into
 * {@code hep-tdr-<start day>} through the sink, with a deterministic {@code _id} and increasing
 * external versions. See {@link Correlator} and docs/tdr.md for the rules.
 *
 * <p>Metrics ({@code correlate.*}): gauges {@code calls.live}, {@code transactions.live},
 * {@code orphans.waiting}; meters {@code calls}, {@code transactions}, {@code tdr.written},
 * {@code duplicates}, {@code evictions}, {@code expired}, {@code late}, {@code unmatched},
 * {@code orphans.expired}, {@code orphans.dropped}, {@code listener.errors}, {@code errors}.
 */
public final class CorrelateStage implements Stage {

    private final boolean enabled;
    private final Correlator correlator;
    private final CorrelationMetrics metrics;
    private final DocumentSink sink;

    /**
     * @param config   correlation settings (validated here)
     * @param sink     where TDRs go (the bulk indexer)
     * @param enricher GeoIP/blacklists/numbers/rating for the TDR; null = none
     * @param metrics  registry for {@code correlate.*}
     * @param listener told about calls and SIP messages (the fraud engine's bridge); null = none
     */
    public CorrelateStage(CorrelationConfig config, DocumentSink sink, Enricher enricher, MetricRegistry metrics,
                          CallListener listener) {
        this(config, sink, enricher, metrics, listener, () -> System.currentTimeMillis() * 1000);
    }

    public CorrelateStage(CorrelationConfig config, DocumentSink sink, Enricher enricher, MetricRegistry metrics) {
        this(config, sink, enricher, metrics, null);
    }

    /** As above, with the wall clock given (tests: the capture clock is held within {@code maxClockLead} of it). */
    CorrelateStage(CorrelationConfig config, DocumentSink sink, Enricher enricher, MetricRegistry metrics,
                   CallListener listener, LongSupplier wallMicros) {
        Objects.requireNonNull(config, "config");
        this.sink = Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(metrics, "metrics");
        this.enabled = config.enabled;
        this.metrics = new CorrelationMetrics(metrics);
        this.correlator = new Correlator(config, sink, enricher, listener, this.metrics,
                Objects.requireNonNull(wallMicros, "wallMicros"));
    }

    @Override
    public void process(List<CapturedMessage> batch) {
        if (!enabled) {
            return;
        }
        correlator.process(batch);
        publish();
    }

    @Override
    public void tick(long nowMicros) {
        if (!enabled) {
            return;
        }
        correlator.tick(nowMicros);
        publish();
    }

    /** Writes every TDR with unwritten changes as it is (live calls stay live in Elasticsearch). */
    @Override
    public void flush() {
        if (!enabled) {
            return;
        }
        correlator.flush();
        publish();
        sink.flush();
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
