package io.hepstack.collector.pipeline;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The hand-off between the Netty listeners and the processing stages: a bounded queue and one
 * worker thread that takes batches off it and runs every stage over each batch, in order.
 *
 * <p>Listeners never block on it for UDP ({@link #offer} fails when the queue is full and the
 * caller counts the drop); TCP listeners may wait a little ({@link #offer(CapturedMessage, Duration)}),
 * which stalls their event loop and so pushes back on the senders. A stage that throws is logged
 * and counted, and the batch still goes through the later stages: one bad message or a bug in the
 * enricher must not cost the raw messages their place in Elasticsearch.
 *
 * <p>Stateful stages get {@link Stage#tick} about once a second with "now" on the capture clock:
 * the newest capture time seen plus the wall time since it arrived, so timers follow replayed
 * traffic and still run when traffic stops.
 */
public final class Pipeline implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

    private final List<Stage> stages;
    private final List<String> stageNames = new ArrayList<>();
    private final BlockingQueue<CapturedMessage> queue;
    private final int batchSize;
    private final Thread worker;
    private final Meter processed;
    private final List<Timer> stageTimers = new ArrayList<>();
    private final List<Meter> stageErrors = new ArrayList<>();
    private volatile boolean stopping;

    private long newestCaptureMicros;
    private long newestCaptureAtNanos;
    private long lastTickNanos;

    public Pipeline(List<Stage> stages, int capacity, int batchSize, MetricRegistry metrics) {
        if (capacity < 1) {
            throw new IllegalArgumentException("queue capacity must be positive: " + capacity);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive: " + batchSize);
        }
        this.stages = List.copyOf(stages);
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.batchSize = batchSize;
        this.processed = metrics.meter("pipeline.processed");
        metrics.gauge("pipeline.queued", () -> queue::size);
        metrics.gauge("pipeline.capacity", () -> () -> capacity);
        for (Stage s : this.stages) {
            String name = s.getClass().getSimpleName().replace("Stage", "").toLowerCase();
            stageNames.add(name);
            stageTimers.add(metrics.timer("pipeline.stage." + name));
            stageErrors.add(metrics.meter("pipeline.stage." + name + ".errors"));
        }
        this.worker = new Thread(this::run, "pipeline-worker");
        this.worker.setDaemon(true);
    }

    public Pipeline start() {
        worker.start();
        return this;
    }

    /** Non-blocking hand-off; false when the queue is full (the caller counts the drop). */
    public boolean offer(CapturedMessage m) {
        return !stopping && queue.offer(m);
    }

    /** Hand-off that waits up to {@code wait} for space (TCP back-pressure). */
    public boolean offer(CapturedMessage m, Duration wait) {
        if (stopping) {
            return false;
        }
        try {
            return queue.offer(m, wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public int queued() {
        return queue.size();
    }

    /** Stops taking messages, processes what is queued, flushes the stages and returns. */
    @Override
    public void close() {
        stopping = true;
        try {
            worker.join(Duration.ofMinutes(2).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (int i = 0; i < stages.size(); i++) {
            try {
                stages.get(i).flush();
            } catch (Throwable t) {
                LOG.error("stage {} failed to flush", stageNames.get(i), t);
            }
        }
    }

    /** Blocks until the queue is empty and the worker is between batches (tests, benchmarks). */
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (this) {
                if (queue.isEmpty() && !busy) {
                    return true;
                }
            }
            Thread.sleep(5);
        }
        return false;
    }

    private boolean busy;

    private void run() {
        List<CapturedMessage> batch = new ArrayList<>(batchSize);
        lastTickNanos = System.nanoTime();
        while (true) {
            try {
                CapturedMessage first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (stopping && queue.isEmpty()) {
                        return;
                    }
                    maybeTick();
                    continue;
                }
                synchronized (this) {
                    busy = true;
                }
                batch.add(first);
                queue.drainTo(batch, batchSize - 1);
                for (CapturedMessage m : batch) {
                    long t = m.timestampMicros();
                    if (t > newestCaptureMicros) {
                        newestCaptureMicros = t;
                        newestCaptureAtNanos = System.nanoTime();
                    }
                }
                runStages(batch);
                processed.mark(batch.size());
                maybeTick();
            } catch (InterruptedException e) {
                if (stopping) {
                    return;
                }
            } catch (Throwable t) {
                LOG.error("pipeline worker error", t);
            } finally {
                batch.clear();
                synchronized (this) {
                    busy = false;
                }
            }
        }
    }

    private void runStages(List<CapturedMessage> batch) {
        for (int i = 0; i < stages.size(); i++) {
            Timer.Context c = stageTimers.get(i).time();
            try {
                stages.get(i).process(batch);
            } catch (Throwable t) {
                stageErrors.get(i).mark();
                LOG.error("stage {} failed on a batch of {}; later stages still run", stageNames.get(i), batch.size(), t);
            } finally {
                c.stop();
            }
        }
    }

    private void maybeTick() {
        long now = System.nanoTime();
        if (now - lastTickNanos < 1_000_000_000L) {
            return;
        }
        lastTickNanos = now;
        if (newestCaptureMicros == 0) {
            return; // no capture clock yet: the wall clock could be far from the traffic's (replays)
        }
        long captureNow = newestCaptureMicros + (now - newestCaptureAtNanos) / 1000;
        for (int i = 0; i < stages.size(); i++) {
            try {
                stages.get(i).tick(captureNow);
            } catch (Throwable t) {
                stageErrors.get(i).mark();
                LOG.error("stage {} failed on tick", stageNames.get(i), t);
            }
        }
    }
}
