package io.hepstack.bench;

import com.codahale.metrics.MetricRegistry;
import io.hepstack.collector.health.UdpKernelDrops;
import io.hepstack.collector.ingest.HepListenerConfig;
import io.hepstack.collector.ingest.HepListeners;
import io.hepstack.collector.ingest.IngestMetrics;
import io.hepstack.collector.pipeline.Pipeline;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * UDP decode-only: how many HEP datagrams a second the collector's real UDP listener takes without a
 * kernel socket drop, with nothing behind it but the pipeline's queue and a stage that counts.
 * Sender threads (each its own socket, so SO_REUSEPORT can spread them) offer hepgen's default mix,
 * pre-encoded ({@link BenchData.Source#HEPGEN}), at a fixed rate over 127.0.0.1; the listener
 * ({@link HepListeners}, the collector's own) decodes and hands off to a {@link Pipeline} whose one
 * stage counts. For each rate, each listener setup runs in turn in this JVM (fresh sockets each):
 * {@code old} = one datagram per read and per hand-off, one socket (the collector before batching);
 * {@code new} = {@code recvmmsg} batches of {@code batch} datagrams on {@code threads} sockets.
 *
 * <p>Printed per run: offered rate, datagrams received by the listener, decoded (counted by the
 * stage), kernel socket drops ({@code /proc/net/udp}, as the collector's {@code hep.udp.kernel_drops}),
 * queue drops, and the CPU of the receiving side: the process's CPU minus the sender threads'
 * (so it includes the listener, the pipeline worker, GC and JIT), per message and in cores.
 *
 * <pre>java -Xmx512m -cp bench/target/benchmarks.jar io.hepstack.bench.UdpDecodeBench \
 *     [rates=50000,100000,150000] [seconds=10] [setups=old,new] [batch=16] [threads=1] [senders=2]</pre>
 */
public final class UdpDecodeBench {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private UdpDecodeBench() {
    }

    public static void main(String[] args) throws Exception {
        quietLogs();
        String[] rates = arg(args, 0, "50000,100000,150000").split(",");
        int seconds = Integer.parseInt(arg(args, 1, "10"));
        String[] setups = arg(args, 2, "old,new").split(",");
        int batch = Integer.parseInt(arg(args, 3, "16"));
        int threads = Integer.parseInt(arg(args, 4, "1"));
        int senders = Integer.parseInt(arg(args, 5, "2"));
        List<byte[]> packets = BenchData.hepPackets(BenchData.Source.HEPGEN);
        long bytes = packets.stream().mapToLong(p -> p.length).sum();
        System.out.printf("[udp] %d hepgen packets (mean %d bytes), %d s per run, %d sender threads, cores %d, load %.1f%n",
                packets.size(), bytes / packets.size(), seconds, senders, Runtime.getRuntime().availableProcessors(),
                OS.getSystemLoadAverage());
        System.out.println("[udp] setup                       rate/s   offered/s   received    decoded  kernel_drops  queue_drops  rejected"
                + "  cpu_us/msg  cpu_cores  rx_us/msg (sys)");
        run("warm-up", 1, 1, packets, 20_000, 3, senders); // JIT of decoder and sender before the first measured run
        for (String rate : rates) {
            for (String setup : setups) {
                boolean old = setup.equals("old");
                run(setup, old ? 1 : batch, old ? 1 : threads, packets, Integer.parseInt(rate), seconds, senders);
            }
        }
    }

    /** The table says what the logs would: the listener's transport line stays, the drop warnings (and DEBUG) go. */
    private static void quietLogs() {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logs) {
            logs.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.WARN);
            logs.getLogger(HepListeners.class).setLevel(ch.qos.logback.classic.Level.INFO);
            logs.getLogger(UdpKernelDrops.class).setLevel(ch.qos.logback.classic.Level.ERROR);
        }
    }

    private static String arg(String[] args, int i, String fallback) {
        return args.length > i ? args[i] : fallback;
    }

    private static void run(String setup, int batch, int threads, List<byte[]> packets, int rate, int seconds, int senders)
            throws Exception {
        MetricRegistry registry = new MetricRegistry();
        LongAdder decoded = new LongAdder();
        Pipeline pipeline = Pipeline.builder(registry).add("count", ctx -> b -> decoded.add(b.messages().size())).build().start();
        HepListenerConfig config = new HepListenerConfig();
        config.udp.bind = "127.0.0.1";
        config.udp.port = 0;
        config.udp.receiveBatch = batch;
        config.udp.threads = threads;
        config.tcp.enabled = false;
        HepListeners listeners = new HepListeners(config, pipeline, new IngestMetrics(registry), Duration.ofSeconds(1));
        listeners.start();
        UdpKernelDrops kernel = new UdpKernelDrops(listeners::udpPort, registry, Duration.ofMillis(100));
        try {
            Thread.sleep(300);
            long drops0 = Math.max(0, kernel.total());
            long cpu0 = OS.getProcessCpuTime();
            long[] rx0 = receivingThreadsCpu();
            Sender[] threadsOut = new Sender[senders];
            for (int i = 0; i < senders; i++) {
                threadsOut[i] = new Sender(packets, i * packets.size() / senders, (double) rate / senders, seconds,
                        new InetSocketAddress("127.0.0.1", listeners.udpPort()));
                threadsOut[i].start();
            }
            long offered = 0;
            long senderCpu = 0;
            for (Sender s : threadsOut) {
                s.join();
                offered += s.sent.get();
                senderCpu += s.cpuNanos;
            }
            long settle = System.nanoTime() + 5_000_000_000L; // the listener reads what the socket still holds
            long received;
            do {
                Thread.sleep(200);
                received = registry.meter("hep.udp.received").getCount();
                pipeline.awaitDrained(Duration.ofSeconds(5));
            } while (received + Math.max(0, kernel.total()) - drops0 < offered && System.nanoTime() < settle);
            Thread.sleep(300); // one more poll of the drop counter
            long cpu = OS.getProcessCpuTime() - cpu0 - senderCpu;
            long[] rx = receivingThreadsCpu();
            long rxCpu = rx[0] - rx0[0];
            long rxUser = rx[1] - rx0[1];
            long drops = kernel.total() - drops0;
            long rejected = registry.getMeters().entrySet().stream().filter(e -> e.getKey().startsWith("hep.udp.rejected."))
                    .mapToLong(e -> e.getValue().getCount()).sum();
            long n = decoded.sum();
            System.out.printf("[udp] %-26s %7d %11.0f %10d %10d %13d %12d %9d %11.2f %10.2f %10.2f (%.2f)%n",
                    setup + " (batch " + batch + ", " + threads + " sock)", rate, offered / (double) seconds, received,
                    decoded.sum(), drops, registry.meter("hep.udp.dropped_queue_full").getCount(), rejected,
                    n == 0 ? Double.NaN : cpu / 1000.0 / n, cpu / 1e9 / seconds,
                    n == 0 ? Double.NaN : rxCpu / 1000.0 / n, n == 0 ? Double.NaN : (rxCpu - rxUser) / 1000.0 / n);
        } finally {
            kernel.close();
            listeners.close();
            pipeline.close();
        }
    }

    /** CPU and user time (ns) of the listener's and the pipeline worker's threads so far. */
    private static long[] receivingThreadsCpu() {
        long cpu = 0;
        long user = 0;
        for (var info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null && (info.getThreadName().startsWith("hep-udp") || info.getThreadName().equals("pipeline-worker"))) {
                cpu += Math.max(0, THREADS.getThreadCpuTime(info.getThreadId()));
                user += Math.max(0, THREADS.getThreadUserTime(info.getThreadId()));
            }
        }
        return new long[]{cpu, user};
    }

    /** Sends pre-encoded packets at a fixed rate from its own socket; falls behind only when it cannot keep up. */
    private static final class Sender extends Thread {
        private final List<byte[]> packets;
        private final int start;
        private final double perSecond;
        private final int seconds;
        private final InetSocketAddress to;
        final AtomicLong sent = new AtomicLong();
        volatile long cpuNanos;

        Sender(List<byte[]> packets, int start, double perSecond, int seconds, InetSocketAddress to) {
            super("udp-bench-sender");
            this.packets = packets;
            this.start = start;
            this.perSecond = perSecond;
            this.seconds = seconds;
            this.to = to;
        }

        @Override
        public void run() {
            List<ByteBuffer> wire = new ArrayList<>(packets.size());
            packets.forEach(p -> wire.add(ByteBuffer.wrap(p)));
            try (DatagramChannel ch = DatagramChannel.open()) {
                ch.connect(to);
                long t0 = System.nanoTime();
                long end = t0 + seconds * 1_000_000_000L;
                int i = start;
                long n = 0;
                for (long now = t0; now < end; now = System.nanoTime()) {
                    long due = (long) ((now - t0) * perSecond / 1e9);
                    if (n >= due) {
                        LockSupport.parkNanos(100_000); // bursts of ~0.1 ms of traffic; the kernel buffer takes them
                        continue;
                    }
                    for (; n < due; n++) {
                        ByteBuffer b = wire.get(i).rewind();
                        ch.write(b);
                        i = i + 1 == wire.size() ? 0 : i + 1;
                    }
                    sent.set(n);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } finally {
                cpuNanos = THREADS.getCurrentThreadCpuTime();
            }
        }
    }
}
