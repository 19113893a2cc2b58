package io.hepstack.collector.pipeline;

import com.codahale.metrics.MetricRegistry;
import io.hepstack.collector.journal.DiskBuffer;
import io.hepstack.collector.journal.Durability;
import io.hepstack.collector.journal.SegmentReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Write-ahead: every accepted message is on disk before the worker takes it, and its segment is
 * deleted only when no stage holds a message of it and the sink has stored what was read from it;
 * so what a crash leaves is read again, first, at the next start.
 */
class WriteAheadTest {

    @TempDir
    Path dir;

    /** A sink's "stored" as the test says: everything accepted is stored once {@link #storing} is true. */
    private static final class Sink implements StoredMark {
        final AtomicBoolean storing = new AtomicBoolean();
        final AtomicLong marks = new AtomicLong();

        @Override
        public long mark() {
            return marks.incrementAndGet();
        }

        @Override
        public boolean reached(long mark) {
            return storing.get();
        }
    }

    /** Records what it is given. */
    private static final class Recorder implements Stage {
        final List<CapturedMessage> seen = new CopyOnWriteArrayList<>();

        @Override
        public void process(Batch batch) {
            seen.addAll(batch.messages());
        }
    }

    /** Holds every message until {@link #letGo} is set, as the reorder stage holds messages for its window. */
    private static final class Holder implements Stage {
        final List<CapturedMessage> held = new ArrayList<>();
        volatile boolean letGo;

        @Override
        public void process(Batch batch) {
            held.addAll(batch.messages());
            batch.messages().clear();
            if (letGo) {
                batch.messages().addAll(held);
                held.clear();
            }
        }

        @Override
        public void tick(long nowMicros, Batch batch) {
            process(batch);
        }

        @Override
        public long heldFrom() {
            return held.stream().mapToLong(m -> m.writeAheadSegment).min().orElse(CapturedMessage.NOT_JOURNALED);
        }
    }

    private Pipeline pipeline(Sink sink, Stage stage) throws IOException {
        DiskBuffer disk = new DiskBuffer(dir, 64 << 20, 4 << 10, Durability.defaults(), true);
        return Pipeline.builder(new MetricRegistry()).batchSize(16).tickEvery(Duration.ofMillis(20)).spillTo(disk).storedBy(sink)
                .add("stage", ctx -> stage).build().start();
    }

    private static List<Long> times(List<CapturedMessage> messages) {
        List<Long> out = new ArrayList<>();
        messages.forEach(m -> out.add(m.hep.timeSeconds - 1_700_000_000L));
        return out;
    }

    private static List<Long> range(int from, int to) {
        List<Long> out = new ArrayList<>();
        for (long i = from; i < to; i++) {
            out.add(i);
        }
        return out;
    }

