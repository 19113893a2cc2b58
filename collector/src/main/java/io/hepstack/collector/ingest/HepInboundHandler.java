package io.hepstack.collector.ingest;

import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.Pipeline;
import io.hepstack.collector.pipeline.Transport;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;

/**
 * Last handler of a TCP/TLS listener: wraps each decoded {@link HepPacket} and hands it to the pipeline.
 * It waits up to the configured time for room, which stalls this event loop and so slows the
 * senders down instead of losing data. (UDP hands on whole batches: {@link UdpHepHandler}.)
 */
@ChannelHandler.Sharable
final class HepInboundHandler extends SimpleChannelInboundHandler<HepPacket> {

    private final Pipeline pipeline;
    private final Transport transport;
    private final IngestMetrics metrics;
    private final Duration tcpWait;

    HepInboundHandler(Pipeline pipeline, Transport transport, IngestMetrics metrics, Duration tcpWait) {
        this.pipeline = pipeline;
        this.transport = transport;
        this.metrics = metrics;
        this.tcpWait = tcpWait;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HepPacket packet) {
        metrics.received(transport);
        SocketAddress remote = ctx.channel().remoteAddress();
        hand(packet, remote instanceof InetSocketAddress isa ? isa : null);
    }

    private void hand(HepPacket packet, InetSocketAddress peer) {
        CapturedMessage m = new CapturedMessage(packet, transport, peer);
        m.receivedMicros = System.currentTimeMillis() * 1000;
        if (pipeline.offer(m, tcpWait)) {
            metrics.accepted(transport, packet.protoType);
        } else {
            metrics.dropped(transport);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            metrics.connectionsCutIdle.mark();
            metrics.warnings().warn("idle", "closing idle HEP connection from {}", ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        metrics.warnings().warn("connection-failed", "HEP {} connection {} failed: {}", transport.label(),
                ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
