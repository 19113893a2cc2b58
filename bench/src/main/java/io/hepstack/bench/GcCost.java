package io.hepstack.bench;

import io.hepstack.collector.hep.HepDecoder;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.Stages;
import io.hepstack.collector.pipeline.Transport;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the garbage collector costs per message on the collector's per-message path, without
 * Elasticsearch, UDP or a second process on the machine: hepgen's mix as {@code hepgen --rate R
 * --duration S} sends it (so as many calls are live and the reorder window holds as many messages
 * as end to end at that rate; the input is kept outside the heap) goes through
 * the stages of {@link PipelineFixture} (reorder window included) and the index stage's document
 * writers, in batches, ticking once per capture second, twice: the first pass warms up, the
 * second is measured. Printed: the CPU of each group of the JVM's threads per message (from
 * {@code /proc/self/task}, so the collector's own GC and JIT threads count, which JFR's samples and
 * {@code ThreadMXBean} miss), and the collections.
 *
 * <p>The end-to-end benchmark showed the garbage collector's threads taking more CPU than the
 * pipeline worker at 9,000 messages/s in a 512 MB heap; this reproduces that split in seconds and
 * with little noise, so a change's effect on it can be compared run against run. Run it with the
 * collector's heap:
 * <pre>java -Xmx512m -cp bench/target/benchmarks.jar io.hepstack.bench.GcCost [packets per second=9000 [seconds=60]]</pre>
 */
public final class GcCost {

