package io.hepstack.tools.hepgen;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepstack.collector.hep.HepDecoder;
import io.hepstack.collector.hep.HepEncoder;
import io.hepstack.collector.hep.HepFrameDecoder;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.protocol.sip.SipMessage;
import io.hepstack.collector.protocol.sip.SipParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The sender against real sockets on 127.0.0.1. Counts are asserted exactly; rates only within
 * generous bounds (a shared 2-core machine), except the one hard fact that pacing never sends
 * a packet before its due time.
 */
class HepSenderTest {

    private static final long T0 = 1_767_225_600_000_000L;

    private static HepTrafficModel traffic(long calls, long registrations) {
        return new HepTrafficModel(TrafficConfig.builder().startMicros(T0).seed(11).calls(calls).registrations(registrations)
                .callsPerSecond(50).registrationsPerSecond(10).build());
    }

    /** Receives datagrams on 127.0.0.1 in its own thread, keeping each with its arrival time. */
    static final class UdpReceiver implements AutoCloseable {
        final DatagramChannel channel;
        final ConcurrentLinkedQueue<byte[]> packets = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Long> arrivals = new ConcurrentLinkedQueue<>();
        final Thread thread;
        final AtomicBoolean running = new AtomicBoolean(true);

        UdpReceiver() throws Exception {
            channel = DatagramChannel.open();
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 8 << 20);
            channel.bind(new InetSocketAddress("127.0.0.1", 0));
            thread = new Thread(() -> {
                ByteBuffer buf = ByteBuffer.allocate(65536);
                try {
                    while (running.get()) {
                        buf.clear();
                        channel.receive(buf);
                        arrivals.add(System.nanoTime());
                        buf.flip();
                        byte[] b = new byte[buf.remaining()];
                        buf.get(b);
                        packets.add(b);
                    }
                } catch (Exception closed) {
                    // closed by close()
                }
            }, "udp-receiver");
            thread.start();
        }

        InetSocketAddress address() throws Exception {
            return (InetSocketAddress) channel.getLocalAddress();
        }

        void awaitCount(long n) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (packets.size() < n && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            Thread.sleep(50); // and nothing more arrives
        }

