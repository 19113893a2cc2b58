package io.hepstack.collector.journal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Records framed as a segment stores them (length, checksum, bytes), one after the other in one
 * reused buffer, so that {@link DiskBuffer#appendAll(RecordBatch, long[])} writes a batch with one
 * plain write. Written for the write-ahead path, where a listener thread appends every message it
 * accepts: encoding straight into the frame saves the array per record, and the single buffer saves
 * the per-record buffers a gathering write needs (and the copy of each into a temporary direct
 * buffer the JDK makes for heap buffers). Not thread-safe: one per appending thread.
 */
public final class RecordBatch implements Records {

    /** A batch grown past this (a few huge records) gives its buffer back rather than keep it. */
    private static final int KEEP_BYTES = 4 << 20;
    private static final int INITIAL_BYTES = 64 << 10;

    private ByteBuf buf = Unpooled.buffer(INITIAL_BYTES);
    /** Where each record's frame starts; a record ends where the next begins (the last at the writer index). */
    private int[] starts = new int[64];
    private int count;
    private boolean open;
    private final CRC32C crc = new CRC32C();

    /** Empties the batch for reuse. */
    public void clear() {
        if (buf.capacity() > KEEP_BYTES) {
            buf = Unpooled.buffer(INITIAL_BYTES);
        }
        buf.clear();
        count = 0;
        open = false;
    }

    /** Starts a record: write its bytes to the returned buffer, then {@link #end()} (or {@link #abort()}). */
    public ByteBuf begin() {
        if (open) {
            throw new IllegalStateException("the previous record was not ended");
        }
        if (count == starts.length) {
            starts = Arrays.copyOf(starts, count * 2);
        }
        starts[count] = buf.writerIndex();
        buf.writeZero(SegmentFormat.RECORD_HEADER);
        open = true;
        return buf;
    }

    /** Ends the record begun last: fills in its length and checksum. */
    public void end() {
        if (!open) {
            throw new IllegalStateException("no record was begun");
        }
        int start = starts[count];
        int length = buf.writerIndex() - start - SegmentFormat.RECORD_HEADER;
        if (length > SegmentFormat.MAX_RECORD) {
            abort();
            throw new IllegalArgumentException("record of " + length + " bytes exceeds " + SegmentFormat.MAX_RECORD);
        }
        crc.reset();
        crc.update(buf.array(), buf.arrayOffset() + start + SegmentFormat.RECORD_HEADER, length);
        buf.setInt(start, length).setInt(start + 4, (int) crc.getValue());
        count++;
        open = false;
    }

    /** Drops the record begun last (its encoding failed): the batch is as before {@link #begin()}. */
    public void abort() {
        if (open) {
            buf.writerIndex(starts[count]);
            open = false;
        }
    }

    /** Complete records in the batch. */
    @Override
    public int size() {
        return count;
    }

    @Override
    public int framedLength(int i) {
        return limit(i) - starts[i];
    }

    @Override
    public void writeTo(SegmentWriter segment, int from, int to) throws IOException {
        segment.appendAll(this, from, to);
    }

    /**
     * Records {@code [from, to)} as they go into a segment, one after the other: a view of the
     * batch's buffer, valid until it changes.
     */
    ByteBuffer framed(int from, int to) {
        return ByteBuffer.wrap(buf.array(), buf.arrayOffset() + starts[from], limit(to - 1) - starts[from]);
    }

    /** Where record {@code i}'s frame ends in the buffer. */
    private int limit(int i) {
        return i + 1 < count ? starts[i + 1] : (open ? starts[count] : buf.writerIndex());
    }
}
