package io.hepstack.collector.pipeline;

import com.codahale.metrics.MetricRegistry;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.journal.DiskBuffer;
import io.hepstack.collector.journal.Durability;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/** Overload is lag, not loss: what the memory queue cannot hold waits on disk and comes back in order. */
class SpillToDiskTest {

    @TempDir
    Path dir;

    private final MetricRegistry metrics = new MetricRegistry();

    static CapturedMessage message(int i) throws Exception {
        HepPacket p = new HepPacket();
        p.version = 3;
        p.ipFamily = HepPacket.AF_INET;
        p.ipProtocol = 17;
        p.srcIp = new byte[] {10, 0, 0, 1};
        p.dstIp = new byte[] {10, 0, 0, 2};
        p.srcPort = 5060;
        p.dstPort = 5062;
        p.timeSeconds = 1_700_000_000L + i;
        p.timeMicros = 7;
        p.protoType = HepPacket.PROTO_SIP;
        p.captureId = 2001;
        p.authKey = "secret";
        p.nodeName = "node-" + i;
        p.payload = ("OPTIONS sip:" + i + "@example.com SIP/2.0\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        return new CapturedMessage(p, Transport.TCP, new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 9}), 4444));
    }

    /** Records the order of what it is given; holds the worker until {@link #open} is counted down. */
    static final class Gate implements Stage {
        final CountDownLatch open = new CountDownLatch(1);
        final List<CapturedMessage> seen = new CopyOnWriteArrayList<>();

        @Override
        public void process(Batch batch) {
            try {
                open.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            seen.addAll(batch.messages());
        }
    }

    @Test
    void aFullQueueSpillsToDiskAndEverythingComesBackInOrderWithItsFields() throws Exception {
        Gate gate = new Gate();
        DiskBuffer disk = new DiskBuffer(dir, 64 << 20, 64 << 10, Durability.defaults());
        Pipeline pipeline = Pipeline.builder(metrics).capacity(50).batchSize(16).spillTo(disk)
                .add("gate", ctx -> gate).build().start();
        int n = 5_000;
        for (int i = 0; i < n; i++) {
            assertThat(pipeline.offer(message(i))).as("message " + i + " kept").isTrue();
        }
        assertThat(metrics.meter("pipeline.spill.written").getCount()).isGreaterThan(n - 100);
        assertThat(pipeline.spilledBytes()).isPositive();
        gate.open.countDown();
        assertThat(pipeline.awaitDrained(Duration.ofSeconds(60))).isTrue();
        pipeline.close();

        assertThat(gate.seen).hasSize(n);
        List<Long> times = new ArrayList<>();
        gate.seen.forEach(m -> times.add(m.hep.timeSeconds));
        assertThat(times).isSorted().doesNotHaveDuplicates();
        CapturedMessage last = gate.seen.get(n - 1);
        CapturedMessage expected = message(n - 1);
        assertThat(last.hep.payload).isEqualTo(expected.hep.payload);
        assertThat(last.hep.nodeName).isEqualTo("node-" + (n - 1));
        assertThat(last.hep.srcIpText()).isEqualTo("10.0.0.1");
        assertThat(last.hep.captureId).isEqualTo(2001);
        assertThat(last.hep.authKey).as("a secret is not written to disk").isNull();
        assertThat(last.transport).isEqualTo(Transport.TCP);
        assertThat(last.peer).isEqualTo(expected.peer);
        assertThat(metrics.meter("pipeline.lost.disk_full").getCount()).isZero();
    }

    @Test
    void aFullDiskBudgetLosesCountedAndSaysWhyThenResumes() throws Exception {
        Gate gate = new Gate();
        DiskBuffer disk = new DiskBuffer(dir, 20_000, 4_000, Durability.defaults());
        Pipeline pipeline = Pipeline.builder(metrics).capacity(10).batchSize(4).spillTo(disk)
                .add("gate", ctx -> gate).build().start();
        int kept = 0;
        int refused = 0;
        for (int i = 0; i < 1000; i++) {
            if (pipeline.offer(message(i))) {
                kept++;
            } else {
                refused++;
            }
        }
        assertThat(refused).isPositive();
        assertThat(metrics.meter("pipeline.lost.disk_full").getCount()).isEqualTo(refused);
        assertThat(pipeline.lossProblem()).contains("budget");
        gate.open.countDown();
        assertThat(pipeline.awaitDrained(Duration.ofSeconds(30))).isTrue();
        assertThat(gate.seen).hasSize(kept);
        assertThat(pipeline.offer(message(2000))).isTrue();
        assertThat(pipeline.awaitDrained(Duration.ofSeconds(30))).isTrue();
        assertThat(pipeline.lossProblem()).isNull();
        pipeline.close();
    }

    @Test
    void whatACleanStopCouldNotProcessInTimeWaitsOnDiskForTheNextStart() throws Exception {
        Gate stuck = new Gate();
        DiskBuffer disk = new DiskBuffer(dir, 64 << 20, 64 << 10, Durability.defaults());
        Pipeline pipeline = Pipeline.builder(metrics).capacity(100).batchSize(10).spillTo(disk)
                .drainTimeout(Duration.ofMillis(200)).add("gate", ctx -> stuck).build().start();
        for (int i = 0; i < 500; i++) {
            pipeline.offer(message(i));
        }
        Thread closer = new Thread(pipeline::close);
        closer.start();
        Thread.sleep(400); // the drain timeout passes while the stage holds the worker
        stuck.open.countDown();
        closer.join(30_000);

        Gate next = new Gate();
        next.open.countDown();
        Pipeline restarted = Pipeline.builder(new MetricRegistry()).capacity(100).batchSize(10)
                .spillTo(new DiskBuffer(dir, 64 << 20, 64 << 10, Durability.defaults())).add("gate", ctx -> next).build().start();
        assertThat(restarted.awaitDrained(Duration.ofSeconds(30))).isTrue();
        restarted.close();
        List<Long> all = new ArrayList<>();
        stuck.seen.forEach(m -> all.add(m.hep.timeSeconds));
        next.seen.forEach(m -> all.add(m.hep.timeSeconds));
        assertThat(all).as("nothing lost over the restart").containsAll(times(500));
        assertThat(next.seen).isNotEmpty();
    }

    @Test
    void batchesSpilledWhileTheWorkerReadsTheDiskAndFsyncsRunAllComeOutOnceInOrder() throws Exception {
        // the listener's path under overload: a small memory queue that fills and empties, small
        // segments rolled by the appender and by the reader catching up, an fsync every few ms racing both
        DiskBuffer disk = new DiskBuffer(dir, 256 << 20, 4 << 10, new Durability(Durability.Mode.INTERVAL,
                java.time.Duration.ofMillis(3)));
        List<CapturedMessage> seen = new CopyOnWriteArrayList<>();
        Pipeline pipeline = Pipeline.builder(metrics).capacity(20).batchSize(16).spillTo(disk)
                .add("slow", ctx -> new Stage() {
                    private int batches;

                    @Override
                    public void process(Batch batch) {
                        seen.addAll(batch.messages());
                        if (++batches % 50 == 0) {
                            Thread.onSpinWait();
                            try {
                                Thread.sleep(1); // slower than the sender now and then: spill, catch up, spill
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                    }
                }).build().start();
        int total = 30_000;
        List<CapturedMessage> batch = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            batch.add(message(i));
            if (batch.size() == 16 || i == total - 1) {
                assertThat(pipeline.offerAll(batch)).isEqualTo(batch.size());
                batch.clear();
            }
        }
        assertThat(pipeline.awaitDrained(Duration.ofSeconds(120))).isTrue();
        pipeline.close();
        assertThat(metrics.meter("pipeline.spill.written").getCount()).as("it did spill").isPositive();
        List<Long> times = new ArrayList<>();
        seen.forEach(m -> times.add(m.hep.timeSeconds));
        assertThat(times).containsExactlyElementsOf(times(total));
    }

    @Test
    void aBatchHandOffTakesTheSameSpillPathAndKeepsItsOrder() throws Exception {
        Gate gate = new Gate();
        DiskBuffer disk = new DiskBuffer(dir, 64 << 20, 64 << 10, Durability.defaults());
        Pipeline pipeline = Pipeline.builder(metrics).capacity(50).batchSize(16).spillTo(disk)
                .add("gate", ctx -> gate).build().start();
        List<CapturedMessage> batch = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            batch.add(message(i));
            if (batch.size() == 32) {
                assertThat(pipeline.offerAll(batch)).as("batch up to " + i + " kept whole").isEqualTo(32);
                batch.clear(); // the caller reuses its list
            }
        }
        assertThat(pipeline.offerAll(batch)).isEqualTo(batch.size());
        assertThat(metrics.meter("pipeline.spill.written").getCount()).as("memory holds 50; the rest spilled").isGreaterThan(1_900);
        gate.open.countDown();
        assertThat(pipeline.awaitDrained(Duration.ofSeconds(60))).isTrue();
        pipeline.close();
        List<Long> seen = new ArrayList<>();
        gate.seen.forEach(m -> seen.add(m.hep.timeSeconds));
        assertThat(seen).containsExactlyElementsOf(times(2_000));
    }

    @Test
    void withoutADiskBufferABatchKeepsWhatFitsFirstAndSaysHowMany() throws Exception {
        Gate gate = new Gate();
        Pipeline pipeline = Pipeline.builder(metrics).capacity(10).batchSize(4).add("gate", ctx -> gate).build().start();
        List<CapturedMessage> batch = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            batch.add(message(i));
        }
        int kept = pipeline.offerAll(batch);
        assertThat(kept).as("the queue (10) plus at most the batch the held worker took").isBetween(10, 14);
        gate.open.countDown();
        assertThat(pipeline.awaitDrained(Duration.ofSeconds(30))).isTrue();
        pipeline.close();
        List<Long> seen = new ArrayList<>();
        gate.seen.forEach(m -> seen.add(m.hep.timeSeconds));
        assertThat(seen).as("the first ones, in order").containsExactlyElementsOf(times(kept));
        assertThat(pipeline.offerAll(batch)).as("a closed pipeline takes nothing").isZero();
    }

    private static List<Long> times(int n) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(1_700_000_000L + i);
        }
        return out;
    }
}
