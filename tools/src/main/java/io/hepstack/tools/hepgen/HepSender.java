package io.hepstack.tools.hepgen;

import io.hepstack.collector.hep.HepEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Iterator;

/**
 * Sends generated traffic through a {@link HepTransport}, paced by a {@link Pacer}, until the
 * traffic ends, a packet count or a duration is reached, or {@link #stop()} is called, and
 * reports what it sent ({@link SendReport}).
 *
 * <p>Two ways to pace: at a fixed rate (packet i at i / rate), or <em>live</em>, where each
 * packet waits until the wall clock reaches its own HEP time (relative to the first packet's):
 * the model's timeline is replayed in real time, so HEP times follow the wall clock when the
 * model starts now. Each packet is encoded into one reused buffer just before it is sent.
 * A packet the transport fails to send is counted as an error and the run goes on.
 */
public final class HepSender {

    /** When to stop; 0 means no limit. */
    public record Limits(long maxPackets, long maxNanos) {
        public Limits {
            if (maxPackets < 0 || maxNanos < 0) {
                throw new IllegalArgumentException("limits must be >= 0 (0 = none): " + maxPackets + ", " + maxNanos);
            }
        }
    }

    private final HepTransport transport;
    private final HepEncoder encoder;
    private final Pacer pacer;
    private final boolean live;
    private volatile boolean stopRequested;

    /**
     * @param live true: pace by the packets' HEP times (the pacer's rate is not used);
     *             false: pace by the pacer's rate
     */
    public HepSender(HepTransport transport, HepEncoder encoder, Pacer pacer, boolean live) {
        if (transport == null || encoder == null || pacer == null) {
            throw new IllegalArgumentException("transport, encoder and pacer are required");
        }
        this.transport = transport;
        this.encoder = encoder;
        this.pacer = pacer;
        this.live = live;
    }

    /** Asks a running {@link #send} to stop after the packet in hand (any thread). */
    public void stop() {
        stopRequested = true;
    }

    public SendReport send(Iterator<TrafficPacket> traffic, Limits limits, double targetRate) throws InterruptedException {
        SendReport report = new SendReport(transport.describe(), live ? 0 : targetRate);
        Pacer.Clock clock = pacer.clock();
        ByteBuf buf = Unpooled.buffer(2048);
        pacer.start();
        long start = pacer.startNanos();
        long firstHepMicros = -1;
        long i = 0;
        String reason = "end of traffic";
        try {
            while (true) {
                if (stopRequested) {
                    reason = "stop request";
                    break;
                }
                if (limits.maxPackets() > 0 && i >= limits.maxPackets()) {
                    reason = "packet count";
                    break;
                }
                if (!traffic.hasNext()) {
                    break;
                }
                TrafficPacket p = traffic.next();
                long due;
                if (live) {
                    long t = p.hep().timestampMicros();
                    if (firstHepMicros < 0) {
                        firstHepMicros = t;
                    }
                    due = start + (t - firstHepMicros) * 1000;
                } else {
                    due = pacer.unpaced() ? clock.nanoTime() : pacer.dueNanos(i);
                }
                if (limits.maxNanos() > 0 && (due - start >= limits.maxNanos()
                        || (pacer.unpaced() && !live && clock.nanoTime() - start >= limits.maxNanos()))) {
                    reason = "duration";
                    break;
                }
                if (due - clock.nanoTime() > 1_000_000) {
                    transport.flush(); // about to idle for a millisecond or more
                }
                pacer.awaitNanos(due);
                buf.clear();
                int size = encoder.encode(p.hep(), buf);
                ByteBuffer nio = buf.nioBuffer(0, size);
                try {
                    transport.send(nio, p);
                    report.sent(p, size, clock.nanoTime());
                } catch (IOException e) {
                    report.failed(p, e);
                }
                i++;
            }
            transport.flush();
        } catch (IOException e) {
            report.failed(null, e);
        } finally {
            buf.release();
            report.finish(clock.nanoTime() - start, pacer.maxLagNanos(), reason);
        }
        return report;
    }
}