    private static final InetSocketAddress AGENT = new InetSocketAddress("127.0.0.1", 40000);
    /** Messages per batch: {@code -Dgccost.batch} (512, the collector's full batch). */
    private static final int BATCH = Integer.getInteger("gccost.batch", 512);
    /**
     * {@code -Dgccost.pace=true}: the measured pass is fed at the rate's wall-clock pace (after each
     * batch the thread sleeps until the next is due), as the collector's worker is when it keeps up,
     * between batches idle while other processes run: to tell a batch's cold start from its work.
     */
    private static final boolean PACE = Boolean.getBoolean("gccost.pace");
    /** {@code -Dgccost.spin=true}: paced by spinning instead of sleeping (the thread's CPU then counts the wait too). */
    private static final boolean SPIN = Boolean.getBoolean("gccost.spin");
    private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** The feeding thread's CPU inside {@code Stages.process} (the batches' work without the pacing). */
    private static long stagesCpuNanos;

    private GcCost() {
    }

    public static void main(String[] args) throws IOException {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 9_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        Packets packets = Packets.offHeap(BenchData.hepgenPacketsAt(rate, seconds));
        HepDecoder decoder = new HepDecoder();
        try (PipelineFixture fixture = new PipelineFixture(true)) {
            run(fixture.stages(), packets, decoder, 0); // warm-up: JIT, caches
            System.gc();
            Map<String, Long> cpu0 = threadTicks();
            stagesCpuNanos = 0;
            long gcCount0 = gcCount();
            long gcMillis0 = gcMillis();
            long wall0 = System.nanoTime();
            int fed = run(fixture.stages(), packets, decoder, PACE ? rate : 0);
            long wall = System.nanoTime() - wall0;
            Map<String, Long> cpu1 = threadTicks();
            long ticksPerSecond = 100; // USER_HZ on Linux
            System.out.printf("[gc-cost] hepgen's mix at %d packets per capture second for %d s: %d messages in %.1f s (%.0f/s%s), batches of %d, heap max %d MB%n",
                    rate, seconds, fed, wall / 1e9, fed / (wall / 1e9), PACE ? ", paced" : "", BATCH, Runtime.getRuntime().maxMemory() >> 20);
            Map<String, Long> delta = new TreeMap<>();
            long total = 0;
            for (Map.Entry<String, Long> e : cpu1.entrySet()) {
                long d = e.getValue() - cpu0.getOrDefault(e.getKey(), 0L);
                if (d > 0) {
                    delta.put(e.getKey(), d);
                    total += d;
                }
            }
            System.out.printf("[gc-cost] CPU µs per message: all %.1f", 1e6 * total / ticksPerSecond / fed);
            for (Map.Entry<String, Long> e : delta.entrySet().stream()
                    .sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(6).toList()) {
                System.out.printf(", %s %.1f", e.getKey(), 1e6 * e.getValue() / ticksPerSecond / fed);
            }
            System.out.printf("; in Stages.process %.1f%n", stagesCpuNanos / 1000.0 / fed);
            System.out.printf("[gc-cost] collections %d, paused %d ms in all (%.2f µs per message)%n",
                    gcCount() - gcCount0, gcMillis() - gcMillis0, 1000.0 * (gcMillis() - gcMillis0) / fed);
        }
    }

    /** Feeds every packet in batches, ticking once per capture second; flushes at the end. {@code pace} > 0: at most that many per wall second. */
    private static int run(Stages stages, Packets packets, HepDecoder decoder, int pace) {
        List<CapturedMessage> batch = new ArrayList<>(BATCH);
        long start = System.nanoTime();
        long lastTick = Long.MIN_VALUE;
        byte[] b = new byte[65536];
        for (int i = 0; i < packets.count(); i++) {
            int n = packets.copy(i, b);
            batch.add(new CapturedMessage(decoder.decode(b, 0, n), Transport.UDP, AGENT));
            if (batch.size() == BATCH) {
                long newest = batch.get(batch.size() - 1).timestampMicros();
                long c0 = THREADS.getCurrentThreadCpuTime();
                stages.process(batch);
                stagesCpuNanos += THREADS.getCurrentThreadCpuTime() - c0;
                batch = new ArrayList<>(BATCH);
                if (pace > 0) {
                    long due = start + (long) ((i + 1) * 1e9 / pace);
                    long wait = due - System.nanoTime();
                    if (wait > 0 && SPIN) {
                        while (System.nanoTime() < due) {
                            Thread.onSpinWait();
                        }
                    } else if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                }
                if (lastTick == Long.MIN_VALUE || newest - lastTick >= 1_000_000L) {
                    stages.tick(newest);
                    lastTick = newest;
                }
            }
        }
        stages.process(batch);
        stages.flush();
        return packets.count();
    }

    /**
     * The encoded packets outside the heap (direct memory): a few hundred MB of input held on the
     * heap would be live data the collector does not have, and would change what is measured.
     */
    private record Packets(java.nio.ByteBuffer data, int[] offsets) {
        static Packets offHeap(List<byte[]> packets) {
            long total = 0;
            for (byte[] p : packets) {
                total += p.length;
            }
            java.nio.ByteBuffer data = java.nio.ByteBuffer.allocateDirect(Math.toIntExact(total));
            int[] offsets = new int[packets.size() + 1];
            for (int i = 0; i < packets.size(); i++) {
                offsets[i] = data.position();
                data.put(packets.get(i));
            }
            offsets[packets.size()] = data.position();
            packets.clear();
            return new Packets(data, offsets);
        }

        int count() {
            return offsets.length - 1;
        }

        int copy(int i, byte[] to) {
            int n = offsets[i + 1] - offsets[i];
            data.get(offsets[i], to, 0, n);
            return n;
        }
    }

    /** utime + stime per thread group (names without digits: "GC Thread#0" and "#1" are "GC Thread#"), in clock ticks. */
    private static Map<String, Long> threadTicks() throws IOException {
        Map<String, Long> out = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : tasks.toList()) {
                String stat;
                try {
                    stat = Files.readString(t.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+", "").trim();
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                out.merge(name.isEmpty() ? "?" : name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
            }
        }
        return out;
    }

    private static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, b.getCollectionCount());
        }
        return n;
    }

    private static long gcMillis() {
        long n = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, b.getCollectionTime());
        }
        return n;
    }
}
