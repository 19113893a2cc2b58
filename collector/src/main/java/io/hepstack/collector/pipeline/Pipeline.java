package io.hepstack.collector.pipeline;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import io.hepstack.collector.journal.DiskBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * The hand-off between the Netty listeners and the processing stages: a bounded queue (with an
 * optional disk buffer behind it) and one worker thread that takes batches off it and runs every stage over each batch, in order.
 *
 * <p>Stages are added with an id and a factory that gets the stage's {@link StageContext}
 * ({@link Builder#add}), so each has its metric namespace by construction; the pipeline times each
 * stage ({@code pipeline.stage.<id>}) and counts its failures ({@code pipeline.stage.<id>.errors}).
 *
 * <p>Its promises (PipelineTest holds it to them):
 * <ul>
 * <li>Overload is lag, not loss: with a disk buffer ({@link Builder#spillTo}), what does not fit in
 *     the memory queue spills to disk and comes back in order ({@link SpillQueue}). Listeners never
 *     block on it for UDP ({@link #offer} fails only when the disk budget is used up, and the caller
 *     counts the drop); TCP listeners wait ({@link #offer(CapturedMessage, Duration)}), which stalls
 *     their event loop and so slows the senders down; with a disk buffer they are never dropped.</li>
 * <li>Accepted means kept, even through a crash: with a write-ahead disk buffer
 *     ({@link DiskBuffer#writeAhead()}) every message is on disk before the worker sees it, and a
 *     segment is deleted only once no stage holds a message of it and the {@link StoredMark} (the
 *     bulk indexer) has stored everything read from it; a {@code kill -9} loses nothing the listeners
 *     took (what was read but not stored is read again at the next start: at least once, and the
 *     documents' ids make it once in Elasticsearch).</li>
 * <li>A stage that throws is logged and counted, and the batch still goes through the later
 *     stages: one bad message or a bug in the enricher must not cost the raw messages their place
 *     in Elasticsearch.</li>
 * <li>Stateful stages get {@link Stage#tick} about once a second with "now" on the capture clock:
 *     the newest capture time seen plus the wall time since it arrived, so timers follow replayed
 *     traffic and still run when traffic stops. What a tick emits goes through the later stages.</li>
 * <li>{@link #close} stops taking messages, processes everything queued (memory and disk, for at most
 *     the drain timeout; what is left then stays on disk for the next start), logs how long that took, runs
 *     {@link Stage#flush} through the stages (what a flush emits reaches the later ones), then
 *     {@link Stage#stop()} and {@link Stage#awaitStop} on each, in order.</li>
 * </ul>
 */
public final class Pipeline implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
    private static final long TICK_NANOS = 1_000_000_000L;

    private final Stages stages;
    private final SpillQueue queue;
    private final Duration drainTimeout;
    private volatile boolean outOfTime;
    private final int batchSize;
    private final Thread worker;
    private final Meter processed;
    private final StoredMark stored;
    /** Write-ahead release in two steps: segments before this one, once {@link #releaseMark} is reached; -1 none. */
    private long releaseBefore = -1;
    private long releaseMark;
    private final long tickNanos;
    private final long lingerNanos;
    private volatile boolean stopping;
    private volatile boolean closed;
    private volatile boolean started;

    private long newestCaptureMicros;
    private long newestCaptureAtNanos;
    private long lastTickNanos;
    private boolean busy;

    private Pipeline(Builder b) {
        this.stages = b.buildStages();
        this.queue = new SpillQueue(b.capacity, b.queueBytes > 0 ? b.queueBytes : HeapBudget.bytes(0.10), b.disk, b.metrics);
        if (queue.writeAhead() && b.stored == null) {
            throw new IllegalStateException("a write-ahead disk buffer needs the sink that says what is stored (storedBy)");
        }
        this.stored = queue.writeAhead() ? b.stored : null;
        this.drainTimeout = b.drainTimeout;
        this.batchSize = b.batchSize;
        this.tickNanos = b.tickNanos;
        this.lingerNanos = b.lingerNanos;
        this.processed = b.metrics.meter("pipeline.processed");
        b.metrics.gauge("pipeline.queued", () -> queue::inMemory);
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
        private DiskBuffer disk;
        private StoredMark stored;
        private Duration drainTimeout = Duration.ofMinutes(2);
        private long lingerNanos = 0;

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

        /** Queue and batch sizes and the drain timeout of the config (the disk buffer is {@link #spillTo}). */
        public Builder config(PipelineConfig config) {
            queueBytes = config.queueBytes;
            drainTimeout = Duration.ofMillis(config.spill.drainTimeout.toMilliseconds());
            return capacity(config.queueCapacity).batchSize(config.batchSize)
                    .linger(Duration.ofNanos(config.linger.toNanoseconds()));
        }

        /**
         * How long the worker waits for more after taking a small batch (an eighth of the batch size or
         * less) from memory: 0 takes what is there at once.
         */
        public Builder linger(Duration linger) {
            if (linger.isNegative()) {
                throw new IllegalArgumentException("linger must not be negative: " + linger);
            }
            this.lingerNanos = linger.toNanos();
            return this;
        }

        /** What does not fit in memory waits in {@code disk} (the pipeline closes it); null: no spilling. */
        public Builder spillTo(DiskBuffer disk) {
            this.disk = disk;
            return this;
        }

        /** What says when documents are stored: needed with a write-ahead disk buffer, which keeps segments until then. */
        public Builder storedBy(StoredMark stored) {
            this.stored = stored;
            return this;
        }

        /** How long {@link Pipeline#close} may take to process what waits. */
        public Builder drainTimeout(Duration timeout) {
            this.drainTimeout = timeout;
            return this;
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
        started = true;
        worker.start();
        return this;
    }

    /**
     * Before {@link #start}: runs messages whose documents are stored already
     * ({@link CapturedMessage#storedId}; a restart replaying what the previous run stored but had
     * not yet made TDRs of) through the stages on the caller's thread, one batch per call. No tick
     * runs, so no timer fires on their old capture times; {@link #endReplay} then lets them all
     * through.
     *
     * @throws IllegalStateException once the pipeline has started (its worker owns the stages)
     */
    public void replay(List<CapturedMessage> batch) {
        if (started) {
            throw new IllegalStateException("stored messages are replayed before the pipeline starts");
        }
        stages.process(new ArrayList<>(batch)); // a stage may replace the batch's messages (reorder)
    }

    /**
     * The end of a {@link #replay}: a flush through the stages, so the reorder stage lets go what it
     * holds, the correlator writes every record the replay changed (live ones stay live) and the
     * index stage hands its bulk on. Every stage's flush may run again at the stop.
     */
    public void endReplay() {
        if (started) {
            throw new IllegalStateException("stored messages are replayed before the pipeline starts");
        }
        stages.flush();
    }

    /** Non-blocking hand-off; false when neither memory nor the disk buffer can keep it (the caller counts the drop). */
    public boolean offer(CapturedMessage m) {
        return !stopping && queue.offer(m);
    }

    /**
     * Non-blocking hand-off of a batch (a UDP listener's datagrams of one read), in order, through
     * the same memory queue and disk buffer as {@link #offer(CapturedMessage)}. Returns how many
     * were kept: always the first ones — the queue stops at the first message it cannot keep
     * (memory full without a disk buffer, or the disk budget used up; the rest would find it so
     * too), and the caller counts the others as dropped. The list is not kept: the caller may reuse it.
     */
    public int offerAll(List<CapturedMessage> batch) {
        return stopping ? 0 : queue.offerAll(batch);
    }

    /**
     * Hand-off that waits for space (TCP back-pressure): up to {@code wait} without a disk buffer,
     * as long as the disk budget is used up with one.
     */
    public boolean offer(CapturedMessage m, Duration wait) {
        if (stopping) {
            return false;
        }
        try {
            return queue.offer(m, wait, () -> stopping);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Messages waiting in memory. */
    public int queued() {
        return queue.inMemory();
    }

    /** Bytes waiting in the disk buffer. */
    public long spilledBytes() {
        return queue.onDiskBytes();
    }

    /** Whether what does not fit in memory waits on disk (else it is refused). */
    public boolean spills() {
        return queue.spills();
    }

    /** Why messages are refused right now (disk budget used up, disk full), or null. */
    public String lossProblem() {
        return queue.problem();
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
        long start = System.nanoTime();
        long before = processed.getCount();
        try {
            if (worker.isAlive()) {
                worker.join(drainTimeout.toMillis());
            }
            if (worker.isAlive()) {
                outOfTime = true; // the worker finishes its batch and moves what is left in memory to disk
                worker.join(Duration.ofSeconds(30).toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (outOfTime) {
            LOG.warn("pipeline drain stopped after {} ms ({} messages processed); {} bytes wait in the disk buffer for the next start",
                    millis, processed.getCount() - before, queue.onDiskBytes());
        } else {
            LOG.info("pipeline drained in {} ms ({} messages processed at stop)", millis, processed.getCount() - before);
        }
        stages.flush();
        releaseAllStored();
        queue.close();
        stages.stop();
    }

    /** At a stop, after the flush: waits (at most 30 s) for the sink to store what was processed, then deletes those segments. */
    private void releaseAllStored() {
        if (stored == null) {
            return;
        }
        long mark = stored.mark();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try {
            while (!stored.reached(mark)) {
                if (System.nanoTime() > deadline) {
                    LOG.warn("documents not yet stored after 30 s: the write-ahead segments they came from are read again at the next start");
                    return;
                }
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        queue.release(neededFrom()); // all, unless the drain ran out of time
    }

    /** The oldest write-ahead segment a message still waits in (memory, the reader) or is held from (a stage). */
    private long neededFrom() {
        return Math.min(queue.readFrom(), stages.heldFrom());
    }

    /**
     * Write-ahead: deletes the disk-buffer segments whose messages have all left the stages and are
     * stored. Two steps, a tick apart: note the oldest segment still needed (being read, or held by
     * a stage) with a mark of the sink; once the sink reaches that mark, every older segment is stored.
     */
    private void releaseStored() {
        if (stored == null) {
            return;
        }
        if (releaseBefore >= 0) {
            if (!stored.reached(releaseMark)) {
                return;
            }
            queue.release(releaseBefore);
        }
        releaseBefore = neededFrom();
        releaseMark = stored.mark();
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
        List<CapturedMessage> received = new ArrayList<>(batchSize);
        lastTickNanos = System.nanoTime();
        while (true) {
            try {
                if (outOfTime) {
                    int moved = queue.spillMemory();
                    LOG.warn("{} messages in memory at stop wait in the disk buffer for the next start", moved);
                    return;
                }
                queue.take(messages, batchSize, 100);
                if (messages.isEmpty()) {
                    if (stopping && queue.isEmpty()) {
                        return;
                    }
                    maybeTick();
                    continue;
                }
                synchronized (this) {
                    busy = true;
                }
                if (lingerNanos > 0 && messages.size() <= batchSize / 8 && !stopping) {
                    // a few messages: wait a moment for more rather than run every stage for a handful
                    // (per batch, each stage has its fixed cost, and the listener wakes this thread)
                    LockSupport.parkNanos(lingerNanos);
                    queue.take(messages, batchSize - messages.size(), 0);
                }
                received.clear();
                received.addAll(messages); // a stage may hold some back and hand on others (reorder)
                stages.process(batch);
                for (CapturedMessage m : received) {
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
        releaseStored();
        if (newestCaptureMicros == 0) {
            return; // no capture clock yet: the wall clock could be far from the traffic's (replays)
        }
        stages.tick(newestCaptureMicros + (now - newestCaptureAtNanos) / 1000);
    }
}
