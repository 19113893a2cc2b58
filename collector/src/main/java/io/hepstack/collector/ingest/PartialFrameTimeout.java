package io.hepstack.collector.ingest;

import com.codahale.metrics.Meter;
import io.hepstack.collector.hep.HepFrameDecoder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * Cuts a connection that holds an unfinished frame for longer than the timeout. The idle timeout
 * alone cannot: a client sending one byte every few seconds is never idle, and each such
 * connection pins a frame buffer (the slow-loris attack). Sits just before the
 * {@link HepFrameDecoder} and asks it, after each read, whether it still holds part of a frame; the
 * deadline starts with the first byte of a frame and moves only when a frame is completed.
 * One instance per channel.
 */
final class PartialFrameTimeout extends ChannelInboundHandlerAdapter {

    private final HepFrameDecoder frames;
    private final long timeoutNanos;
    private final Meter cut;
    private final WarningLimiter warnings;
    private ScheduledFuture<?> deadline;
    private long framesAtStart;

    PartialFrameTimeout(HepFrameDecoder frames, long timeoutNanos, Meter cut, WarningLimiter warnings) {
        this.frames = frames;
        this.timeoutNanos = timeoutNanos;
        this.cut = cut;
        this.warnings = warnings;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ctx.fireChannelRead(msg); // the frame decoder runs now, on this thread
        if (!frames.insideFrame()) {
            cancel();
        } else if (deadline == null || frames.frames() != framesAtStart) {
            cancel(); // a new frame began
            framesAtStart = frames.frames();
            deadline = ctx.executor().schedule(() -> expire(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void expire(ChannelHandlerContext ctx) {
        deadline = null;
        if (frames.insideFrame() && frames.frames() == framesAtStart && ctx.channel().isActive()) {
            cut.mark();
            warnings.warn("partial-frame", "closing HEP connection from {}: a frame unfinished for {} s",
                    ctx.channel().remoteAddress(), TimeUnit.NANOSECONDS.toSeconds(timeoutNanos));
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    private void cancel() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}
