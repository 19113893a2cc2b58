package io.hepstack.collector.pipeline;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.SlidingWindowReservoir;
import com.codahale.metrics.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The stages of a pipeline, in order, and how a batch, a tick and the final flush go through them.
 * {@link Pipeline} runs them on its worker thread; tests, benchmarks and tools that replay captures
 * run them on their own ({@link Pipeline.Builder#buildStages()}). Not thread-safe.
 *
 * <p>A stage that throws is logged and counted ({@code pipeline.stage.<id>.errors}) and the batch
 * still goes through the later stages. A tick or a flush is a batch without messages: each stage
 * first processes what the earlier ones emitted into it, then ticks or flushes (and may emit in
 * turn, for the later ones).
 */
public final class Stages {

    private static final Logger LOG = LoggerFactory.getLogger(Stages.class);

    private final Stage[] stages;
    private final String[] ids;
    private final Timer[] timers;
    private final Meter[] errors;
    private boolean stopped;

    Stages(List<String> ids, List<Function<StageContext, ? extends Stage>> factories, MetricRegistry metrics) {
        int n = ids.size();
        this.stages = new Stage[n];
        this.ids = ids.toArray(new String[0]);
        this.timers = new Timer[n];
        this.errors = new Meter[n];
        for (int i = 0; i < n; i++) {
            stages[i] = factories.get(i).apply(new StageContext(this.ids[i], metrics));
            timers[i] = metrics.timer("pipeline.stage." + this.ids[i], Stages::stageTimer);
            errors[i] = metrics.meter("pipeline.stage." + this.ids[i] + ".errors");
        }
    }

    /**
     * A stage's timer keeps its last {@value #TIMED_BATCHES} batches' times: an array slot per
     * update. The default reservoir (exponentially decaying, a skip list insert per update) cost 4 %
     * of the worker's CPU when the batches were small (JFR, GcCost paced at 6,000/s in batches of 8).
     */
    private static Timer stageTimer() {
        return new Timer(new SlidingWindowReservoir(TIMED_BATCHES));
    }

    private static final int TIMED_BATCHES = 1024;

    /** Runs a batch through every stage, in order. */
    public void process(Batch batch) {
        for (int i = 0; i < stages.length; i++) {
            Timer.Context c = timers[i].time();
            try {
                stages[i].process(batch);
            } catch (Throwable t) {
                errors[i].mark();
                LOG.error("stage {} failed on a batch of {}; later stages still run", ids[i], batch.messages().size(), t);
            } finally {
                c.stop();
            }
        }
    }

    /** Runs these messages through every stage as one batch; returns the batch (with its events). */
    public Batch process(List<CapturedMessage> messages) {
        Batch b = new Batch(messages);
        process(b);
        return b;
    }

    /** One tick at {@code nowMicros} (capture clock) through all stages; returns its batch. */
    public Batch tick(long nowMicros) {
        Batch batch = Batch.empty();
        batch.tickMicros(nowMicros);
        for (int i = 0; i < stages.length; i++) {
            try {
                stages[i].process(batch);
                stages[i].tick(nowMicros, batch);
            } catch (Throwable t) {
                errors[i].mark();
                LOG.error("stage {} failed on tick", ids[i], t);
            }
        }
        return batch;
    }

    /** The final flush through all stages; returns its batch. */
    public Batch flush() {
        Batch batch = Batch.empty();
        for (int i = 0; i < stages.length; i++) {
            try {
                stages[i].process(batch);
                stages[i].flush(batch);
            } catch (Throwable t) {
                errors[i].mark();
                LOG.error("stage {} failed to flush", ids[i], t);
            }
        }
        return batch;
    }

    /** The oldest write-ahead segment a stage holds a message of ({@link Stage#heldFrom()}). */
    public long heldFrom() {
        long from = CapturedMessage.NOT_JOURNALED;
        for (Stage s : stages) {
            from = Math.min(from, s.heldFrom());
        }
        return from;
    }

    /** Stops every stage, then waits for each (at most 30 s a stage). Once. */
    public void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        for (int i = 0; i < stages.length; i++) {
            try {
                stages[i].stop();
            } catch (Throwable t) {
                LOG.error("stage {} failed to stop", ids[i], t);
            }
        }
        for (int i = 0; i < stages.length; i++) {
            try {
                if (!stages[i].awaitStop(Duration.ofSeconds(30))) {
                    LOG.warn("stage {} did not stop within 30 s", ids[i]);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The stage with this id. */
    public <T extends Stage> T stage(String id, Class<T> type) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i].equals(id)) {
                return type.cast(stages[i]);
            }
        }
        throw new IllegalArgumentException("no stage " + id);
    }

    public List<String> ids() {
        return List.of(ids);
    }
}
