package io.hepstack.collector.index;

import io.hepstack.collector.journal.OwnerOnly;
import io.hepstack.collector.journal.SegmentReader;
import io.hepstack.collector.journal.SegmentWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Documents that could not be delivered while Elasticsearch was unreachable, kept on disk until
 * they can be replayed.
 *
 * <p>One segment file per failed batch ({@link io.hepstack.collector.journal} layout: one
 * checksummed record per document), written to a temporary name, synced to the disk, renamed and
 * the folder synced: a segment under its real name is complete and durable, and a crash leaves at
 * most a {@code .tmp} file, which was never reported as spooled and is removed at start. Segments
 * are replayed oldest first (names sort by creation).
 *
 * <p>A segment that does not read back intact (a checksum mismatch, a cut-off record) is moved to
 * {@code quarantine/} and counted; its intact records are still replayed, and replay goes on with
 * the next segment. The spool is bounded by {@code maxBytes}, and a full disk refuses a batch the
 * same way: the caller counts those documents as lost, the spool says why in {@link #problem()},
 * and the next batch tries again, so spooling resumes by itself when space returns.
 *
 * <p>Record layout: UTF index, UTF id, boolean create, long external version, int length, bytes.
 */
public final class DiskSpool {

    private static final Logger LOG = LoggerFactory.getLogger(DiskSpool.class);
    private static final String SUFFIX = ".spool";

    private final Path dir;
    private final Path quarantine;
    private final long maxBytes;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong quarantined = new AtomicLong();
    private volatile String problem;

    /** What one segment gave back: its intact documents, and what was wrong with the rest (or null). */
    public record Segment(List<IndexRequest> documents, String damage) {
    }

    public DiskSpool(Path dir, long maxBytes) throws IOException {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
        this.dir = OwnerOnly.directories(dir);
        this.quarantine = dir.resolve("quarantine");
        this.maxBytes = maxBytes;
        long total = 0;
        for (Path p : segments()) {
            total += Files.size(p);
        }
        bytes.set(total);
        try (Stream<Path> s = Files.list(dir)) {
            for (Path tmp : s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList()) {
                Files.deleteIfExists(tmp); // a crash while writing: the batch was never acknowledged as spooled
            }
        }
    }

    public Path dir() {
        return dir;
    }

    /** Bytes on disk in complete segments. */
    public long bytes() {
        return bytes.get();
    }

    /** Segments moved to {@code quarantine/} by this process. */
    public long quarantined() {
        return quarantined.get();
    }

    /** Why the last batch could not be spooled (budget or disk full), or null once a batch was spooled again. */
    public String problem() {
        return problem;
    }

    /** Writes a batch as one durable segment; false when the spool is full or the disk refused it. */
    public synchronized boolean append(List<IndexRequest> batch) {
        if (batch.isEmpty()) {
            return true;
        }
        List<byte[]> records = new ArrayList<>(batch.size());
        long estimate = 4;
        for (IndexRequest r : batch) {
            byte[] record = encode(r);
            records.add(record);
            estimate += record.length + 8;
        }
        if (bytes.get() + estimate > maxBytes) {
            problem = "spool budget of " + maxBytes + " bytes is used up (" + bytes.get() + " bytes spooled)";
            LOG.error("spool {} is full ({} of {} bytes): {} documents cannot be kept", dir, bytes.get(), maxBytes, batch.size());
            return false;
        }
        String name = String.format("%019d-%06d", System.currentTimeMillis(), sequence.incrementAndGet() % 1_000_000);
        Path tmp = dir.resolve(name + ".tmp");
        Path target = dir.resolve(name + SUFFIX);
        try {
            try (SegmentWriter out = SegmentWriter.create(tmp)) {
                out.appendAll(records, 0, records.size()); // one gathering write for the batch
            } // close() syncs the data before the rename makes it a segment
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
            OwnerOnly.syncDirectory(dir);
            bytes.addAndGet(Files.size(target));
            if (problem != null) {
                LOG.info("spool {} writes again", dir);
                problem = null;
            }
            return true;
        } catch (IOException e) {
            problem = "cannot write to " + dir + ": " + e.getMessage();
            LOG.error("cannot write spool segment {}: {}", target, e.toString());
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // nothing more to do
            }
            return false;
        }
    }

    private static byte[] encode(IndexRequest r) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(r.length() + r.index().length() + r.id().length() + 24);
        try (DataOutputStream out = new DataOutputStream(buf)) {
            out.writeUTF(r.index());
            out.writeUTF(r.id());
            out.writeBoolean(r.create());
            out.writeLong(r.externalVersion());
            out.writeInt(r.length());
            out.write(r.source(), 0, r.length());
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return buf.toByteArray();
    }

    private static IndexRequest decode(byte[] record) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(record));
        String index = in.readUTF();
        String id = in.readUTF();
        boolean create = in.readBoolean();
        long version = in.readLong();
        int length = in.readInt();
        if (length < 0 || length > record.length) {
            throw new IOException("document length " + length + " in a record of " + record.length + " bytes");
        }
        byte[] src = new byte[length];
        in.readFully(src);
        return new IndexRequest(index, id, src, src.length, create, version, 0, false);
    }

    /** Complete segments, oldest first. */
    public List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        }
    }

    /** The documents of a segment that read back intact; never throws on bad content. */
    public Segment read(Path segment) throws IOException {
        SegmentReader.Contents contents = SegmentReader.read(segment);
        List<IndexRequest> out = new ArrayList<>(contents.records().size());
        for (byte[] record : contents.records()) {
            try {
                out.add(decode(record));
            } catch (IOException e) { // checksum fine but not our record layout: written by something else
                return new Segment(out, "record " + out.size() + " is not a spooled document: " + e.getMessage());
            }
        }
        return new Segment(out, contents.damage());
    }

    public synchronized void delete(Path segment) throws IOException {
        if (Files.exists(segment)) {
            long size = Files.size(segment);
            Files.delete(segment);
            bytes.addAndGet(-size);
        }
    }

    /** Moves a damaged segment to {@code quarantine/} (kept for inspection, out of the replay and the budget). */
    public synchronized Path quarantine(Path segment) throws IOException {
        long size = Files.exists(segment) ? Files.size(segment) : 0;
        OwnerOnly.directories(quarantine);
        Path target = quarantine.resolve(segment.getFileName());
        Files.move(segment, target, StandardCopyOption.REPLACE_EXISTING);
        bytes.addAndGet(-size);
        quarantined.incrementAndGet();
        return target;
    }
}
