package io.hepstack.collector;

import io.hepstack.collector.correlate.CorrelateStage;
import io.hepstack.collector.correlate.CorrelationConfig;
import io.hepstack.collector.enrich.EnrichStage;
import io.hepstack.collector.fraud.AlertsToBatch;
import io.hepstack.collector.fraud.FraudEngine;
import io.hepstack.collector.fraud.FraudStage;
import io.hepstack.collector.ingest.CaptureClock;
import io.hepstack.collector.ingest.CaptureClockStage;
import io.hepstack.collector.parse.IdentifyStage;
import io.hepstack.collector.parse.ParseStage;
import io.hepstack.collector.parse.Protocols;
import io.hepstack.collector.pipeline.Pipeline;
import io.hepstack.collector.rate.RateStage;
import io.hepstack.collector.reorder.ReorderStage;
import io.hepstack.enricher.Enricher;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The one place the processing stages are chained, in the order data flows:
 * {@code (clock →) identify → (reorder →) parse → enrich → correlate → rate → fraud}; the caller adds the index stage
 * (and whatever it wants to watch before it). The collector, the benchmarks' fixture and the tests'
 * harness all build their pipeline here, so a stage added to the chain reaches all three.
 *
 * <p>Which stages are in it follows the settings as the collector applies them: enrich and rate
 * only with an enricher (rate also only when correlation rates), reorder only with a window and
 * correlation on, correlate only when on, fraud only with an engine.
 */
public final class StageChain {

    private final Protocols protocols;
    private Enricher enricher;
    private CorrelationConfig correlation;
    private CaptureClock.Config clock;
    private LongSupplier wallMicros = () -> System.currentTimeMillis() * 1000;
    private boolean reorder = true;
    private FraudEngine fraud;
    private AlertsToBatch alerts;

    public StageChain(Protocols protocols) {
        this.protocols = Objects.requireNonNull(protocols, "protocols");
    }

    /**
     * The capture clock stage first, which holds each packet's state time to the wall clock (see
     * {@link CaptureClock}); null for none (lab replays of old captures).
     */
    public StageChain captureClock(CaptureClock.Config config) {
        this.clock = config;
        return this;
    }

    /** GeoIP, numbers, blacklists (the enrich stage) and rate tables (the rate stage); null for none. */
    public StageChain enricher(Enricher enricher) {
        this.enricher = enricher;
        return this;
    }

    /** Correlation (and the reorder stage before it, as {@code config.reorder} says); null or disabled for none. */
    public StageChain correlation(CorrelationConfig config) {
        this.correlation = config;
        return this;
    }

    /** The wall clock the time guards of reorder and correlate compare capture times with (tests). */
    public StageChain wallClock(LongSupplier wallMicros) {
        this.wallMicros = Objects.requireNonNull(wallMicros, "wallMicros");
        return this;
    }

    /**
     * Leaves the reorder stage out whatever the settings say: for callers that write each message's
     * document right after it went through the stages (bench's DocumentDump).
     */
    public StageChain withoutReorder() {
        this.reorder = false;
        return this;
    }

    /** The fraud engine and where its alerts go (null: nowhere but its listeners); null engine for no fraud stage. */
    public StageChain fraud(FraudEngine engine, AlertsToBatch alertsToIndex) {
        this.fraud = engine;
        this.alerts = alertsToIndex;
        return this;
    }

    /** Adds the stages to {@code b}, in order; returns it for the caller's index stage. */
    public Pipeline.Builder addTo(Pipeline.Builder b) {
        if (clock != null) {
            b.add("clock", ctx -> new CaptureClockStage(ctx, clock, wallMicros));
        }
        b.add("identify", ctx -> new IdentifyStage(ctx, protocols));
        boolean correlating = correlation != null && correlation.enabled;
        if (correlating && reorder && correlation.reorder.enabled()) {
            // before parse and enrich (which emit no events): the window holds raw packets, a few
            // hundred bytes in a handful of arrays each, instead of their parsed and enriched form
            b.add("reorder", ctx -> new ReorderStage(ctx, correlation.reorder, wallMicros));
        }
        b.add("parse", ctx -> new ParseStage(ctx, protocols));
        if (enricher != null) {
            b.add("enrich", ctx -> new EnrichStage(ctx, enricher));
        }
        if (correlating) {
            b.add("correlate", ctx -> new CorrelateStage(ctx, correlation, wallMicros));
            if (enricher != null && correlation.rating) {
                b.add("rate", ctx -> new RateStage(ctx, enricher::rate));
            }
        }
        if (fraud != null) {
            b.add("fraud", ctx -> new FraudStage(ctx, fraud, alerts));
        }
        return b;
    }
}
