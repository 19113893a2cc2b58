package io.hepstack.collector.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordBatchTest {

    @TempDir
    Path dir;

    /** Records of varied sizes, some larger than a segment, all different. */
    private static List<byte[]> records(int n, long seed) {
        Random r = new Random(seed);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] b = new byte[1 + r.nextInt(i % 17 == 0 ? 3000 : 400)];
            r.nextBytes(b);
            out.add(b);
        }
        return out;
    }

    private static RecordBatch batchOf(List<byte[]> records) {
        RecordBatch b = new RecordBatch();
        for (byte[] r : records) {
            b.begin().writeBytes(r);
            b.end();
        }
        return b;
    }

    private static List<byte[]> segments(Path dir) throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".seg")).sorted().toList()) {
                out.add(Files.readAllBytes(p));
            }
        }
        return out;
    }

    @Test
    void aBatchWritesTheSameSegmentsAndPositionsAsOneArrayPerRecord() throws IOException {
        Path viaList = Files.createDirectory(dir.resolve("list"));
        Path viaBatch = Files.createDirectory(dir.resolve("batch"));
        RecordBatch batch = new RecordBatch();
        try (DiskBuffer a = new DiskBuffer(viaList, 1 << 20, 2000, Durability.defaults(), true);
             DiskBuffer b = new DiskBuffer(viaBatch, 1 << 20, 2000, Durability.defaults(), true)) {
            for (int round = 0; round < 20; round++) {
                List<byte[]> records = records(1 + round * 3, round);
                batch.clear();
                for (byte[] r : records) {
                    batch.begin().writeBytes(r);
                    batch.end();
                }
                long[] listPositions = new long[records.size()];
                long[] batchPositions = new long[records.size()];
                assertThat(a.appendAll(records, listPositions)).isEqualTo(records.size());
                assertThat(b.appendAll(batch, batchPositions)).isEqualTo(records.size());
                assertThat(batchPositions).containsExactly(listPositions);
            }
            assertThat(b.bytes()).isEqualTo(a.bytes());
        }
        List<byte[]> expected = segments(viaList);
        List<byte[]> actual = segments(viaBatch);
        assertThat(expected).hasSizeGreaterThan(5); // the batches crossed segments
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i)).as("segment %d", i).isEqualTo(expected.get(i));
        }
    }

    @Test
    void aFullBudgetTakesTheBatchUpToTheFirstRecordThatDoesNotFitAndTheRecordsReadBack() throws IOException {
        List<byte[]> records = records(40, 7);
        try (DiskBuffer b = new DiskBuffer(dir, 5000, 1000, Durability.defaults())) {
            int taken = b.appendAll(batchOf(records), null);
            assertThat(taken).isPositive().isLessThan(records.size());
            assertThat(b.problem()).contains("budget");
            List<byte[]> read = new ArrayList<>();
            for (List<byte[]> polled; !(polled = b.poll(100)).isEmpty(); ) {
                read.addAll(polled);
            }
            assertThat(read).hasSize(taken);
            for (int i = 0; i < taken; i++) {
                assertThat(read.get(i)).isEqualTo(records.get(i));
            }
        }
    }

    @Test
    void anAbortedRecordLeavesNoTraceAndAnUnendedOneIsNotWritten() throws IOException {
        RecordBatch batch = new RecordBatch();
        batch.begin().writeBytes("first".getBytes(StandardCharsets.US_ASCII));
        batch.end();
        batch.begin().writeBytes("half-encoded".getBytes(StandardCharsets.US_ASCII));
        batch.abort();
        batch.begin().writeBytes("second".getBytes(StandardCharsets.US_ASCII));
        batch.end();
        batch.begin().writeBytes("still open".getBytes(StandardCharsets.US_ASCII));
        assertThat(batch.size()).isEqualTo(2);
        assertThatThrownBy(batch::begin).isInstanceOf(IllegalStateException.class);
        try (DiskBuffer b = new DiskBuffer(dir, 1 << 20, 1 << 20, Durability.defaults())) {
            assertThat(b.appendAll(batch, null)).isEqualTo(2);
            List<byte[]> read = b.poll(10);
            assertThat(read).extracting(r -> new String(r, StandardCharsets.US_ASCII)).containsExactly("first", "second");
        }
        batch.clear();
        assertThat(batch.size()).isZero();
        assertThatThrownBy(batch::end).isInstanceOf(IllegalStateException.class);
    }
}
