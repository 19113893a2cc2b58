package io.hepstack.collector.pipeline;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import io.hepstack.collector.journal.DiskBuffer;
import io.hepstack.collector.journal.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pipeline's queue: a bounded queue in memory and, behind it, an optional {@link DiskBuffer}.
 * When memory is full, messages spill to disk, and from then on every new message goes to disk
 * until the worker has read the disk empty, so messages come out in the order they went in.
 *
 * <p>A message is refused only when there is no disk buffer and memory is full, or when the disk
 * buffer's budget is used up or its disk is full: counted as {@code pipeline.lost.disk_full} (and by
 * the listener), logged, reported by {@link #problem()}.
 *
 * <p>With a write-ahead disk buffer every message is appended to disk as well ({@code
 * pipeline.journal.written}), so a crash loses nothing the listeners accepted, while the worker still
 * takes it from memory when it fits (no reading back, no decoding on the worker); what does not fit
 * is read back from disk as without write-ahead ({@code pipeline.spill.written}), the reader pointed at
 * the first message memory did not take. The worker says which segments are stored ({@link #release}).
 */
final class SpillQueue {

    private static final Logger LOG = LoggerFactory.getLogger(SpillQueue.class);

    private final BoundedMemory memory;
    private final DiskBuffer disk;
    private final boolean writeAhead;
    private final Meter journaled;
    private final Meter unjournaled;
    /** Write-ahead: the last message the disk refused was lost too (memory could not take it either). */
    private volatile boolean losing;
    private final Object lock = new Object();
    /**
     * Write-ahead: each appending thread (the listeners) encodes its batch's records into one reused
     * buffer, written with one plain write: no array per message, no buffer per record.
     */
    private static final ThreadLocal<RecordBatch> RECORDS = ThreadLocal.withInitial(RecordBatch::new);
    private volatile boolean spilling;
    private final Meter spilled;
    private final Meter readBack;
    private final Meter lost;
    private final Meter unreadable;

    /**
     * @param capacity messages held in memory at most
     * @param maxBytes bytes those messages may hold at most (payloads plus a fixed overhead each)
     */
    SpillQueue(int capacity, long maxBytes, DiskBuffer disk, MetricRegistry metrics) {
        this.memory = new BoundedMemory(capacity, maxBytes);
        metrics.gauge("pipeline.queued_bytes", () -> memory::bytes);
        metrics.gauge("pipeline.capacity_bytes", () -> () -> maxBytes);
        this.disk = disk;
        this.writeAhead = disk != null && disk.writeAhead();
        this.journaled = metrics.meter("pipeline.journal.written");
        this.unjournaled = metrics.meter("pipeline.journal.skipped");
        this.spilled = metrics.meter("pipeline.spill.written");
        this.readBack = metrics.meter("pipeline.spill.read");
        this.lost = metrics.meter("pipeline.lost.disk_full");
        this.unreadable = metrics.meter("pipeline.spill.unreadable");
        if (disk != null) {
            spilling = !disk.isEmpty(); // left by the previous run: it comes before anything new
            if (writeAhead && !spilling) {
                stopReading();
            }
            metrics.gauge("pipeline.spill.bytes", () -> disk::bytes);
            metrics.gauge("pipeline.spill.quarantined", () -> disk::quarantined);
        }
    }

    /** Never waits; false when the message could not be kept (counted here). */
    boolean offer(CapturedMessage m) {
        return offerAll(List.of(m)) == 1;
    }

    /**
     * Under the lock: memory while nothing waits on disk (order), else the disk buffer; false when
     * its budget is used up.
     */
    private boolean keep(CapturedMessage m, byte[] record) {
        synchronized (lock) {
            if (!spilling && memory.offer(m)) {
                return true;
            }
            if (disk.append(record)) {
                spilling = true;
                spilled.mark();
                return true;
            }
        }
        return false;
    }

    /**
     * {@link #offer(CapturedMessage)} for each message in order, up to the first one not kept;
     * returns how many were kept. What goes to disk goes with one append (one write per datagram
     * batch: a listener thread spilling under overload makes one system call, not one per message).
     */
    int offerAll(List<CapturedMessage> batch) {
        if (writeAhead) {
            return appendAll(batch);
        }
        int n = batch.size();
        int kept = 0;
        while (kept < n && !spilling && memory.offer(batch.get(kept))) {
            kept++;
        }
        if (kept == n || disk == null) {
            return kept;
        }
        List<byte[]> records = encode(batch, kept);
        synchronized (lock) {
            int i = 0;
            while (i < records.size() && !spilling && memory.offer(batch.get(kept + i))) {
                i++; // the worker made room meanwhile and nothing waits on disk
            }
            int onDisk = i < records.size() ? disk.appendAll(records.subList(i, records.size())) : 0;
            if (onDisk > 0) {
                spilling = true;
                spilled.mark(onDisk);
            }
            kept += i + onDisk;
            if (i + onDisk < records.size()) {
                lost.mark(records.size() - i - onDisk); // refused by the disk budget or a full disk
            }
        }
        return kept;
    }

    /**
     * Waits for room: in memory up to {@code wait} without a disk buffer; with one, as long as its
     * budget is used up (TCP senders are slowed, never dropped) or until {@code stopping} says so.
     */
    boolean offer(CapturedMessage m, Duration wait, java.util.function.BooleanSupplier stopping) throws InterruptedException {
        if (disk == null) {
            long deadline = System.nanoTime() + wait.toNanos();
            while (!memory.offer(m)) { // full by count or by bytes: wait for the worker
                if (System.nanoTime() >= deadline || stopping.getAsBoolean()) {
                    return false;
                }
                Thread.sleep(1);
            }
            return true;
        }
        if (writeAhead) {
            List<CapturedMessage> one = List.of(m);
            while (appendAll(one) == 0) {
                if (stopping.getAsBoolean()) {
                    return false; // counted lost by appendAll
                }
                Thread.sleep(10);
            }
            return true;
        }
        if (!spilling && memory.offer(m)) {
            return true;
        }
        byte[] record = SpilledMessage.encode(m); // once, however long the disk budget makes it wait
        while (true) {
            if (keep(m, record)) {
                return true;
            }
            if (stopping.getAsBoolean()) {
                lost.mark();
                return false;
            }
            Thread.sleep(10);
        }
    }

    /**
     * Write-ahead: every message to disk (one write per batch), then to memory while it fits and
     * nothing waits on disk; the first one memory does not take is where the reader starts.
     */
    private int appendAll(List<CapturedMessage> batch) {
        RecordBatch records = RECORDS.get();
        records.clear();
        encode(batch, records);
        long[] positions = new long[records.size()];
        synchronized (lock) {
            int onDisk = disk.appendAll(records, positions);
            journaled.mark(onDisk);
            for (int i = 0; i < onDisk; i++) {
                CapturedMessage m = batch.get(i);
                m.writeAheadSegment = positions[i] >>> 32;
                if (!spilling && memory.offer(m)) {
                    continue;
                }
                if (!spilling) {
                    spilling = true;
                    disk.startReadingAt(positions[i]);
                }
                spilled.mark();
            }
            int kept = onDisk;
            // the disk refused the rest (budget used up, disk full): memory still takes them while it
            // can, without the crash guarantee (counted), rather than lose them now
            while (kept < records.size() && !spilling && memory.offer(batch.get(kept))) {
                batch.get(kept).writeAheadSegment = CapturedMessage.NOT_JOURNALED;
                unjournaled.mark();
                kept++;
            }
            losing = kept < records.size();
            if (losing) {
                lost.mark(records.size() - kept);
            }
            return kept;
        }
    }

    /** The write-ahead records of {@code batch} into {@code records}, up to the first that does not encode. */
    private void encode(List<CapturedMessage> batch, RecordBatch records) {
        for (CapturedMessage m : batch) {
            try {
                SpilledMessage.encode(m, records.begin());
                records.end();
            } catch (RuntimeException e) { // as below
                records.abort();
                unencodable(m, e);
                break;
            }
        }
    }

    private void unencodable(CapturedMessage m, RuntimeException e) {
        unreadable.mark();
        LOG.error("message from {} cannot be written to the disk buffer: {}", m.peer, e.toString());
    }

    /** The disk records of {@code batch} from {@code from} on, up to the first that does not encode. */
    private List<byte[]> encode(List<CapturedMessage> batch, int from) {
        List<byte[]> records = new ArrayList<>(batch.size() - from);
        for (int i = from; i < batch.size(); i++) {
            try {
                records.add(SpilledMessage.encode(batch.get(i)));
            } catch (RuntimeException e) { // a packet the decoder accepted always encodes; if not, say so (the batch stops there)
                unencodable(batch.get(i), e);
                break;
            }
        }
        return records;
    }

    private void stopReading() {
        try {
            disk.stopReading();
        } catch (IOException e) {
            LOG.error("disk buffer: {}", e.toString());
        }
    }

    /** Moves up to {@code max} messages, oldest first, into {@code out}; waits up to {@code timeoutMillis} for one. */
    void take(List<CapturedMessage> out, int max, long timeoutMillis) throws InterruptedException {
        if (memory.drainTo(out, max) > 0) {
            return;
        }
        if (spilling) { // memory holds nothing older than the disk
            readDisk(out, max);
            return;
        }
        CapturedMessage first = memory.poll(timeoutMillis);
        if (first != null) {
            out.add(first);
            memory.drainTo(out, max - 1);
        }
    }

    private void readDisk(List<CapturedMessage> out, int max) {
        List<byte[]> records;
        try {
            records = disk.poll(max);
        } catch (IOException e) {
            LOG.error("disk buffer cannot be read: {}", e.toString());
            return;
        }
        long segment = disk.polledFrom();
        boolean previousRun = disk.polledFromPreviousRun();
        for (byte[] r : records) {
            try {
                CapturedMessage m = SpilledMessage.decode(r);
                m.writeAheadSegment = segment;
                m.previousRun = previousRun;
                out.add(m);
            } catch (RuntimeException e) {
                unreadable.mark();
                LOG.error("a record of the disk buffer is not a message: {}", e.toString());
            }
        }
        readBack.mark(out.size());
        if (records.isEmpty()) {
            synchronized (lock) {
                if (disk.isEmpty()) {
                    spilling = false; // caught up: memory again
                    if (writeAhead) {
                        stopReading();
                    }
                }
            }
        }
    }

    /** Moves what is in memory to the disk (a stop that ran out of time); what does not fit is counted lost. */
    int spillMemory() {
        if (disk == null) {
            return 0;
        }
        if (writeAhead) { // on disk already (and kept: readFrom() still sees them): the next start reads them again
            return memory.size();
        }
        int moved = 0;
        synchronized (lock) {
            spilling = true;
            for (CapturedMessage m; (m = memory.poll()) != null; ) {
                if (disk.append(SpilledMessage.encode(m))) {
                    moved++;
                } else {
                    lost.mark();
                }
            }
        }
        return moved;
    }

    boolean isEmpty() {
        return memory.isEmpty() && !spilling;
    }

    /** Whether every accepted message goes through the disk buffer first (see the class comment). */
    boolean writeAhead() {
        return writeAhead;
    }

    /**
     * Write-ahead: the oldest segment whose messages have not all been taken by the worker: the one
     * the oldest message in memory came from, or the reader's ({@link DiskBuffer#readFrom()}).
     */
    long readFrom() {
        synchronized (lock) { // no listener between its append and its offer to memory
            try {
                disk.seal(); // about once a second: what memory delivered becomes deletable once stored
            } catch (IOException e) {
                LOG.error("disk buffer: {}", e.toString());
            }
            CapturedMessage head = memory.peek();
            long fromDisk = disk.readFrom();
            return head == null ? fromDisk : Math.min(head.writeAheadSegment, fromDisk);
        }
    }

    /** Write-ahead: deletes the segments read to the end below {@code before}: what was read from them is stored. */
    void release(long before) {
        try {
            disk.release(before);
        } catch (IOException e) {
            LOG.error("cannot delete a stored segment of the disk buffer: {}", e.toString());
        }
    }

    int inMemory() {
        return memory.size();
    }

    boolean spills() {
        return disk != null;
    }

    /** Bytes waiting on disk to be processed (with write-ahead: what memory did not take, the lag). */
    long onDiskBytes() {
        if (disk == null) {
            return 0;
        }
        if (!writeAhead) {
            return disk.bytes();
        }
        synchronized (lock) {
            return spilling ? disk.unreadBytes() : 0;
        }
    }

    /** Why messages are being refused right now (disk budget or disk full), or null. */
    String problem() {
        if (disk == null || (writeAhead && !losing)) { // write-ahead: memory may still take what the disk refuses
            return null;
        }
        return disk.problem();
    }

    void close() {
        if (disk != null) {
            try {
                disk.close();
            } catch (IOException e) {
                LOG.error("closing the disk buffer: {}", e.toString());
            }
        }
    }

    /** The in-memory part: bounded by count and by bytes (a flood of large packets cannot fill the heap). */
    private static final class BoundedMemory {
        private final BlockingQueue<CapturedMessage> queue;
        private final AtomicLong bytes = new AtomicLong();
        private final long maxBytes;

        BoundedMemory(int capacity, long maxBytes) {
            this.queue = new ArrayBlockingQueue<>(capacity);
            this.maxBytes = maxBytes;
        }

        boolean offer(CapturedMessage m) {
            long n = m.heldBytes();
            if (bytes.addAndGet(n) > maxBytes) {
                bytes.addAndGet(-n);
                return false;
            }
            if (queue.offer(m)) {
                return true;
            }
            bytes.addAndGet(-n);
            return false;
        }

        int drainTo(List<CapturedMessage> out, int max) {
            int before = out.size();
            int n = queue.drainTo(out, max);
            long taken = 0;
            for (int i = before; i < out.size(); i++) {
                taken += out.get(i).heldBytes();
            }
            bytes.addAndGet(-taken);
            return n;
        }

        CapturedMessage poll(long timeoutMillis) throws InterruptedException {
            CapturedMessage m = queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
            if (m != null) {
                bytes.addAndGet(-m.heldBytes());
            }
            return m;
        }

        CapturedMessage peek() {
            return queue.peek();
        }

        CapturedMessage poll() {
            CapturedMessage m = queue.poll();
            if (m != null) {
                bytes.addAndGet(-m.heldBytes());
            }
            return m;
        }

        boolean isEmpty() {
            return queue.isEmpty();
        }

        int size() {
            return queue.size();
        }

        long bytes() {
            return bytes.get();
        }
    }
}
