package io.hepstack.tools.hepgen;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * HEP over TCP: packets written back to back (a receiver frames them by the HEP3 length field)
 * on one or more blocking connections. All packets of one call or registration go on the same
 * connection ({@link TrafficPacket#scenario()} modulo the count), as if each connection were
 * one capture agent, so per-call order is kept. Each packet is one write, so a failure is
 * counted against exactly the packet that failed; a broken connection is closed and reopened
 * on its next packet, at most once a second (packets in between are send errors).
 */
public final class TcpTransport implements HepTransport {

    private static final long RECONNECT_NANOS = 1_000_000_000L;

    private final InetSocketAddress target;
    private final SocketChannel[] connections;
    private final long[] lastAttempt;
    private long reconnects;

    public TcpTransport(InetSocketAddress target, int connections) throws IOException {
        if (target == null || target.isUnresolved()) {
            throw new IllegalArgumentException("target must be a resolved address: " + target);
        }
        if (connections < 1 || connections > 1024) {
            throw new IllegalArgumentException("connections must be 1..1024: " + connections);
        }
        this.target = target;
        this.connections = new SocketChannel[connections];
        this.lastAttempt = new long[connections];
        try {
            for (int i = 0; i < connections; i++) {
                this.connections[i] = open();
            }
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private SocketChannel open() throws IOException {
        SocketChannel ch = SocketChannel.open();
        try {
            ch.setOption(StandardSocketOptions.SO_SNDBUF, 1 << 20);
            ch.connect(target);
            return ch;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public void send(ByteBuffer packet, TrafficPacket what) throws IOException {
        int i = (int) Math.floorMod(what.scenario(), (long) connections.length);
        SocketChannel ch = connections[i];
        if (ch == null) {
            long now = System.nanoTime();
            if (now - lastAttempt[i] < RECONNECT_NANOS) {
                throw new IOException("connection " + i + " to " + target + " is down");
            }
            lastAttempt[i] = now;
            ch = open();
            connections[i] = ch;
            reconnects++;
        }
        try {
            while (packet.hasRemaining()) {
                ch.write(packet);
            }
        } catch (IOException e) {
            connections[i] = null;
            lastAttempt[i] = System.nanoTime();
            ch.close();
            throw e;
        }
    }

    /** Connections reopened after a failure. */
    public long reconnects() {
        return reconnects;
    }

    @Override
    public String describe() {
        return "tcp " + target.getAddress().getHostAddress() + ":" + target.getPort()
                + (connections.length > 1 ? " x" + connections.length : "");
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (int i = 0; i < connections.length; i++) {
            if (connections[i] != null) {
                try {
                    connections[i].close();
                } catch (IOException e) {
                    first = first == null ? e : first;
                }
                connections[i] = null;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
