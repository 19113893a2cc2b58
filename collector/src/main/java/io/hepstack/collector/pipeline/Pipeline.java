package io.hepstack.collector.pipeline;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The hand-off between the Netty listeners and the processing stages: a bounded queue and one
 * worker thread that takes batches off it and runs every stage over each batch, in order.
 *
 * <p>Stages are added with an id and a factory that gets the stage's {@link StageContext}
 * ({@link Builder#add}), so each has its metric namespace by construction; the pipeline times each
 * stage ({@code pipeline.stage.<id>}) and counts its failures ({@code pipeline.stage.<id>.errors}).
 *
 * <p>Its promises (PipelineTest holds it to them):
 * <ul>
 * <li>Listeners never block on it for UDP ({@link #offer} fails when the queue is full and the
 *     caller counts the drop); TCP listeners may wait a little ({@link #offer(CapturedMessage,
 *     Duration)}), which stalls their event loop and so pushes back on the senders.</li>
 * <li>A stage that throws is logged and counted, and the batch still goes through the later
 *     stages: one bad message or a bug in the enricher must not cost the raw messages their place
 *     in Elasticsearch.</li>
 * <li>Stateful stages get {@link Stage#tick} about once a second with "now" on the capture clock:
 *     the newest capture time seen plus the wall time since it arrived, so timers follow replayed
 *     traffic and still run when traffic stops. What a tick emits goes through the later stages.</li>
 * <li>{@link #close} stops taking messages, processes everything queued, runs
 *     {@link Stage#flush} through the stages (what a flush emits reaches the later ones), then
 *     {@link Stage#stop()} and {@link Stage#awaitStop} on each, in order.</li>
 * </ul>
 */
public final class Pipeline implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
    private static final long TICK_NANOS = 1_000_000_000L;

    private final Stages stages;
    private final BlockingQueue<CapturedMessage> queue;
    /** Bytes the queued messages hold (payload plus a fixed overhead), bounded by {@link #maxQueuedBytes}. */
    private final java.util.concurrent.atomic.AtomicLong queuedBytes = new java.util.concurrent.atomic.AtomicLong();
    private final long maxQueuedBytes;
    private final int batchSize;
    private final Thread worker;
    private final Meter processed;
    private final long tickNanos;
    private volatile boolean stopping;
    private volatile boolean closed;

    private long newestCaptureMicros;
    private long newestCaptureAtNanos;
    private long lastTickNanos;
    private boolean busy;

    private Pipeline(Builder b) {
        this.stages = b.buildStages();
        this.queue = new ArrayBlockingQueue<>(b.capacity);
        this.maxQueuedBytes = b.queueBytes > 0 ? b.queueBytes : HeapBudget.bytes(0.10);
        b.metrics.gauge("pipeline.queued_bytes", () -> queuedBytes::get);
        long maxBytes = maxQueuedBytes;
        b.metrics.gauge("pipeline.capacity_bytes", () -> () -> maxBytes);
        this.batchSize = b.batchSize;
        this.tickNanos = b.tickNanos;
        this.processed = b.metrics.meter("pipeline.processed");
        b.metrics.gauge("pipeline.queued", () -> queue::size);
        int capacity = b.capacity;
        b.metrics.gauge("pipeline.capacity", () -> () -> capacity);
        this.worker = new Thread(this::run, "pipeline-worker");
        this.worker.setDaemon(true);
    }

    public static Builder builder(MetricRegistry metrics) {
        return new Builder(metrics);
    }

    /** Stages in order, each from its id and a factory of its context; queue and batch sizes. */
    public static final class Builder {
        private final MetricRegistry metrics;
        private final List<String> ids = new ArrayList<>();
        private final List<Function<StageContext, ? extends Stage>> factories = new ArrayList<>();
        private int capacity = 65_536;
        private long queueBytes;
        private int batchSize = 512;
        private long tickNanos = TICK_NANOS;

        private Builder(MetricRegistry metrics) {
            this.metrics = metrics;
        }

        /** Adds a stage after the others; {@code id} names its metrics and logger. */
        public Builder add(String id, Function<StageContext, ? extends Stage> factory) {
            if (ids.contains(id)) {
                throw new IllegalArgumentException("two stages named " + id);
            }
            ids.add(id);
            factories.add(factory);
            return this;
        }

        public Builder config(PipelineConfig config) {
            queueBytes = config.queueBytes;
            return capacity(config.queueCapacity).batchSize(config.batchSize);
        }

        public Builder capacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("queue capacity must be positive: " + capacity);
            }
            this.capacity = capacity;
            return this;
        }

        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be positive: " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** How often stages are ticked (wall time); one second unless a test wants it sooner. */
        public Builder tickEvery(Duration interval) {
            this.tickNanos = interval.toNanos();
            return this;
        }

        public Pipeline build() {
            return new Pipeline(this);
        }

        /** Just the stages, run by the caller's thread (tests, benchmarks, tools replaying captures). */
        public Stages buildStages() {
            return new Stages(ids, factories, metrics);
        }
    }

    public Pipeline start() {
        worker.start();
        return this;
    }

    /** Non-blocking hand-off; false when the queue is full (the caller counts the drop). */
    public boolean offer(CapturedMessage m) {
        if (stopping || !reserve(m)) {
            return false;
        }
        if (queue.offer(m)) {
            return true;
        }
        queuedBytes.addAndGet(-size(m));
        return false;
    }

    /** Takes room for {@code m} in the byte budget; false when it would go over. */
    private boolean reserve(CapturedMessage m) {
        long n = size(m);
        if (queuedBytes.addAndGet(n) > maxQueuedBytes) {
            queuedBytes.addAndGet(-n);
            return false;
        }
        return true;
    }

    /** What a queued message holds: its payload, plus about 512 bytes of packet and message objects. */
    private static long size(CapturedMessage m) {
        return 512L + (m.hep.payload == null ? 0 : m.hep.payload.length);
    }

    /** Hand-off that waits up to {@code wait} for space (TCP back-pressure). */
    public boolean offer(CapturedMessage m, Duration wait) {
        if (stopping) {
            return false;
        }
        long deadline = System.nanoTime() + wait.toNanos();
        boolean reserved = false;
        try {
            while (!(reserved = reserve(m))) { // over the byte budget: wait for the worker, as on a full queue
                if (System.nanoTime() >= deadline) {
                    return false;
                }
                Thread.sleep(1);
            }
            if (queue.offer(m, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (reserved) {
            queuedBytes.addAndGet(-size(m));
        }
        return false;
    }

    public int queued() {
        return queue.size();
    }

    /** The stage with this id (tests, API). */
    public <T extends Stage> T stage(String id, Class<T> type) {
        return stages.stage(id, type);
    }

    /**
     * Stops taking messages, processes what is queued, flushes the stages (what a flush emits goes
     * through the later stages), then stops them and waits for them, in order.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopping = true;
        try {
            if (worker.isAlive()) {
                worker.join(Duration.ofMinutes(2).toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stages.flush();
        stages.stop();
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

    private void run() {
        List<CapturedMessage> messages = new ArrayList<>(batchSize);
        Batch batch = new Batch(messages);
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
                messages.add(first);
                queue.drainTo(messages, batchSize - 1);
                long taken = 0;
                for (CapturedMessage m : messages) {
                    taken += size(m);
                }
                queuedBytes.addAndGet(-taken);
                stages.process(batch);
                for (CapturedMessage m : messages) {
                    long t = m.stateMicros(); // after the stages: a capture clock stage may have set it
                    if (t > newestCaptureMicros) {
                        newestCaptureMicros = t;
                        newestCaptureAtNanos = System.nanoTime();
                    }
                }
                processed.mark(messages.size());
                maybeTick();
            } catch (InterruptedException e) {
                if (stopping) {
                    return;
                }
            } catch (Throwable t) {
                LOG.error("pipeline worker error", t);
            } finally {
                messages.clear();
                batch.clear();
                synchronized (this) {
                    busy = false;
                }
            }
        }
    }

    private void maybeTick() {
        long now = System.nanoTime();
        if (now - lastTickNanos < tickNanos) {
            return;
        }
        lastTickNanos = now;
        if (newestCaptureMicros == 0) {
            return; // no capture clock yet: the wall clock could be far from the traffic's (replays)
        }
        stages.tick(newestCaptureMicros + (now - newestCaptureAtNanos) / 1000);
    }
}
