package io.hepstack.bench;

import io.hepstack.collector.correlate.CorrelateStage;
import io.hepstack.collector.hep.HepDecoder;
import io.hepstack.collector.pipeline.Transport;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.Stages;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Heap held per live call by the collector's stateful stages (the correlator's call and
 * transaction records, its indexes, the fraud engine's per-call state): hepgen traffic of
 * {@code calls} calls (100 new calls per capture second, about 90 s each) goes through the
 * pipeline stages of {@link PipelineFixture} up to three quarters of its call starts, ticking once
 * per capture second as the collector does; then the heap after full GCs, minus the heap before,
 * divided by the live calls. The live heap bounds how many calls a collector of a given heap
 * follows before G1 marks back to back (the end-to-end benchmark's limit at -Xmx512m).
 *
 * <pre>java -cp bench/target/benchmarks.jar io.hepstack.bench.LiveCallFootprint [calls=20000 [histogram]]</pre>
 * ({@code histogram}: also the top of the live heap's class histogram, by bytes).
 */
public final class LiveCallFootprint {

    private static final InetSocketAddress AGENT = new InetSocketAddress("127.0.0.1", 40000);
    private static final int BATCH = 64;

    private LiveCallFootprint() {
    }

    public static void main(String[] args) {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        List<byte[]> packets = BenchData.hepgenPackets(calls);
        HepDecoder decoder = new HepDecoder();
        long firstCapture = decoder.decode(packets.get(0), 0, packets.get(0).length).timestampMicros();
        long lastCapture = decoder.decode(packets.get(packets.size() - 1), 0, packets.get(packets.size() - 1).length)
                .timestampMicros();
        // calls start at 100 per capture second: stop at three quarters of the starts, when the
        // most calls are live (they last about 90 s), before the tail of the traffic thins out
        long stopAt = Math.min(lastCapture, firstCapture + calls * 10_000L * 3 / 4);

        try (PipelineFixture fixture = new PipelineFixture(true)) {
            // warm every class and cache first with a small run, so the baseline holds them
            run(fixture.stages(), BenchData.hepgenPackets(200), decoder, Long.MAX_VALUE);
            long before = usedAfterGc();
            Stages stages = fixture.stages();
            int fed = run(stages, packets, decoder, stopAt);
            long after = usedAfterGc();
            CorrelateStage correlate = stages.stage("correlate", CorrelateStage.class);
            int live = correlate.liveCalls();
            int transactions = correlate.liveTransactions();
            long held = after - before;
            System.out.printf("[footprint] %d calls of hepgen's mix, %d of %d packets fed (%.0f s of capture time)%n",
                    calls, fed, packets.size(), (stopAt - firstCapture) / 1e6);
            System.out.printf("[footprint] live calls %d, live transactions %d, heap held %.1f MB, %.0f bytes per live call%n",
                    live, transactions, held / 1e6, live == 0 ? 0.0 : (double) held / live);
            System.out.printf("[footprint] TDR writes %d for %d message documents (%.3f per message)%n",
                    fixture.sink.records, fixture.sink.documents,
                    fixture.sink.documents == 0 ? 0.0 : (double) fixture.sink.records / fixture.sink.documents);
            if (args.length > 1 && args[1].equals("histogram")) {
                System.out.println(classHistogram(40));
            }
            if (stages.ids().isEmpty()) {
                throw new AssertionError(); // keeps the stages reachable until after the measurement
            }
        }
    }

    /** Feeds packets in batches until the capture clock passes {@code stopAt}; returns how many were fed. */
    private static int run(Stages stages, List<byte[]> packets, HepDecoder decoder, long stopAt) {
        List<CapturedMessage> batch = new ArrayList<>(BATCH);
        long lastTick = Long.MIN_VALUE;
        int fed = 0;
        for (byte[] b : packets) {
            CapturedMessage m = new CapturedMessage(decoder.decode(b, 0, b.length), Transport.UDP, AGENT);
            if (m.timestampMicros() > stopAt) {
                break;
            }
            batch.add(m);
            fed++;
            if (batch.size() == BATCH) {
                lastTick = process(stages, batch, lastTick);
            }
        }
        if (!batch.isEmpty()) {
            process(stages, batch, lastTick);
        }
        return fed;
    }

    private static long process(Stages stages, List<CapturedMessage> batch, long lastTick) {
        long newest = batch.get(batch.size() - 1).timestampMicros();
        stages.process(new ArrayList<>(batch));
        batch.clear();
        if (lastTick == Long.MIN_VALUE || newest - lastTick >= 1_000_000L) {
            stages.tick(newest);
            return newest;
        }
        return lastTick;
    }

    /** The first lines of the JVM's live class histogram (what {@code jcmd PID GC.class_histogram} prints). */
    private static String classHistogram(int lines) {
        try {
            javax.management.ObjectName name = new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand");
            String all = (String) ManagementFactory.getPlatformMBeanServer().invoke(name, "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            return String.join("\n", all.lines().limit(lines + 2).toList());
        } catch (javax.management.JMException e) {
            return "no class histogram: " + e;
        }
    }

    private static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
