package io.hepstack.collector.ingest;

import io.hepstack.collector.hep.HepDecodeException;
import io.hepstack.collector.hep.HepDecoder;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.hep.HepRejectionListener;
import io.hepstack.collector.pipeline.Pipeline;
import io.hepstack.collector.pipeline.Transport;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;

import java.time.Duration;

/** UDP: one datagram is one HEP packet; decodes it and hands it to the pipeline with its sender. */
@ChannelHandler.Sharable
final class UdpHepHandler extends SimpleChannelInboundHandler<DatagramPacket> {

    private final HepDecoder decoder;
    private final HepRejectionListener rejections;
    private final Pipeline pipeline;
    private final IngestMetrics metrics;

    UdpHepHandler(HepDecoder decoder, HepRejectionListener rejections, Pipeline pipeline, IngestMetrics metrics) {
        this.decoder = decoder;
        this.rejections = HepRejectionListener.failsafe(rejections);
        this.pipeline = pipeline;
        this.metrics = metrics;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket datagram) {
        HepPacket packet;
        try {
            packet = decoder.decode(datagram.content());
        } catch (HepDecodeException e) {
            rejections.rejected(e.reason(), datagram.sender(), e.getMessage());
            return;
        }
        metrics.received(Transport.UDP);
        HepInboundHandler.hand(pipeline, metrics, Transport.UDP, Duration.ZERO, packet, datagram.sender());
    }
}
