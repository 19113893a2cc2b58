package io.hepstack.collector.ingest;

import io.hepstack.collector.hep.HepDecodeException;
import io.hepstack.collector.hep.HepDecoder;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.hep.HepRejectionListener;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.Pipeline;
import io.hepstack.collector.pipeline.Transport;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * UDP: one datagram is one HEP packet. Decodes each datagram on the receiving thread as it is read
 * (the datagram's buffer is released at once) into this socket's batch, and hands the batch to the
 * pipeline in one call when it holds {@code batchSize} messages, or {@code linger} after a read left
 * it part full (the socket had no more datagrams): at moderate rates the socket runs dry after every
 * datagram or two, and each hand-off costs a write-ahead write and may wake the worker, so waiting a
 * moment for the next datagrams makes one hand-off of several (0: hand off at the end of every read,
 * as before). Batches go in the order the socket received them; receive times are taken as each
 * datagram is read, not at the hand-off.
 *
 * <p>A datagram that is not a HEP packet is counted and skipped; it never costs its neighbours their
 * place. What the pipeline cannot keep (queue full without a disk buffer, disk budget used up) is
 * counted as dropped. One instance per channel: it holds that socket's batch.
 */
final class UdpHepHandler extends ChannelInboundHandlerAdapter {

    private final HepDecoder decoder;
    private final HepRejectionListener rejections;
    private final Pipeline pipeline;
    private final IngestMetrics metrics;
    private final int batchSize;
    private final List<CapturedMessage> batch;
    private final long lingerNanos;
    /** A hand-off of the part full batch is scheduled on the channel's event loop. */
    private boolean handOffScheduled;

    /**
     * @param batchSize   messages handed on at most at once; 1 hands on each datagram by itself
     * @param lingerNanos how long a part full batch waits for more datagrams; 0: handed on when a read ends
     */
    UdpHepHandler(HepDecoder decoder, HepRejectionListener rejections, Pipeline pipeline, IngestMetrics metrics, int batchSize,
                  long lingerNanos) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive: " + batchSize);
        }
        this.decoder = decoder;
        this.rejections = HepRejectionListener.failsafe(rejections);
        this.pipeline = pipeline;
        this.metrics = metrics;
        this.batchSize = batchSize;
        this.batch = new ArrayList<>(batchSize);
        this.lingerNanos = lingerNanos;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket datagram)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            HepPacket packet = decoder.decode(datagram.content());
            CapturedMessage m = new CapturedMessage(packet, Transport.UDP, datagram.sender());
            m.receivedMicros = System.currentTimeMillis() * 1000;
            batch.add(m);
        } catch (HepDecodeException e) {
            rejections.rejected(e.reason(), datagram.sender(), e.getMessage());
        } finally {
            datagram.release();
        }
        if (batch.size() >= batchSize) {
            handOff();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (lingerNanos <= 0 || batch.size() >= batchSize) {
            handOff();
        } else if (!batch.isEmpty() && !handOffScheduled) {
            handOffScheduled = true;
            ctx.executor().schedule(this::lingered, lingerNanos, TimeUnit.NANOSECONDS);
        }
        ctx.fireChannelReadComplete();
    }

    /** The linger of a part full batch is over (it may have been handed on full meanwhile, and begun again). */
    private void lingered() {
        handOffScheduled = false;
        handOff();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        handOff();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        metrics.warnings().warn("udp-failed", "HEP UDP socket {} failed: {}", ctx.channel().localAddress(), cause.toString());
    }

    private void handOff() {
        if (batch.isEmpty()) {
            return;
        }
        metrics.received(Transport.UDP, batch.size()); // rejected datagrams are counted by the rejection listener
        metrics.handedOff(Transport.UDP, batch, pipeline.offerAll(batch));
        batch.clear();
    }
}
