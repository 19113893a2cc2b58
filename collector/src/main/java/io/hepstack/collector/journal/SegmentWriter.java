package io.hepstack.collector.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Appends checksummed records to a new segment file. Not thread-safe: one owner appends and syncs
 * (a second thread may {@link #force()} between {@link #takeDirty()} and the owner's next sync).
 *
 * <p>Nothing is durable until {@link #sync()}: the owner chooses how much unsynced data it may
 * lose in a crash (the reader drops a cut-off tail). A failed append (the disk is full) leaves the
 * file at its last complete record, so the segment stays readable and the caller may retry later.
 */
public final class SegmentWriter implements AutoCloseable {

    private final Path path;
    private final FileChannel channel;
    private final CRC32C crc = new CRC32C();
    private long size;
    private int records;
    private boolean dirty;

    private SegmentWriter(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /** Creates {@code path} (it must not exist) and writes the segment header. */
    public static SegmentWriter create(Path path) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        SegmentWriter w = new SegmentWriter(path, ch);
        try {
            w.writeFully(ByteBuffer.allocate(SegmentFormat.HEADER).putInt(0, SegmentFormat.MAGIC));
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        w.size = SegmentFormat.HEADER;
        w.dirty = true;
        return w;
    }

    /** Appends one record; on failure the file is cut back to its last complete record. */
    public void append(byte[] data) throws IOException {
        appendAll(List.of(data), 0, 1);
    }

    /**
     * Appends {@code data[from..to)} with one gathering write (a datagram batch spilled at once costs
     * one system call, not one per record); on failure the file is cut back to its last complete
     * record and nothing of the call counts as written.
     */
    public void appendAll(List<byte[]> data, int from, int to) throws IOException {
        int n = to - from;
        ByteBuffer headers = ByteBuffer.allocate(n * SegmentFormat.RECORD_HEADER);
        ByteBuffer[] parts = new ByteBuffer[2 * n];
        long added = 0;
        for (int i = 0; i < n; i++) {
            byte[] d = data.get(from + i);
            if (d.length > SegmentFormat.MAX_RECORD) {
                throw new IllegalArgumentException("record of " + d.length + " bytes exceeds " + SegmentFormat.MAX_RECORD);
            }
            crc.reset();
            crc.update(d);
            int at = i * SegmentFormat.RECORD_HEADER;
            headers.putInt(at, d.length).putInt(at + 4, (int) crc.getValue());
            parts[2 * i] = headers.slice(at, SegmentFormat.RECORD_HEADER);
            parts[2 * i + 1] = ByteBuffer.wrap(d);
            added += SegmentFormat.RECORD_HEADER + d.length;
        }
        try {
            long written = 0;
            while (written < added) {
                written += channel.write(parts);
            }
        } catch (IOException e) {
            cutBack();
            throw e;
        }
        size += added;
        records += n;
        dirty = true;
    }

    /**
     * Appends records {@code [from, to)} of {@code batch}, already framed, with one write; on failure
     * the file is cut back to its last complete record and nothing of the call counts as written.
     */
    public void appendAll(RecordBatch batch, int from, int to) throws IOException {
        ByteBuffer framed = batch.framed(from, to);
        int added = framed.remaining();
        try {
            writeFully(framed);
        } catch (IOException e) {
            cutBack();
            throw e;
        }
        size += added;
        records += to - from;
        dirty = true;
    }

    /** After a failed write: the file back to its last complete record. */
    private void cutBack() {
        try {
            channel.truncate(size);
            channel.position(size);
        } catch (IOException ignored) {
            // the reader will drop the cut-off records by their length or checksum
        }
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    /** Forces what was appended to the disk (file data, not metadata beyond what reading needs). */
    public void sync() throws IOException {
        if (dirty) {
            channel.force(false);
            dirty = false;
        }
    }

    /**
     * Whether something was appended since the last sync; clears the mark. With {@link #force()} a
     * second thread syncs without the appending thread waiting for the disk.
     */
    public boolean takeDirty() {
        boolean d = dirty;
        dirty = false;
        return d;
    }

    /**
     * Forces the file to the disk; safe while another thread appends (a concurrent close makes it
     * throw {@link java.nio.channels.ClosedChannelException}).
     */
    public void force() throws IOException {
        channel.force(false);
    }

    /**
     * Closes without syncing: the owner syncs the file later by its path ({@link #forcePath}), so the
     * thread that rolls to the next segment does not wait for the disk.
     */
    public void closeUnsynced() throws IOException {
        channel.close();
    }

    /** Forces a closed segment's data to the disk through a fresh descriptor (Linux syncs the file, not the descriptor). */
    public static void forcePath(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ch.force(false);
        }
    }

    public Path path() {
        return path;
    }

    /** Bytes written, header included. */
    public long size() {
        return size;
    }

    public int records() {
        return records;
    }

    /** Syncs and closes. */
    @Override
    public void close() throws IOException {
        try {
            sync();
        } finally {
            channel.close();
        }
    }
}
