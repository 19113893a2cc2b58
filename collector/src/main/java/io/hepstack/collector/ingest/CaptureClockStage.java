package io.hepstack.collector.ingest;

import io.hepstack.collector.pipeline.Batch;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.Stage;
import io.hepstack.collector.pipeline.StageContext;

import java.util.function.LongSupplier;

/**
 * The first stage of a live collector: stamps every message with its state and index times from the
 * {@link CaptureClock} — but a message replayed from storage at a restart ({@link CapturedMessage#stored()}),
 * which keeps its HEP time and teaches the clock nothing. Offline replays (tools, benchmarks) leave it out and run on HEP time.
 * Metrics: {@code <id>.clamped}, {@code <id>.agents}, {@code <id>.agents_evicted}, {@code <id>.reseeded}.
 */
public final class CaptureClockStage implements Stage {

    private final CaptureClock clock;

    public CaptureClockStage(StageContext context, CaptureClock.Config config, LongSupplier wallMicros) {
        this.clock = new CaptureClock(config, wallMicros);
        context.gauge("clamped", clock::clamped);
        context.gauge("agents", clock::agents);
        context.gauge("agents_evicted", clock::evicted);
        context.gauge("reseeded", clock::reseeded);
    }

    @Override
    public void process(Batch batch) {
        for (CapturedMessage m : batch.messages()) {
            if (!m.stored()) { // replayed from storage: its time is history, it runs on its HEP time
                clock.stamp(m);
            }
        }
    }

    public CaptureClock clock() {
        return clock;
    }
}
