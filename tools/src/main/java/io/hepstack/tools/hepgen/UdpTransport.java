package io.hepstack.tools.hepgen;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * One HEP packet per datagram from one connected, blocking UDP socket. A full send buffer blocks
 * the sender (back-pressure on loopback); nobody listening shows as
 * {@link java.net.PortUnreachableException}s, which the sender counts as send errors.
 */
public final class UdpTransport implements HepTransport {

    private final InetSocketAddress target;
    private final DatagramChannel channel;

    public UdpTransport(InetSocketAddress target) throws IOException {
        if (target == null || target.isUnresolved()) {
            throw new IllegalArgumentException("target must be a resolved address: " + target);
        }
        this.target = target;
        this.channel = DatagramChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
            channel.connect(target);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public void send(ByteBuffer packet, TrafficPacket what) throws IOException {
        int n = packet.remaining();
        if (channel.write(packet) != n) {
            throw new IOException("datagram of " + n + " bytes was not sent whole");
        }
    }

    @Override
    public String describe() {
        return "udp " + target.getAddress().getHostAddress() + ":" + target.getPort();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
