package io.hepstack.collector.hep;

import io.hepstack.collector.hep.HepDecodeException.Reason;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Cuts a TCP byte stream into HEP3 packets by their total length field. Emits each packet as
 * a {@link ByteBuf} (a zero-copy retained slice of the stream; whoever reads it releases it),
 * for {@link HepPacketDecoder} to decode next. Holds per-connection state: one instance per
 * channel, never shared.
 *
 * <pre>
 * BEFORE (any split or coalescing of the stream)           AFTER
 * +------+-----+---------+------+-----+------+-------+      +------+-----+---------+
 * | HEP3 | 0x1a| chunks  | HEP3 | 0x2c| chu  | nks.. |  ->  | HEP3 | 0x1a| chunks  |  (26 bytes)
 * +------+-----+---------+------+-----+------+-------+      +------+-----+---------+
 *  magic  total length (includes the 6 header bytes)        +------+-----+-----------+
 *                                                           | HEP3 | 0x2c| chunks... |  (44 bytes)
 *                                                           +------+-----+-----------+
 * </pre>
 *
 * <p>The magic ("HEP3", or "EEP1" as Kamailio also accepts) is checked before the length is
 * trusted. Bad input never stalls the channel and never throws into the pipeline; the bytes are
 * skipped first and then reported once to the {@link HepRejectionListener}:
 * <ul>
 * <li>Garbage where a magic should be: skipped up to the next magic (a trailing partial magic is
 * kept for the next read), reported as {@code BAD_MAGIC} when the stream resynchronises (and
 * every {@code maxFrameLength} bytes while it does not).</li>
 * <li>A total length below 6: the magic is skipped and the stream resynchronised as above,
 * reported as {@code LENGTH_MISMATCH}.</li>
 * <li>A total length above {@code maxFrameLength}: the whole frame is discarded, even across
 * reads, and reported as {@code FRAME_TOO_LONG}.</li>
 * <li>The connection closing inside a frame: its bytes are reported as {@code TOO_SHORT}.</li>
 * </ul>
 * The frame's chunks are not looked at here: a frame whose length field lies (but is at most
 * {@code maxFrameLength}) is cut wrongly and rejected by the decoder; the stream resynchronises
 * at the next magic.
 */
public final class HepFrameDecoder extends ByteToMessageDecoder {

    /** The largest HEP3 packet the 16-bit length field allows. */
    public static final int DEFAULT_MAX_FRAME_LENGTH = 0xffff;

    private final int maxFrameLength;
    private final HepRejectionListener listener;

    // per-connection discard state
    private Reason discardReason;
    private long discardedBytes;
    private int tooLongBytesLeft;
    private long frames;

    public HepFrameDecoder(HepRejectionListener listener) {
        this(DEFAULT_MAX_FRAME_LENGTH, listener);
    }

    /**
     * @param maxFrameLength the largest frame passed on, 6..65535
     * @param listener       told about every run of dropped bytes
     */
    public HepFrameDecoder(int maxFrameLength, HepRejectionListener listener) {
        if (maxFrameLength < HepDecoder.V3_HEADER || maxFrameLength > DEFAULT_MAX_FRAME_LENGTH) {
            throw new IllegalArgumentException("maxFrameLength must be between 6 and 65535: " + maxFrameLength);
        }
        this.maxFrameLength = maxFrameLength;
        this.listener = HepRejectionListener.failsafe(listener);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (tooLongBytesLeft > 0) {
            int n = Math.min(tooLongBytesLeft, in.readableBytes());
            in.skipBytes(n);
            tooLongBytesLeft -= n;
            discardedBytes += n;
            if (tooLongBytesLeft > 0) {
                return;
            }
            report(ctx, "frame longer than " + maxFrameLength + " bytes");
        }
        int start = in.readerIndex();
        int readable = in.readableBytes();
        if (readable < 4 && isMagicPrefix(in, start, readable)) {
            return; // maybe the start of a magic: wait for more
        }
        if (readable < 4 || !isMagic(in.getInt(start))) {
            skipGarbage(ctx, in, start, in.writerIndex());
            return;
        }
        if (discardReason != null) {
            report(ctx, "garbage before a HEP3 magic"); // the previous read ended just before this magic
        }
        if (readable < HepDecoder.V3_HEADER) {
            return;
        }
        int length = in.getUnsignedShort(start + 4);
        if (length < HepDecoder.V3_HEADER) {
            in.skipBytes(4);
            discard(Reason.LENGTH_MISMATCH, 4);
            return; // resynchronise on the next call
        }
        if (length > maxFrameLength) {
            int n = Math.min(length, readable);
            in.skipBytes(n);
            discard(Reason.FRAME_TOO_LONG, n);
            tooLongBytesLeft = length - n;
            if (tooLongBytesLeft == 0) {
                report(ctx, "frame of " + length + " bytes, longer than " + maxFrameLength);
            }
            return;
        }
        if (readable < length) {
            return;
        }
        out.add(in.readRetainedSlice(length));
        frames++;
    }

