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
import java.util.function.LongConsumer;

/**
 * UDP: one datagram is one HEP packet. Decodes each datagram on the receiving thread as it is read
 * (the datagram's buffer is released at once) into this socket's batch, and hands the batch to the
 * pipeline in one call when it holds {@code batchSize} messages or when the read is complete (the
 * socket had no more datagrams, or Netty's read loop ended). Batches go in the order the socket
 * received them, and nothing waits in a batch once the socket is drained.
 *
 * <p>At moderate rates a read finds a datagram or two: after such a read (fewer than
 * {@code batchSize}) the thread sleeps {@code readPause} before it looks again, so the next read
 * takes what came meanwhile with one wake-up, one hand-off and one write-ahead write. A wake-up per
 * datagram (a context switch) and a write per read were most of the listener's kernel time at
 * 6,000 datagrams/s (perf, bench/README.md "Small batches"). Only UDP sockets live on this thread,
 * one each, so the pause delays nobody else; the datagrams wait in the socket's kernel buffer.
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
    private final long readPauseNanos;
    private final LongConsumer sleeper;
    /** Datagrams of the read that is going on (since the last read completed). */
    private int read;

    /**
     * @param batchSize      messages handed on at most at once; 1 hands on each datagram by itself
     * @param readPauseNanos how long to sleep after a read of fewer than {@code batchSize} datagrams; 0: never
     * @param sleeper        how to sleep ({@code LockSupport::parkNanos}; tests watch it)
     */
    UdpHepHandler(HepDecoder decoder, HepRejectionListener rejections, Pipeline pipeline, IngestMetrics metrics, int batchSize,
                  long readPauseNanos, LongConsumer sleeper) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive: " + batchSize);
        }
        this.decoder = decoder;
        this.rejections = HepRejectionListener.failsafe(rejections);
        this.pipeline = pipeline;
        this.metrics = metrics;
        this.batchSize = batchSize;
        this.batch = new ArrayList<>(batchSize);
        this.readPauseNanos = readPauseNanos;
        this.sleeper = sleeper;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket datagram)) {
            ctx.fireChannelRead(msg);
            return;
        }
        read++;
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
        handOff();
        ctx.fireChannelReadComplete();
        if (readPauseNanos > 0 && read > 0 && read < batchSize) {
            sleeper.accept(readPauseNanos);
        }
        read = 0;
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
