package io.hepstack.collector.index;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
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
 * <p>One segment file per failed batch, written to a temporary name and renamed, so a crash never
 * leaves a half-written segment under a real name. Segments are replayed oldest first (names sort
 * by creation). The spool is bounded: when a batch would take it past {@code maxBytes} the batch
 * is refused (the caller counts it as lost) rather than filling the disk.
 *
 * <p>Segment layout: int magic {@code 0x48535031} ("HSP1"), int count, then per document:
 * UTF index, UTF id, boolean create, long external version, int length, bytes.
 */
public final class DiskSpool {

    private static final Logger LOG = LoggerFactory.getLogger(DiskSpool.class);
    private static final int MAGIC = 0x48535031;
    private static final String SUFFIX = ".spool";

    private final Path dir;
    private final long maxBytes;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong sequence = new AtomicLong();

    public DiskSpool(Path dir, long maxBytes) throws IOException {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
        this.dir = Files.createDirectories(dir);
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

    /** Writes a batch as one segment; false when the spool is full or the disk refused it. */
    public synchronized boolean append(List<IndexRequest> batch) {
        if (batch.isEmpty()) {
            return true;
        }
        long estimate = 8;
        for (IndexRequest r : batch) {
            estimate += r.source().length + r.index().length() + r.id().length() + 20;
        }
        if (bytes.get() + estimate > maxBytes) {
            LOG.error("spool {} is full ({} of {} bytes): {} documents cannot be kept", dir, bytes.get(), maxBytes, batch.size());
            return false;
        }
        String name = String.format("%019d-%06d", System.currentTimeMillis(), sequence.incrementAndGet() % 1_000_000);
        Path tmp = dir.resolve(name + ".tmp");
        Path target = dir.resolve(name + SUFFIX);
        try {
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
                out.writeInt(MAGIC);
                out.writeInt(batch.size());
                for (IndexRequest r : batch) {
                    out.writeUTF(r.index());
                    out.writeUTF(r.id());
                    out.writeBoolean(r.create());
                    out.writeLong(r.externalVersion());
                    out.writeInt(r.source().length);
                    out.write(r.source());
                }
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
            bytes.addAndGet(Files.size(target));
            return true;
        } catch (IOException e) {
            LOG.error("cannot write spool segment {}: {}", target, e.toString());
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // nothing more to do
            }
            return false;
        }
    }

    /** Complete segments, oldest first. */
    public List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        }
    }

    public List<IndexRequest> read(Path segment) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(segment), 1 << 16))) {
            if (in.readInt() != MAGIC) {
                throw new IOException("not a spool segment: " + segment);
            }
            int n = in.readInt();
            List<IndexRequest> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String index = in.readUTF();
                String id = in.readUTF();
                boolean create = in.readBoolean();
                long version = in.readLong();
                byte[] src = new byte[in.readInt()];
                in.readFully(src);
                out.add(new IndexRequest(index, id, src, create, version, 0));
            }
            return out;
        }
    }

    public synchronized void delete(Path segment) throws IOException {
        if (Files.exists(segment)) {
            long size = Files.size(segment);
            Files.delete(segment);
            bytes.addAndGet(-size);
        }
    }

    /** Moves a segment that cannot be read aside, so replay does not stall on it. */
    public synchronized void quarantine(Path segment) throws IOException {
        long size = Files.exists(segment) ? Files.size(segment) : 0;
        Files.move(segment, segment.resolveSibling(segment.getFileName() + ".bad"), StandardCopyOption.REPLACE_EXISTING);
        bytes.addAndGet(-size);
    }
}
