package io.hepstack.collector.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a crash or a bad disk can do to a segment file, and what reading it back then gives. */
class SegmentFilesTest {

    @TempDir
    Path dir;

    private Path write(String name, int records) throws IOException {
        Path p = dir.resolve(name);
        try (SegmentWriter w = SegmentWriter.create(p)) {
            for (int i = 0; i < records; i++) {
                w.append(record(i));
            }
        }
        return p;
    }

    private static byte[] record(int i) {
        return ("record-" + i + "-" + "x".repeat(i % 50)).getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> texts(SegmentReader.Contents c) {
        List<String> out = new ArrayList<>();
        c.records().forEach(r -> out.add(new String(r, StandardCharsets.UTF_8)));
        return out;
    }

    /** Byte offset where record i starts. */
    private static long offsetOf(int i) {
        long off = SegmentFormat.HEADER;
        for (int k = 0; k < i; k++) {
            off += SegmentFormat.RECORD_HEADER + record(k).length;
        }
        return off;
    }

    @Test
    void whatIsWrittenReadsBackInOrder() throws IOException {
        SegmentReader.Contents c = SegmentReader.read(write("a.seg", 100));
        assertThat(c.intact()).isTrue();
        assertThat(c.records()).hasSize(100);
        assertThat(texts(c).get(0)).isEqualTo("record-0-");
        assertThat(c.records().get(99)).isEqualTo(record(99));
    }

    @Test
    void aCrashBetweenWriteAndFsyncLeavesATruncatedTailAndTheRecordsBeforeItSurvive() throws IOException {
        Path p = write("crash.seg", 10);
        long cut = offsetOf(7) + SegmentFormat.RECORD_HEADER + 3; // record 7 half written
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(cut);
        }
        SegmentReader.Contents c = SegmentReader.read(p);
        assertThat(c.records()).hasSize(7);
        assertThat(c.damage()).startsWith("truncated record at offset " + offsetOf(7));
    }

    @Test
    void aTailCutInsideARecordHeaderIsReportedToo() throws IOException {
        Path p = write("crash2.seg", 3);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(offsetOf(2) + 5);
        }
        SegmentReader.Contents c = SegmentReader.read(p);
        assertThat(c.records()).hasSize(2);
        assertThat(c.damage()).startsWith("truncated record header");
    }

    @Test
    void aTornRecordIsCaughtByItsChecksum() throws IOException {
        Path p = write("torn.seg", 10);
        // a torn write: the second half of record 4 never reached the disk, old bytes (zeros) are there
        long start = offsetOf(4) + SegmentFormat.RECORD_HEADER;
        int len = record(4).length;
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.seek(start + len / 2);
            f.write(new byte[len - len / 2]);
        }
        SegmentReader.Contents c = SegmentReader.read(p);
        assertThat(c.records()).hasSize(4);
        assertThat(c.damage()).isEqualTo("checksum mismatch in the record at offset " + offsetOf(4));
    }

    @Test
    void aFlippedBitIsAChecksumMismatch() throws IOException {
        Path p = write("flip.seg", 5);
        long at = offsetOf(2) + SegmentFormat.RECORD_HEADER + 1;
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x01);
        }
        SegmentReader.Contents c = SegmentReader.read(p);
        assertThat(c.records()).hasSize(2);
        assertThat(c.damage()).startsWith("checksum mismatch");
    }

    @Test
    void aCorruptLengthNeitherThrowsNorAllocatesIt() throws IOException {
        Path p = write("len.seg", 5);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.seek(offsetOf(1));
            f.writeInt(Integer.MAX_VALUE);
        }
        SegmentReader.Contents c = SegmentReader.read(p);
        assertThat(c.records()).hasSize(1);
        assertThat(c.damage()).isEqualTo("bad record length " + Integer.MAX_VALUE + " at offset " + offsetOf(1));
    }

    @Test
    void aFileThatIsNotASegmentIsSaidToBeOne() throws IOException {
        Path p = dir.resolve("other.seg");
        Files.writeString(p, "hello world");
        assertThat(SegmentReader.read(p).damage()).startsWith("not a segment");
        Files.write(p, new byte[2]);
        assertThat(SegmentReader.read(p).damage()).startsWith("truncated header");
    }

    @Test
    void ownerOnlyFoldersAre0700() throws IOException {
        Path d = OwnerOnly.directories(dir.resolve("a/b"));
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(d))).isEqualTo("rwx------");
    }
}
