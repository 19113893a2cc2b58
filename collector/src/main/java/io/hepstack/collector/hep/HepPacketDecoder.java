package io.hepstack.collector.hep;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.net.SocketAddress;
import java.util.List;

/**
 * Turns HEP bytes into {@link HepPacket}s: a {@link DatagramPacket} (UDP: one datagram is one
 * packet, its sender is the peer) or a {@link ByteBuf} frame from {@link HepFrameDecoder} (TCP:
 * the channel's remote address is the peer). Other messages pass through untouched.
 *
 * <p>Stateless and {@link ChannelHandler.Sharable}: one instance can serve every channel. A
 * rejected packet never throws into the pipeline: the {@link HepRejectionListener} is told, and
 * the bytes are dropped. Every input message is released, decoded or not; the emitted
 * {@code HepPacket} holds only copies.
 *
 * <pre>
 * UDP: pipeline.addLast(new HepPacketDecoder(decoder, listener), yourHandler)
 * TCP: pipeline.addLast(new HepFrameDecoder(listener), new HepPacketDecoder(decoder, listener), yourHandler)
 * </pre>
 */
@ChannelHandler.Sharable
public final class HepPacketDecoder extends MessageToMessageDecoder<Object> {

    private final HepDecoder decoder;
    private final HepRejectionListener listener;

    public HepPacketDecoder(HepDecoder decoder, HepRejectionListener listener) {
        if (decoder == null) {
            throw new IllegalArgumentException("decoder must not be null");
        }
        this.decoder = decoder;
        this.listener = HepRejectionListener.failsafe(listener);
    }

    @Override
    public boolean acceptInboundMessage(Object msg) {
        return msg instanceof DatagramPacket || msg instanceof ByteBuf;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, Object msg, List<Object> out) {
        ByteBuf content;
        SocketAddress peer;
        if (msg instanceof DatagramPacket datagram) {
            content = datagram.content();
            peer = datagram.sender();
        } else {
            content = (ByteBuf) msg;
            peer = ctx.channel().remoteAddress();
        }
        try {
            out.add(decoder.decode(content));
        } catch (HepDecodeException e) {
            listener.rejected(e.reason(), peer, e.getMessage());
        }
        // MessageToMessageDecoder releases msg after this returns
    }
}
