package io.hepstack.collector.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class DiskBufferTest {

    @TempDir
    Path dir;

    private static byte[] record(int i) {
        return ByteBuffer.allocate(64).putInt(i).array();
    }

    private static List<Integer> drain(DiskBuffer b) throws IOException {
        List<Integer> out = new ArrayList<>();
        for (List<byte[]> batch; !(batch = b.poll(37)).isEmpty(); ) {
            batch.forEach(r -> out.add(ByteBuffer.wrap(r).getInt()));
        }
        return out;
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(i);
        }
        return out;
    }

    private long segmentFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".seg")).count();
        }
    }

    @Test
    void writeAheadKeepsReadSegmentsUntilReleasedAndACrashReadsThemAgain() throws Exception {
        int perSegment;
        try (DiskBuffer b = new DiskBuffer(dir, 1 << 20, 1000, Durability.defaults(), true)) {
            for (int i = 0; i < 130; i++) { // 14 records a segment: 10 segments
                assertThat(b.append(record(i))).isTrue();
            }
            assertThat(b.readFrom()).isZero();
            List<Integer> first = new ArrayList<>();
            b.poll(100).forEach(r -> first.add(ByteBuffer.wrap(r).getInt())); // one poll: one segment's records
            assertThat(b.polledFrom()).isZero();
            perSegment = first.size();
            assertThat(first).isEqualTo(range(0, perSegment));
            List<Integer> rest = drain(b);
            assertThat(rest).isEqualTo(range(perSegment, 130));
            assertThat(b.isEmpty()).isTrue();
            assertThat(segmentFiles()).as("read, not yet stored: kept").isEqualTo(10);
            assertThat(b.unreadBytes()).isZero();
            assertThat(b.readFrom()).isEqualTo(10);

            assertThat(b.release(4)).isEqualTo(4); // segments 0..3 are stored
            assertThat(segmentFiles()).isEqualTo(6);
        }
        // a crash now: what was read but not released is read again, in order, at the next start
        try (DiskBuffer again = new DiskBuffer(dir, 1 << 20, 1000, Durability.defaults(), true)) {
            assertThat(drain(again)).isEqualTo(range(4 * perSegment, 130));
            assertThat(again.release(Long.MAX_VALUE)).isEqualTo(6);
        }
        assertThat(segmentFiles()).isZero();
    }

    @Test
    void writeAheadWithTheReaderStoppedKeepsEverythingAndReadsFromWhereMemoryStopped() throws Exception {
        try (DiskBuffer b = new DiskBuffer(dir, 1 << 20, 1000, Durability.defaults(), true)) {
            b.stopReading(); // memory delivers
            long[] positions = new long[60];
            List<byte[]> records = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                records.add(record(i));
            }
            assertThat(b.appendAll(records, positions)).isEqualTo(60);
            assertThat(positions[0]).isZero();
            assertThat(positions[1]).isEqualTo(1);
            assertThat(b.isEmpty()).as("nothing for the reader").isTrue();
            assertThat(b.poll(100)).isEmpty();
            assertThat(segmentFiles()).as("all kept until stored").isEqualTo(5);

            b.startReadingAt(positions[20]); // memory was full from record 20 on
            for (int i = 60; i < 70; i++) {
                b.append(record(i));
            }
            assertThat(drain(b)).isEqualTo(range(20, 70));
            assertThat(b.release(Long.MAX_VALUE)).as("every segment, read or delivered from memory").isEqualTo(6);
        }
        assertThat(segmentFiles()).isZero();
    }

    @Test
    void recordsComeOutInOrderAcrossSegmentsAndReadSegmentsAreDeleted() throws IOException {
        try (DiskBuffer b = new DiskBuffer(dir, 1 << 20, 1000, Durability.defaults())) {
            for (int i = 0; i < 500; i++) {
                assertThat(b.append(record(i))).isTrue();
            }
            assertThat(segmentFiles()).isGreaterThan(10); // 1000-byte segments hold 13 records
            assertThat(b.isEmpty()).isFalse();
            List<Integer> first = new ArrayList<>();
            b.poll(100).forEach(r -> first.add(ByteBuffer.wrap(r).getInt()));
            for (int i = 500; i < 600; i++) { // appends while being read
                b.append(record(i));
            }
            List<Integer> all = new ArrayList<>(first);
            all.addAll(drain(b));
            assertThat(all).isEqualTo(range(0, 600));
            assertThat(b.isEmpty()).isTrue();
            assertThat(b.bytes()).isLessThan(1000);
        }
        assertThat(segmentFiles()).isZero();
    }

    @Test
    void whatWasOnDiskAtAStopIsReadFirstAtTheNextStart() throws IOException {
        try (DiskBuffer b = new DiskBuffer(dir, 1 << 20, 4096, new Durability(Durability.Mode.ALWAYS, null))) {
            for (int i = 0; i < 200; i++) {
                b.append(record(i));
            }
        }
        try (DiskBuffer b = new DiskBuffer(dir, 1 << 20, 4096, Durability.defaults())) {
            assertThat(b.recovered()).isPositive();
            assertThat(b.isEmpty()).isFalse();
            b.append(record(200));
            assertThat(drain(b)).isEqualTo(range(0, 201));
        }
    }

    @Test
    void aDamagedSegmentIsQuarantinedItsIntactRecordsProcessedAndReadingGoesOn() throws IOException {
        Path firstSegment;
        try (DiskBuffer b = new DiskBuffer(dir, 1 << 20, 1000, new Durability(Durability.Mode.NEVER, null))) {
            for (int i = 0; i < 30; i++) {
                b.append(record(i));
            }
        }
        try (Stream<Path> s = Files.list(dir)) {
            firstSegment = s.filter(p -> p.toString().endsWith(".seg")).sorted().findFirst().orElseThrow();
        }
        try (RandomAccessFile f = new RandomAccessFile(firstSegment.toFile(), "rw")) {
            f.seek(SegmentFormat.HEADER + 2L * (SegmentFormat.RECORD_HEADER + 64) + SegmentFormat.RECORD_HEADER + 10);
            f.write(0xff); // record 2 corrupted
        }
        try (DiskBuffer b = new DiskBuffer(dir, 1 << 20, 1000, Durability.defaults())) {
            List<Integer> got = drain(b);
            List<Integer> expected = new ArrayList<>(List.of(0, 1));
            expected.addAll(range(14, 30)); // the first segment held records 0..13 (4 + 14 × 72 bytes ≥ 1000)
            assertThat(got).isEqualTo(expected);
            assertThat(b.quarantined()).isEqualTo(1);
            assertThat(dir.resolve("quarantine").resolve(firstSegment.getFileName())).exists();
        }
    }

    @Test
    void aFullBudgetRefusesAndSaysWhyAndTakesRecordsAgainOnceThereIsRoom() throws IOException {
        try (DiskBuffer b = new DiskBuffer(dir, 2000, 500, Durability.defaults())) {
            int taken = 0;
            while (b.append(record(taken))) {
                taken++;
            }
            assertThat(taken).isBetween(20, 28);
            assertThat(b.problem()).contains("budget of 2000 bytes is used up");
            assertThat(b.poll(10)).hasSize(7); // one segment at a time: 500-byte segments hold 7 records
            assertThat(b.append(record(taken))).isFalse(); // read, but not deleted until the reader moves on
            b.poll(1); // the first segment is deleted once the reader moves past it
            assertThat(b.append(record(taken))).isTrue();
            assertThat(b.problem()).isNull();
        }
    }

    @Test
    void anIntervalFsyncRuns() throws Exception {
        try (DiskBuffer b = new DiskBuffer(dir, 1 << 20, 1 << 20, new Durability(Durability.Mode.INTERVAL, Duration.ofMillis(20)))) {
            b.append(record(1));
            Thread.sleep(100);
            b.append(record(2));
            assertThat(drain(b)).containsExactly(1, 2);
        }
    }

    @Test
    void segmentsRolledBetweenSyncsAreSyncedLaterAndOnesAlreadyReadNeedNone() throws Exception {
        // an interval far beyond the test: sync() is called by hand, as the fsync thread would
        try (DiskBuffer b = new DiskBuffer(dir, 1 << 20, 1000, new Durability(Durability.Mode.INTERVAL, Duration.ofHours(1)))) {
            for (int i = 0; i < 100; i++) { // several segments rolled without an fsync on the appending thread
                assertThat(b.append(record(i))).isTrue();
            }
            List<Integer> first = new ArrayList<>();
            b.poll(30).forEach(r -> first.add(ByteBuffer.wrap(r).getInt()));
            b.poll(30).forEach(r -> first.add(ByteBuffer.wrap(r).getInt())); // the first segments are deleted now
            b.sync(); // syncs the rolled segments still there and skips the deleted ones
            b.sync(); // nothing appended since: nothing to do
            for (int i = 100; i < 120; i++) {
                b.append(record(i));
            }
            b.sync();
            first.addAll(drain(b));
            assertThat(first).isEqualTo(range(0, 120));
        }
    }

    @Test
    void aStopWithSegmentsRolledSinceTheLastSyncKeepsThemForTheNextStart() throws IOException {
        try (DiskBuffer b = new DiskBuffer(dir, 1 << 20, 1000, new Durability(Durability.Mode.INTERVAL, Duration.ofHours(1)))) {
            for (int i = 0; i < 60; i++) {
                b.append(record(i));
            }
        }
        try (DiskBuffer again = new DiskBuffer(dir, 1 << 20, 1000, Durability.defaults())) {
            assertThat(drain(again)).isEqualTo(range(0, 60));
        }
    }
}