    /** Messages in the segment files left in the folder. */
    private long recordsOnDisk() throws IOException {
        long n = 0;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".seg")).toList()) {
                try {
                    n += SegmentReader.read(p).records().size();
                } catch (java.nio.file.NoSuchFileException released) {
                    // deleted between the listing and the read
                }
            }
        }
        return n;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private static boolean unchecked(IoCheck c) {
        try {
            return c.get();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private interface IoCheck {
        boolean get() throws IOException;
    }

    @Test
    void whatIsReadStaysOnDiskUntilTheSinkHasStoredIt() throws Exception {
        Sink sink = new Sink();
        Recorder recorder = new Recorder();
        Pipeline pipeline = pipeline(sink, recorder);
        for (int i = 0; i < 500; i++) {
            assertThat(pipeline.offer(SpillToDiskTest.message(i))).isTrue();
        }
        await(() -> recorder.seen.size() == 500, "the worker takes every message");
        assertThat(times(recorder.seen)).isEqualTo(range(0, 500));
        assertThat(recorder.seen.get(0).writeAheadSegment).isZero();
        Thread.sleep(200); // ten ticks: nothing is stored, so nothing may go
        assertThat(recordsOnDisk()).as("read but not stored").isEqualTo(500);

        sink.storing.set(true);
        await(() -> unchecked(() -> recordsOnDisk() == 0), "stored: the segments are deleted");
        pipeline.close();
    }

    @Test
    void aMessageAStageHoldsKeepsItsSegment() throws Exception {
        Sink sink = new Sink();
        sink.storing.set(true);
        Holder holder = new Holder();
        Recorder after = new Recorder();
        DiskBuffer disk = new DiskBuffer(dir, 64 << 20, 4 << 10, Durability.defaults(), true);
        Pipeline pipeline = Pipeline.builder(new MetricRegistry()).batchSize(16).tickEvery(Duration.ofMillis(20))
                .spillTo(disk).storedBy(sink).add("hold", ctx -> holder).add("after", ctx -> after).build().start();
        for (int i = 0; i < 300; i++) {
            pipeline.offer(SpillToDiskTest.message(i));
        }
        await(() -> pipeline.queued() == 0 && disk.isEmpty(), "the worker takes every message");
        Thread.sleep(200);
        assertThat(recordsOnDisk()).as("held by a stage: not stored yet").isEqualTo(300);

        holder.letGo = true;
        await(() -> after.seen.size() == 300, "handed on");
        await(() -> unchecked(() -> recordsOnDisk() == 0), "handed on and stored: deleted");
        pipeline.close();
    }

    @Test
    void whatMemoryCannotHoldIsReadBackFromWhereMemoryStoppedOnceEachInOrder() throws Exception {
        Sink sink = new Sink();
        sink.storing.set(true);
        SpillToDiskTest.Gate gate = new SpillToDiskTest.Gate();
        MetricRegistry metrics = new MetricRegistry();
        DiskBuffer disk = new DiskBuffer(dir, 64 << 20, 4 << 10, Durability.defaults(), true);
        Pipeline pipeline = Pipeline.builder(metrics).capacity(20).batchSize(16).tickEvery(Duration.ofMillis(20))
                .spillTo(disk).storedBy(sink).add("gate", ctx -> gate).build().start();
        for (int round = 0; round < 2; round++) { // twice: memory, then disk, then memory again
            for (int i = round * 500; i < round * 500 + 500; i++) {
                assertThat(pipeline.offer(SpillToDiskTest.message(i))).isTrue();
            }
            gate.open.countDown();
            int expected = round * 500 + 500;
            await(() -> gate.seen.size() >= expected && pipeline.queued() == 0, "all taken");
        }
        assertThat(times(gate.seen)).as("each once, in order").isEqualTo(range(0, 1000));
        assertThat(metrics.meter("pipeline.journal.written").getCount()).isEqualTo(1000);
        assertThat(metrics.meter("pipeline.spill.written").getCount()).as("what the 20-message memory could not hold")
                .isBetween(450L, 980L); // the first round alone spills about 480; in the second the worker drains as they come
        assertThat(metrics.meter("pipeline.spill.read").getCount()).isEqualTo(metrics.meter("pipeline.spill.written").getCount());
        await(() -> unchecked(() -> recordsOnDisk() == 0), "stored: deleted");
        pipeline.close();
    }

    @Test
    void whenTheDiskRefusesMemoryStillTakesWhatItCanCountedAsNotJournaled() throws Exception {
        Sink sink = new Sink();
        sink.storing.set(true);
        SpillToDiskTest.Gate gate = new SpillToDiskTest.Gate();
        MetricRegistry metrics = new MetricRegistry();
        DiskBuffer disk = new DiskBuffer(dir, 2_000, 1_000, Durability.defaults(), true); // a full disk after a few
        Pipeline pipeline = Pipeline.builder(metrics).capacity(100).batchSize(16).spillTo(disk).storedBy(sink)
                .add("gate", ctx -> gate).build().start();
        int kept = 0;
        for (int i = 0; i < 150; i++) {
            kept += pipeline.offer(SpillToDiskTest.message(i)) ? 1 : 0;
        }
        long journaled = metrics.meter("pipeline.journal.written").getCount();
        assertThat(journaled).as("the disk budget holds a few").isBetween(1L, 40L);
        assertThat(metrics.meter("pipeline.journal.skipped").getCount()).as("memory took the others while it had room")
                .isPositive();
        assertThat(kept).as("the worker took one batch; memory holds 100").isBetween(100, 117);
        assertThat(metrics.meter("pipeline.lost.disk_full").getCount()).isEqualTo(150 - kept);
        assertThat(pipeline.lossProblem()).as("losing: the health check says so").contains("budget");
        gate.open.countDown();
        int taken = kept;
        await(() -> gate.seen.size() == taken, "what was kept is processed");
        assertThat(times(gate.seen)).as("in order").isSorted();
        assertThat(pipeline.offer(SpillToDiskTest.message(1_000))).isTrue();
        assertThat(pipeline.lossProblem()).as("memory takes it: nothing lost now").isNull();
        pipeline.close();
    }

    @Test
    void whatACrashLeftIsReadAgainBeforeAnythingNew() throws Exception {
        Sink neverStores = new Sink();
        Recorder first = new Recorder();
        Pipeline crashed = pipeline(neverStores, first); // never closed: as after kill -9
        for (int i = 0; i < 300; i++) {
            crashed.offer(SpillToDiskTest.message(i));
        }
        await(() -> first.seen.size() == 300, "the first run took them all");

        Sink sink = new Sink();
        sink.storing.set(true);
        Recorder second = new Recorder();
        Pipeline restarted = pipeline(sink, second);
        for (int i = 300; i < 400; i++) {
            restarted.offer(SpillToDiskTest.message(i));
        }
        await(() -> second.seen.size() == 400, "the restart takes the first run's messages and its own");
        assertThat(times(second.seen)).as("what the crash left first, in order, then the new ones").isEqualTo(range(0, 400));
        await(() -> unchecked(() -> recordsOnDisk() == 0), "all stored: nothing left");
        restarted.close();
    }

    @Test
    void aCleanStopDeletesWhatItStoredAndLeavesNothingToReplay() throws Exception {
        Sink sink = new Sink();
        sink.storing.set(true);
        Recorder recorder = new Recorder();
        Pipeline pipeline = pipeline(sink, recorder);
        for (int i = 0; i < 200; i++) {
            pipeline.offer(SpillToDiskTest.message(i));
        }
        pipeline.close();
        assertThat(recorder.seen).hasSize(200);
        assertThat(recordsOnDisk()).isZero();
    }

    @Test
    void aWriteAheadBufferWithoutASinkThatSaysWhatIsStoredIsRefused() throws Exception {
        DiskBuffer disk = new DiskBuffer(dir, 64 << 20, 4 << 10, Durability.defaults(), true);
        assertThatThrownBy(() -> Pipeline.builder(new MetricRegistry()).spillTo(disk).add("s", ctx -> new Recorder()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("storedBy");
    }
}
