package io.hepstack.bench;

import com.sun.management.ThreadMXBean;
import io.hepstack.collector.hep.HepDecoder;
import io.hepstack.collector.pipeline.Batch;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.Stage;
import io.hepstack.collector.pipeline.Stages;
import io.hepstack.collector.pipeline.Transport;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Where {@link PipelineBenchmark}'s CPU time and allocation go, stage by stage: the same input
 * (HEPGEN, warm caches), batches and fresh state per pass, run by hand so that the thread's CPU
 * time and allocated bytes can be read around each stage ({@code com.sun.management.ThreadMXBean}).
 * JMH's figure for the whole path stays the reference; this splits it.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.hepstack.bench.StageCost [passes, default 12; the first third warms up]</pre>
 */
public final class StageCost {

    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final InetSocketAddress AGENT = new InetSocketAddress("127.0.0.1", 40000);

    private StageCost() {
    }

    public static void main(String[] args) {
        int passes = args.length > 0 ? Integer.parseInt(args[0]) : 12;
        PipelineFixture fixture = new PipelineFixture(true);
        List<byte[]> list = BenchData.hepPackets(BenchData.Source.HEPGEN);
        int n = list.size() / PipelineBenchmark.BATCH * PipelineBenchmark.BATCH;
        HepDecoder decoder = new HepDecoder();
        Stages stages = fixture.stages();
        List<String> ids = stages.ids();
        // rows: decode, build (fresh stages per pass), each stage, tick
        int rows = ids.size() + 3;
        long[] cpu = new long[rows];
        long[] bytes = new long[rows];
        long messages = 0;
        for (int pass = 0; pass < passes; pass++) {
            boolean measured = pass >= passes / 3;
            if (measured && messages == 0) {
                java.util.Arrays.fill(cpu, 0);
                java.util.Arrays.fill(bytes, 0);
            }
            long c0 = THREADS.getCurrentThreadCpuTime();
            long b0 = THREADS.getCurrentThreadAllocatedBytes();
            stages = fixture.stages();
            cpu[1] += THREADS.getCurrentThreadCpuTime() - c0;
            bytes[1] += THREADS.getCurrentThreadAllocatedBytes() - b0;
            long newest = 0;
            long lastTick = System.nanoTime();
            for (int at = 0; at < n; at += PipelineBenchmark.BATCH) {
                c0 = THREADS.getCurrentThreadCpuTime();
                b0 = THREADS.getCurrentThreadAllocatedBytes();
                List<CapturedMessage> batch = new ArrayList<>(PipelineBenchmark.BATCH);
                for (int k = at; k < at + PipelineBenchmark.BATCH; k++) {
                    byte[] b = list.get(k);
                    CapturedMessage m = new CapturedMessage(decoder.decode(b, 0, b.length), Transport.UDP, AGENT);
                    newest = Math.max(newest, m.timestampMicros());
                    batch.add(m);
                }
                Batch b = new Batch(batch);
                cpu[0] += THREADS.getCurrentThreadCpuTime() - c0;
                bytes[0] += THREADS.getCurrentThreadAllocatedBytes() - b0;
                for (int i = 0; i < ids.size(); i++) {
                    Stage s = stages.stage(ids.get(i), Stage.class);
                    c0 = THREADS.getCurrentThreadCpuTime();
                    b0 = THREADS.getCurrentThreadAllocatedBytes();
                    s.process(b);
                    cpu[i + 2] += THREADS.getCurrentThreadCpuTime() - c0;
                    bytes[i + 2] += THREADS.getCurrentThreadAllocatedBytes() - b0;
                }
                if (System.nanoTime() - lastTick >= 1_000_000_000L) {
                    lastTick = System.nanoTime();
                    c0 = THREADS.getCurrentThreadCpuTime();
                    b0 = THREADS.getCurrentThreadAllocatedBytes();
                    stages.tick(newest);
                    cpu[rows - 1] += THREADS.getCurrentThreadCpuTime() - c0;
                    bytes[rows - 1] += THREADS.getCurrentThreadAllocatedBytes() - b0;
                }
                if (measured) {
                    messages += PipelineBenchmark.BATCH;
                }
            }
        }
        long totalCpu = 0;
        long totalBytes = 0;
        for (int i = 0; i < rows; i++) {
            totalCpu += cpu[i];
            totalBytes += bytes[i];
        }
        System.out.printf("StageCost HEPGEN warm: %d messages measured (%d passes, the first %d not)%n", messages, passes, passes / 3);
        System.out.printf("%-14s %10s %8s %10s %8s%n", "part", "µs CPU/msg", "share", "B/msg", "share");
        for (int i = 0; i < rows; i++) {
            String name = i == 0 ? "hep decode" : i == 1 ? "fresh stages" : i == rows - 1 ? "tick" : ids.get(i - 2);
            System.out.printf("%-14s %10.2f %7.1f%% %10.0f %7.1f%%%n", name, cpu[i] / 1000.0 / messages,
                    100.0 * cpu[i] / totalCpu, (double) bytes[i] / messages, 100.0 * bytes[i] / totalBytes);
        }
        System.out.printf("%-14s %10.2f %8s %10.0f%n", "total", totalCpu / 1000.0 / messages, "", (double) totalBytes / messages);
        fixture.close();
    }
}
