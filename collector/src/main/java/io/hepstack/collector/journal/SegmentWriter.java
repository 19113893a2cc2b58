package io.hepstack.collector.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Appends checksummed records to a new segment file. Not thread-safe: one owner appends and syncs.
 *
 * <p>Nothing is durable until {@link #sync()}: the owner chooses how much unsynced data it may
 * lose in a crash (the reader drops a cut-off tail). A failed append (the disk is full) leaves the
 * file at its last complete record, so the segment stays readable and the caller may retry later.
 */
public final class SegmentWriter implements AutoCloseable {

    private final Path path;
    private final FileChannel channel;
    private final CRC32C crc = new CRC32C();
    private final ByteBuffer header = ByteBuffer.allocate(SegmentFormat.RECORD_HEADER);
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
        if (data.length > SegmentFormat.MAX_RECORD) {
            throw new IllegalArgumentException("record of " + data.length + " bytes exceeds " + SegmentFormat.MAX_RECORD);
        }
        crc.reset();
        crc.update(data);
        header.clear();
        header.putInt(data.length).putInt((int) crc.getValue()).flip();
        try {
            writeFully(header);
            writeFully(ByteBuffer.wrap(data));
        } catch (IOException e) {
            try {
                channel.truncate(size);
                channel.position(size);
            } catch (IOException ignored) {
                // the reader will drop the cut-off record by its length or checksum
            }
            throw e;
        }
        size += SegmentFormat.RECORD_HEADER + data.length;
        records++;
        dirty = true;
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