    /** Frames passed on so far on this connection. */
    public long frames() {
        return frames;
    }

    /**
     * True while bytes of an unfinished frame are held (or an over-long frame is being skipped):
     * what a partial-frame timeout watches. Call it on the channel's event loop.
     */
    public boolean insideFrame() {
        return tooLongBytesLeft > 0 || actualReadableBytes() > 0;
    }

    private void skipGarbage(ChannelHandlerContext ctx, ByteBuf in, int start, int end) {
        int found = indexOfMagic(in, start + 1, end);
        int skipTo = found >= 0 ? found : trailingMagicPrefix(in, start + 1, end);
        in.skipBytes(skipTo - start);
        discard(Reason.BAD_MAGIC, skipTo - start);
        if (found >= 0) {
            report(ctx, "garbage before a HEP3 magic");
        } else if (discardedBytes >= maxFrameLength) {
            report(ctx, "no HEP3 magic yet"); // keep reporting a stream that never resynchronises
        }
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.isReadable()) {
            decode(ctx, in, out);
        }
        if (tooLongBytesLeft > 0) {
            tooLongBytesLeft = 0;
            report(ctx, "connection closed inside a frame longer than " + maxFrameLength + " bytes");
        }
        if (discardReason != null) {
            report(ctx, "connection closed");
        }
        if (in.isReadable()) {
            int n = in.readableBytes();
            in.skipBytes(n);
            discard(Reason.TOO_SHORT, n);
            report(ctx, "connection closed inside a frame");
        }
    }

    private void discard(Reason reason, long n) {
        if (discardReason == null) {
            discardReason = reason;
        }
        discardedBytes += n;
    }

    private void report(ChannelHandlerContext ctx, String why) {
        Reason reason = discardReason;
        long n = discardedBytes;
        discardReason = null;
        discardedBytes = 0;
        if (reason != null) {
            listener.rejected(reason, ctx.channel().remoteAddress(), "skipped " + n + " bytes: " + why);
        }
    }

    private static boolean isMagic(int word) {
        return word == HepDecoder.MAGIC_HEP3 || word == HepDecoder.MAGIC_EEP1;
    }

    private static int indexOfMagic(ByteBuf in, int from, int end) {
        for (int i = from; i <= end - 4; i++) {
            byte b = in.getByte(i);
            if ((b == 'H' || b == 'E') && isMagic(in.getInt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** Where a partial magic at the very end of the readable bytes starts, or {@code end} if none. */
    private static int trailingMagicPrefix(ByteBuf in, int from, int end) {
        for (int i = Math.max(from, end - 3); i < end; i++) {
            if (isMagicPrefix(in, i, end - i)) {
                return i;
            }
        }
        return end;
    }

    private static boolean isMagicPrefix(ByteBuf in, int index, int len) {
        boolean hep = true;
        boolean eep = true;
        for (int i = 0; i < len; i++) {
            int b = in.getUnsignedByte(index + i);
            hep &= b == ((HepDecoder.MAGIC_HEP3 >>> (24 - 8 * i)) & 0xff);
            eep &= b == ((HepDecoder.MAGIC_EEP1 >>> (24 - 8 * i)) & 0xff);
        }
        return hep || eep;
    }
}
