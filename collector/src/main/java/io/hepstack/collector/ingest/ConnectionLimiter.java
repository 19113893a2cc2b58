package io.hepstack.collector.ingest;

import com.codahale.metrics.Meter;
import io.netty.channel.Channel;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps the open TCP and TLS connections: in total and per source address. A connection over a cap
 * is closed as soon as it is accepted, before any handler or buffer is set up for it, and counted
 * ({@code hep.connections.refused}). The per-address table only holds addresses with open
 * connections, so it is bounded by the total cap. Thread-safe: called from the accept loops.
 */
final class ConnectionLimiter {

    private final int maxTotal;
    private final int maxPerAddress;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final Meter refused;
    private final WarningLimiter warnings;

    ConnectionLimiter(int maxTotal, int maxPerAddress, Meter refused, WarningLimiter warnings) {
        if (maxTotal < 1 || maxPerAddress < 1) {
            throw new IllegalArgumentException("connection caps must be positive: " + maxTotal + ", " + maxPerAddress);
        }
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
        this.refused = refused;
        this.warnings = warnings;
    }

    /** Admits the new channel (and releases it when it closes), or closes it; returns whether admitted. */
    boolean admit(Channel ch) {
        InetAddress address = ch.remoteAddress() instanceof InetSocketAddress isa ? isa.getAddress() : null;
        if (open.incrementAndGet() > maxTotal) {
            open.decrementAndGet();
            return refuse(ch, "HEP connection from {} refused: {} connections open, the cap (hep.maxConnections)", maxTotal);
        }
        if (address != null) {
            AtomicInteger n = perAddress.compute(address, (a, c) -> c == null ? new AtomicInteger() : c);
            if (n.incrementAndGet() > maxPerAddress) {
                release(address);
                open.decrementAndGet();
                return refuse(ch, "HEP connection from {} refused: {} connections from that address, the cap (hep.maxConnectionsPerAddress)", maxPerAddress);
            }
        }
        ch.closeFuture().addListener(f -> {
            open.decrementAndGet();
            if (address != null) {
                release(address);
            }
        });
        return true;
    }

    private boolean refuse(Channel ch, String format, int cap) {
        refused.mark();
        warnings.warn("connection-refused", format, ch.remoteAddress(), cap);
        ch.close();
        return false;
    }

    private void release(InetAddress address) {
        perAddress.computeIfPresent(address, (a, c) -> c.decrementAndGet() <= 0 ? null : c);
    }

    int open() {
        return open.get();
    }

    int addresses() {
        return perAddress.size();
    }
}