        @Override
        public void close() throws Exception {
            running.set(false);
            channel.close();
            thread.join(2000);
        }
    }

    @Test
    void udpAtATargetRateDeliversEveryPacketAndReportsWhatItSent() throws Exception {
        try (UdpReceiver rx = new UdpReceiver();
             UdpTransport udp = new UdpTransport(rx.address())) {
            HepSender sender = new HepSender(udp, new HepEncoder(), new Pacer(1000, Pacer.Clock.SYSTEM), false);
            SendReport report = sender.send(traffic(-1, -1), new HepSender.Limits(1500, 0), 1000);
            rx.awaitCount(1500);

            assertThat(report.packets()).isEqualTo(1500);
            assertThat(report.errors()).isZero();
            assertThat(report.stopReason()).isEqualTo("packet count");
            assertThat(rx.packets).hasSize(1500);
            // packet 1499 is due 1.499 s after the start and never goes out earlier
            assertThat(report.elapsedNanos()).isGreaterThanOrEqualTo(1_499_000_000L);
            assertThat(report.achievedRate()).isBetween(700.0, 1100.0);

            // what arrived is what the report says was sent
            HepDecoder decoder = new HepDecoder();
            SipParser parser = new SipParser();
            Map<Integer, Long> types = new HashMap<>();
            Map<String, Long> labels = new HashMap<>();
            long bytes = 0;
            for (byte[] b : rx.packets) {
                HepPacket p = decoder.decode(b, 0, b.length);
                bytes += b.length;
                types.merge(p.protoType, 1L, Long::sum);
                String label = p.protoType == 5 ? "RTCP" : p.protoType == 100 ? "LOG" : null;
                if (label == null) {
                    SipMessage m = parser.parse(p.payload);
                    label = m.isRequest() ? m.method() : Integer.toString(m.statusCode());
                }
                labels.merge(label, 1L, Long::sum);
            }
            assertThat(report.bytes()).isEqualTo(bytes);
            for (Map.Entry<Integer, Long> e : types.entrySet()) {
                assertThat(report.packetsOfType(e.getKey())).isEqualTo(e.getValue());
            }
            assertThat(report.byLabel()).isEqualTo(labels);
            long calls = 0;
            for (CallOutcome o : CallOutcome.values()) {
                calls += report.calls(o);
            }
            assertThat(calls).isEqualTo(labels.get("INVITE"));
            assertThat(report.toText()).contains("1500 packets").contains("udp 127.0.0.1:");
        }
    }

    @Test
    void aDurationLimitStopsAtExactlyTheScheduledCount() throws Exception {
        try (UdpReceiver rx = new UdpReceiver();
             UdpTransport udp = new UdpTransport(rx.address())) {
            HepSender sender = new HepSender(udp, new HepEncoder(), new Pacer(500, Pacer.Clock.SYSTEM), false);
            SendReport report = sender.send(traffic(-1, -1), new HepSender.Limits(0, 400_000_000L), 500);
            // due times 0, 2 ms, ..., 398 ms are inside 0.4 s: 200 packets
            assertThat(report.packets()).isEqualTo(200);
            assertThat(report.stopReason()).isEqualTo("duration");
            rx.awaitCount(200);
            assertThat(rx.packets).hasSize(200);
        }
    }

    @Test
    void liveModeSendsEachPacketAtItsHepTime() throws Exception {
        long now = System.currentTimeMillis() * 1000;
        HepTrafficModel model = new HepTrafficModel(TrafficConfig.builder().startMicros(now).seed(3).calls(40)
                .registrations(10).callsPerSecond(40).registrationsPerSecond(10)
                .callMix(java.util.Map.of(CallOutcome.UNAVAILABLE, 1, CallOutcome.BUSY, 1)).build());
        try (UdpReceiver rx = new UdpReceiver();
             UdpTransport udp = new UdpTransport(rx.address())) {
            HepSender sender = new HepSender(udp, new HepEncoder(), new Pacer(0, Pacer.Clock.SYSTEM), true);
            long before = System.nanoTime();
            SendReport report = sender.send(model, new HepSender.Limits(120, 0), 0);
            rx.awaitCount(120);
            List<byte[]> got = new ArrayList<>(rx.packets);
            List<Long> at = new ArrayList<>(rx.arrivals);
            assertThat(got).hasSize(120);
            HepDecoder decoder = new HepDecoder();
            long hep0 = decoder.decode(got.get(0), 0, got.get(0).length).timestampMicros();
            for (int i = 1; i < got.size(); i++) {
                long hepDelta = decoder.decode(got.get(i), 0, got.get(i).length).timestampMicros() - hep0;
                // never early: it arrived no sooner than its HEP offset after the run began
                assertThat((at.get(i) - before) / 1000).as("packet %d", i).isGreaterThanOrEqualTo(hepDelta);
            }
            assertThat(report.packets()).isEqualTo(120);
            long span = decoder.decode(got.get(119), 0, got.get(119).length).timestampMicros() - hep0;
            assertThat(span).as("the model spreads 120 packets over seconds").isGreaterThan(500_000);
            // the run lasts as long as the HEP timeline, not much longer
            assertThat(report.elapsedNanos() / 1000).isBetween(span, span + 1_000_000);
        }
    }

    @Test
    void udpWithNobodyListeningCountsSendErrorsAndGoesOn() throws Exception {
        InetSocketAddress closed;
        try (DatagramChannel probe = DatagramChannel.open()) {
            probe.bind(new InetSocketAddress("127.0.0.1", 0));
            closed = (InetSocketAddress) probe.getLocalAddress();
        }
        try (UdpTransport udp = new UdpTransport(closed)) {
            HepSender sender = new HepSender(udp, new HepEncoder(), new Pacer(2000, Pacer.Clock.SYSTEM), false);
            SendReport report = sender.send(traffic(-1, 0), new HepSender.Limits(100, 0), 2000);
            // ICMP port unreachable comes back as an error on a later send of the connected socket
            assertThat(report.errors()).isPositive();
            assertThat(report.packets() + report.errors()).isEqualTo(100);
            assertThat(report.firstError()).contains("PortUnreachable");
            assertThat(report.toMap()).containsEntry("send_errors", report.errors());
        }
    }

    @Test
    void stopEndsTheRunFromAnotherThread() throws Exception {
        try (UdpReceiver rx = new UdpReceiver();
             UdpTransport udp = new UdpTransport(rx.address())) {
            HepSender sender = new HepSender(udp, new HepEncoder(), new Pacer(200, Pacer.Clock.SYSTEM), false);
            Thread stopper = new Thread(() -> {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    return;
                }
                sender.stop();
            });
            stopper.start();
            SendReport report = sender.send(traffic(-1, -1), new HepSender.Limits(0, 0), 200);
            stopper.join();
            assertThat(report.stopReason()).isEqualTo("stop request");
            assertThat(report.packets()).isBetween(20L, 200L);
        }
    }

    @Test
    void tcpOneConnectionIsFramedByTheHepLength() throws Exception {
        tcp(1, 2000);
    }

    @Test
    void tcpSeveralConnectionsKeepEachCallOnOne() throws Exception {
        tcp(3, 2000);
    }

    /** Sends over N connections to a local server, then frames each stream with the collector's decoders. */
    private static void tcp(int connections, int count) throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            List<ByteArrayOutputStream> streams = new ArrayList<>();
            List<Thread> readers = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    for (int i = 0; i < connections; i++) {
                        SocketChannel ch = server.accept();
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        synchronized (streams) {
                            streams.add(out);
                        }
                        Thread t = new Thread(() -> {
                            ByteBuffer buf = ByteBuffer.allocate(8192);
                            try (ch) {
                                while (ch.read(buf) >= 0) {
                                    buf.flip();
                                    synchronized (out) {
                                        out.write(buf.array(), 0, buf.limit());
                                    }
                                    buf.clear();
                                }
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
                        synchronized (readers) {
                            readers.add(t);
                        }
                        t.start();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            acceptor.start();
            SendReport report;
            try (TcpTransport tcp = new TcpTransport((InetSocketAddress) server.getLocalAddress(), connections)) {
                HepSender sender = new HepSender(tcp, new HepEncoder(), new Pacer(0, Pacer.Clock.SYSTEM), false);
                report = sender.send(traffic(-1, -1), new HepSender.Limits(count, 0), 0);
                assertThat(tcp.describe()).endsWith(connections > 1 ? " x" + connections : ":" + server.socket().getLocalPort());
            }
            acceptor.join(5000);
            synchronized (readers) {
                for (Thread t : readers) {
                    t.join(5000);
                }
            }
            assertThat(report.packets()).isEqualTo(count);
            assertThat(report.errors()).isZero();
            assertThat(streams).hasSize(connections);

            HepDecoder decoder = new HepDecoder();
            Random chunks = new Random(1);
            Map<String, Integer> connectionOf = new HashMap<>();
            long total = 0;
            long bytes = 0;
            for (int c = 0; c < connections; c++) {
                byte[] stream = streams.get(c).toByteArray();
                bytes += stream.length;
                RecordingRejections rejections = new RecordingRejections();
                EmbeddedChannel ch = new EmbeddedChannel(new HepFrameDecoder(rejections));
                // arbitrary TCP segmentation
                for (int off = 0; off < stream.length; ) {
                    int n = Math.min(stream.length - off, 1 + chunks.nextInt(3000));
                    ch.writeInbound(Unpooled.wrappedBuffer(stream, off, n));
                    off += n;
                }
                assertThat(ch.finish()).isEqualTo(ch.inboundMessages().size() > 0);
                long lastTime = -1;
                ByteBuf frame;
                Set<String> here = new HashSet<>();
                while ((frame = ch.readInbound()) != null) {
                    HepPacket p = decoder.decode(frame);
                    frame.release();
                    total++;
                    assertThat(p.timestampMicros()).isGreaterThanOrEqualTo(lastTime);
                    lastTime = p.timestampMicros();
                    String id = p.correlationId != null ? p.correlationId : new SipParser().parse(p.payload).callId();
                    here.add(id);
                }
                for (String id : here) {
                    assertThat(connectionOf.put(id, c)).as("Call-ID %s on two connections", id).isNull();
                }
                assertThat(rejections.count).isZero();
            }
            assertThat(total).isEqualTo(count);
            assertThat(bytes).isEqualTo(report.bytes());
        }
    }

    static final class RecordingRejections implements io.hepstack.collector.hep.HepRejectionListener {
        int count;

        @Override
        public void rejected(io.hepstack.collector.hep.HepDecodeException.Reason reason, java.net.SocketAddress peer,
                             String detail) {
            count++;
        }
    }
}
