package io.hepstack.collector.journal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A first-in first-out queue of records on disk, bounded by a byte budget: what does not fit in
 * memory waits here, in order, until its reader catches up. Any number of threads append; one
 * reader takes records out.
 *
 * <p>Records are appended to the newest segment file ({@link SegmentWriter}), which is closed and a
 * new one begun every {@code segmentBytes}; the reader reads whole segments, oldest first, and
 * deletes a segment once it asks for more after it. So after a crash, the segments left in the
 * folder are read again at the next start (the records of the last one handed out may be read a
 * second time: at least once, never lost). {@link Durability} says how much may be lost to a
 * machine crash. A damaged segment (cut-off tail, checksum mismatch) gives its intact records and is
 * moved to {@code quarantine/}; both are counted.
 *
 * <p>Appending fails (returns false, with the reason in {@link #problem()}) when the budget is used
 * up or the disk is full; the next append tries again, so the buffer resumes when space returns.
 *
 * <p><b>Write-ahead</b> ({@code writeAhead} true): every accepted message is appended, also those its
 * owner hands on from memory, and no segment is deleted before {@link #release} says that everything
 * in it is stored; so a {@code kill -9} loses nothing appended (what was not yet stored is read again
 * at the next start, at least once). While the owner delivers from memory the reader is idle
 * ({@link #stopReading}) and full segments wait for {@link #release}; when memory overflows the owner
 * points the reader at the first record memory did not take ({@link #startReadingAt}). A position is
 * the segment number in the high 32 bits and the record's index in it in the low 32.
 */
public final class DiskBuffer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DiskBuffer.class);
    private static final String SUFFIX = ".seg";

    private final Path dir;
    private final Path quarantine;
    private final long maxBytes;
    private final long segmentBytes;
    private final Durability durability;
    private final boolean writeAhead;
    private final ScheduledExecutorService syncer;
    /** Closed segments waiting to be read, oldest first. */
    private final Deque<Path> closed = new ArrayDeque<>();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong quarantined = new AtomicLong();
    private final AtomicLong recovered = new AtomicLong();
    private long sequence;
    /** The first segment this process writes: those before it were left by the previous run. */
    private final long firstOwn;
    private SegmentWriter current;
    /** Write-ahead: whether the reader takes records (else segments go straight to {@link #retained} when full). */
    private boolean readerActive = true;
    /** Write-ahead: the reader starts segment {@code skipSegment} at record {@code skipIndex} (memory delivered those before). */
    private long skipSegment = -1;
    private int skipIndex;
    /** Write-ahead: segments read to the end, kept until {@link #release} passes them, oldest first. */
    private final Deque<Path> retained = new ArrayDeque<>();
    private long retainedBytes;
    /** Segments closed since the last interval sync whose data may not be on the disk yet. */
    private final List<Path> unsynced = new ArrayList<>();
    private volatile String problem;

    // reader side: only the reading thread touches these
    private Path reading;
    private List<byte[]> readRecords = List.of();
    private int readIndex;
    private long polledFrom = -1;

    public DiskBuffer(Path dir, long maxBytes, long segmentBytes, Durability durability) throws IOException {
        this(dir, maxBytes, segmentBytes, durability, false);
    }

    /**
     * @param writeAhead keep each segment after it is read until {@link #release} (see the class comment)
     */
    public DiskBuffer(Path dir, long maxBytes, long segmentBytes, Durability durability, boolean writeAhead) throws IOException {
        if (maxBytes <= 0 || segmentBytes <= 0) {
            throw new IllegalArgumentException("maxBytes and segmentBytes must be positive: " + maxBytes + ", " + segmentBytes);
        }
        this.dir = OwnerOnly.directories(dir);
        this.quarantine = dir.resolve("quarantine");
        this.maxBytes = maxBytes;
        this.segmentBytes = segmentBytes;
        this.durability = durability;
        this.writeAhead = writeAhead;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList()) {
                closed.add(p); // left by the previous run: read first, in order
                bytes.addAndGet(Files.size(p));
                sequence = Math.max(sequence, sequenceOf(p) + 1);
            }
        }
        firstOwn = sequence;
        recovered.set(closed.size());
        if (!closed.isEmpty()) {
            LOG.info("disk buffer {} holds {} segments ({} bytes) from the previous run; they are processed first",
                    dir, closed.size(), bytes.get());
        }
        if (durability.mode() == Durability.Mode.INTERVAL) {
            long every = durability.interval().toMillis();
            syncer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "disk-buffer-fsync");
                t.setDaemon(true);
                return t;
            });
            syncer.scheduleWithFixedDelay(this::syncFailsafe, every, every, TimeUnit.MILLISECONDS);
        } else {
            syncer = null;
        }
    }

    private static long sequenceOf(Path p) {
        String name = p.getFileName().toString();
        try {
            return Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Appends one record; false when the budget is used up or the disk refused it (see {@link #problem()}). */
    public boolean append(byte[] record) {
        return appendAll(List.of(record)) == 1;
    }

    /**
     * Appends records in order, each segment's share with one write, up to the first that does not
     * fit the budget or that the disk refuses; returns how many were appended (see {@link #problem()}).
     */
    public int appendAll(List<byte[]> records) {
        return appendAll(records, null);
    }

    /**
     * {@link #appendAll(List)}, and the position of each appended record in {@code positions} (see
     * the class comment), when not null.
     */
    public synchronized int appendAll(List<byte[]> records, long[] positions) {
        return append(new ArrayRecords(records), positions);
    }

    /**
     * {@link #appendAll(List, long[])} for records framed in a {@link RecordBatch}: each segment's
     * share with one plain write from the batch's buffer.
     */
    public synchronized int appendAll(RecordBatch batch, long[] positions) {
        return append(batch, positions);
    }

    /** Records as arrays, one each: written with a gathering write. */
    private record ArrayRecords(List<byte[]> list) implements Records {
        @Override
        public int size() {
            return list.size();
        }

        @Override
        public int framedLength(int i) {
            return list.get(i).length + SegmentFormat.RECORD_HEADER;
        }

        @Override
        public void writeTo(SegmentWriter segment, int from, int to) throws IOException {
            segment.appendAll(list, from, to);
        }
    }

    private int append(Records records, long[] positions) {
        int done = 0;
        try {
            while (done < records.size()) {
                if (current == null) {
                    current = SegmentWriter.create(dir.resolve(String.format("%019d", sequence++) + SUFFIX));
                    bytes.addAndGet(current.size());
                }
                // as many as fit the budget and the segment (at least one: a segment holds any record)
                long room = segmentBytes - current.size();
                long need = 0;
                int to = done;
                while (to < records.size()) {
                    long n = records.framedLength(to);
                    if (bytes.get() + need + n > maxBytes || (to > done && need + n > room)) {
                        break;
                    }
                    need += n;
                    to++;
                }
                if (to == done) {
                    fail("disk buffer budget of " + maxBytes + " bytes is used up");
                    return done;
                }
                if (positions != null) {
                    long first = (sequenceOf(current.path()) << 32) | current.records();
                    for (int k = done; k < to; k++) {
                        positions[k] = first + (k - done);
                    }
                }
                records.writeTo(current, done, to);
                bytes.addAndGet(need);
                done = to;
                if (durability.mode() == Durability.Mode.ALWAYS) {
                    current.sync();
                }
                if (current.size() >= segmentBytes) {
                    roll();
                }
            }
            if (problem != null) {
                LOG.info("disk buffer {} takes records again", dir);
                problem = null;
            }
        } catch (IOException e) {
            fail("cannot write to " + dir + ": " + e.getMessage());
            if (current != null && current.records() == 0) {
                abandonEmpty();
            }
        }
        return done;
    }

    private void fail(String why) {
        if (problem == null) {
            LOG.error("{}: records are refused until there is room (counted)", why);
        }
        problem = why;
    }

    private void abandonEmpty() {
        Path p = current.path();
        try {
            current.close();
            bytes.addAndGet(-Files.size(p));
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // an empty segment left behind reads as empty
        }
        current = null;
    }

    /**
     * Closes the segment being written so the reader can take it. With interval durability its
     * fsync is left to the next {@link #sync()}: neither an appending listener nor the reader waits
     * for the disk here.
     */
    private void roll() throws IOException {
        if (durability.mode() == Durability.Mode.INTERVAL) {
            current.closeUnsynced();
            unsynced.add(current.path());
        } else {
            current.close();
        }
        if (readerActive) {
            closed.add(current.path());
        } else { // delivered from memory: nothing to read, kept until stored
            retained.add(current.path());
            retainedBytes += current.size();
        }
        current = null;
    }

    /**
     * Takes up to {@code max} records, oldest first; empty when the buffer is empty. Only one thread
     * may read.
     */
    public List<byte[]> poll(int max) throws IOException {
        List<byte[]> out = new ArrayList<>(Math.min(max, 1024));
        while (out.size() < max) {
            if (readIndex < readRecords.size()) {
                int n = Math.min(max - out.size(), readRecords.size() - readIndex);
                out.addAll(readRecords.subList(readIndex, readIndex + n));
                readIndex += n;
                continue;
            }
            if (!out.isEmpty()) {
                break; // hand these over before the segment they came from is deleted
            }
            finishReading();
            Path next = nextSegment();
            if (next == null) {
                break;
            }
            load(next);
        }
        return out;
    }

    private void finishReading() throws IOException {
        if (reading != null) {
            if (writeAhead) {
                long size = Files.exists(reading) ? Files.size(reading) : 0;
                synchronized (this) {
                    retained.add(reading); // until what was read from it is stored
                    retainedBytes += size;
                }
            } else {
                delete(reading);
            }
            reading = null;
            readRecords = List.of();
            readIndex = 0;
        }
    }

    /** Deletes a segment; returns the bytes it held. */
    private long delete(Path segment) throws IOException {
        long size = Files.exists(segment) ? Files.size(segment) : 0;
        Files.deleteIfExists(segment);
        bytes.addAndGet(-size);
        problem = null; // room again; the next append says so if it still fails
        return size;
    }

    private synchronized Path nextSegment() throws IOException {
        if (closed.isEmpty() && current != null && current.records() > 0) {
            roll(); // the reader caught up with the writer: take what it has
        }
        return closed.poll();
    }

    /**
     * Write-ahead: the reader takes records again, from {@code position} on (what is before it was
     * delivered from memory); segments kept for {@link #release} from there on are read again.
     */
    public synchronized void startReadingAt(long position) {
        long segment = position >>> 32;
        Deque<Path> back = new ArrayDeque<>();
        while (!retained.isEmpty() && sequenceOf(retained.peekLast()) >= segment) {
            Path p = retained.pollLast();
            back.addFirst(p);
            try {
                retainedBytes -= Files.size(p);
            } catch (IOException e) {
                LOG.warn("disk buffer segment {}: {}", p, e.toString());
            }
        }
        for (Path p : back) {
            closed.add(p);
        }
        readerActive = true;
        skipSegment = segment;
        skipIndex = (int) position;
    }

    /**
     * Write-ahead, reader stopped: closes the writer's segment (when it has records) so that
     * {@link #release} can delete it once its records are stored; the next record begins a new one.
     */
    public synchronized void seal() throws IOException {
        if (!readerActive && current != null && current.records() > 0) {
            roll();
        }
    }

    /** Write-ahead: the reader read everything; from now on memory delivers, and full segments only wait for {@link #release}. */
    public void stopReading() throws IOException {
        finishReading();
        synchronized (this) {
            readerActive = false;
        }
    }

    /**
     * The number of the segment the records of the last {@link #poll} came from (they all come from
     * one); with {@link #readFrom()} and {@link #release} a write-ahead reader says which segments it
     * no longer needs.
     */
    public long polledFrom() {
        return polledFrom;
    }

    /** Whether the records of the last {@link #poll} were written by the previous run (left at a stop or a crash). */
    public boolean polledFromPreviousRun() {
        return polledFrom >= 0 && polledFrom < firstOwn;
    }

    /**
     * The oldest segment not yet read to the end: the one being read, else the next one, else the one
     * the writer will use next. Every record of an older segment has been handed out by {@link #poll}.
     */
    public synchronized long readFrom() {
        if (reading != null) {
            return sequenceOf(reading);
        }
        if (!closed.isEmpty()) {
            return sequenceOf(closed.peek());
        }
        return current != null ? sequenceOf(current.path()) : sequence;
    }

    /**
     * Write-ahead: deletes the segments read to the end whose number is below {@code before}
     * (everything read from them is stored); returns how many. {@code Long.MAX_VALUE}: all of them.
     */
    public int release(long before) throws IOException {
        List<Path> done = new ArrayList<>();
        synchronized (this) {
            while (!retained.isEmpty() && sequenceOf(retained.peek()) < before) {
                done.add(retained.poll());
            }
        }
        for (Path p : done) {
            long size = delete(p);
            synchronized (this) {
                retainedBytes -= size;
            }
        }
        return done.size();
    }

    /** Bytes of records not yet handed out by {@link #poll}: {@link #bytes()} less the segments kept for {@link #release}. */
    public synchronized long unreadBytes() {
        return Math.max(0, bytes.get() - retainedBytes);
    }

    private void load(Path segment) throws IOException {
        SegmentReader.Contents contents = SegmentReader.read(segment);
        reading = segment;
        polledFrom = sequenceOf(segment);
        readRecords = contents.records();
        readIndex = 0;
        synchronized (this) {
            if (polledFrom == skipSegment) {
                readIndex = Math.min(skipIndex, readRecords.size()); // memory delivered these
                skipSegment = -1;
            } else if (skipSegment >= 0 && polledFrom > skipSegment) {
                skipSegment = -1;
            }
        }
        if (!contents.intact()) {
            long size = Files.size(segment);
            OwnerOnly.directories(quarantine);
            Path aside = quarantine.resolve(segment.getFileName());
            Files.move(segment, aside, StandardCopyOption.REPLACE_EXISTING);
            bytes.addAndGet(-size);
            reading = null;
            quarantined.incrementAndGet();
            LOG.error("disk buffer segment {} is damaged ({}); its {} intact records are processed, the file is kept as {}",
                    segment.getFileName(), contents.damage(), contents.records().size(), aside);
        }
    }

    /** Whether read segments are kept until {@link #release} (write-ahead). */
    public boolean writeAhead() {
        return writeAhead;
    }

    /** True when no record waits (written or being read); with write-ahead and the reader stopped, always. */
    public synchronized boolean isEmpty() {
        return readIndex >= readRecords.size() && closed.isEmpty()
                && (!readerActive || current == null || current.records() == 0);
    }

    /** Bytes on disk, segments being written and read included. */
    public long bytes() {
        return bytes.get();
    }

    /** Why the last append failed, or null once one succeeded again or the reader freed a segment. */
    public String problem() {
        return problem;
    }

    /** Damaged segments moved aside by this process. */
    public long quarantined() {
        return quarantined.get();
    }

    /** Segments found at start (left by the previous run). */
    public long recovered() {
        return recovered.get();
    }

    public Path dir() {
        return dir;
    }

    /**
     * Forces what was appended to the disk: the segment being written and those closed since the
     * last sync. The fsyncs run outside the buffer's lock, so appending (a listener's thread) and
     * reading go on while the disk is busy; a segment the reader already deleted needs none.
     */
    public void sync() throws IOException {
        SegmentWriter w;
        List<Path> rolled;
        synchronized (this) {
            w = current != null && current.takeDirty() ? current : null;
            rolled = unsynced.isEmpty() ? List.of() : new ArrayList<>(unsynced);
            unsynced.clear();
        }
        for (Path p : rolled) {
            forceIfPresent(p);
        }
        if (w != null) {
            try {
                w.force();
            } catch (java.nio.channels.ClosedChannelException e) {
                forceIfPresent(w.path()); // rolled meanwhile
            }
        }
    }

    private static void forceIfPresent(Path p) throws IOException {
        try {
            SegmentWriter.forcePath(p);
        } catch (java.nio.file.NoSuchFileException gone) {
            // read and deleted already: nothing left to protect
        }
    }

    private void syncFailsafe() {
        try {
            sync();
        } catch (IOException | RuntimeException e) {
            LOG.warn("disk buffer fsync failed: {}", e.toString());
        }
    }

    /** Syncs and closes the segment being written; what is on disk is read at the next start. */
    @Override
    public synchronized void close() throws IOException {
        if (syncer != null) {
            syncer.shutdownNow();
        }
        for (Path p : unsynced) {
            forceIfPresent(p);
        }
        unsynced.clear();
        if (current != null) {
            if (current.records() == 0) {
                abandonEmpty();
            } else {
                current.close();
                current = null;
            }
        }
    }
}
