package io.hepstack.collector.index;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DiskSpoolTest {

    @TempDir
    Path dir;

    private static List<IndexRequest> batch(int from, int n) {
        List<IndexRequest> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            out.add(IndexRequest.upsert("hep-tdr-2005.05.05", "id-" + i, ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8), i));
        }
        return out;
    }

    @Test
    void aSegmentReadsBackEveryFieldOfItsDocuments() throws Exception {
        DiskSpool spool = new DiskSpool(dir, 1 << 20);
        assertThat(spool.append(batch(0, 5))).isTrue();
        DiskSpool.Segment s = spool.read(spool.segments().get(0));
        assertThat(s.damage()).isNull();
        assertThat(s.documents()).hasSize(5);
        IndexRequest r = s.documents().get(4);
        assertThat(r.index()).isEqualTo("hep-tdr-2005.05.05");
        assertThat(r.id()).isEqualTo("id-4");
        assertThat(r.create()).isFalse();
        assertThat(r.externalVersion()).isEqualTo(4);
        assertThat(new String(r.source(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":4}");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    }

    @Test
    void aTemporaryFileLeftByACrashIsNeverASegmentAndIsRemovedAtStart() throws Exception {
        Files.write(dir.resolve("0000000000000000001-000001.tmp"), new byte[] {1, 2, 3});
        DiskSpool spool = new DiskSpool(dir, 1 << 20);
        assertThat(spool.segments()).isEmpty();
        assertThat(dir.resolve("0000000000000000001-000001.tmp")).doesNotExist();
    }

    @Test
    void aTornSegmentGivesItsIntactDocumentsAndSaysWhatIsWrong() throws Exception {
        Path segment;
        DiskSpool before = new DiskSpool(dir, 1 << 20);
        before.append(batch(0, 10));
        segment = before.segments().get(0);
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.setLength(f.length() - 5); // the tail of the last document never reached the disk
        }
        DiskSpool spool = new DiskSpool(dir, 1 << 20); // the next start
        DiskSpool.Segment s = spool.read(segment);
        assertThat(s.documents()).hasSize(9);
        assertThat(s.damage()).startsWith("truncated record");
        Path aside = spool.quarantine(segment);
        assertThat(aside).exists().hasParent(dir.resolve("quarantine"));
        assertThat(spool.segments()).isEmpty();
        assertThat(spool.bytes()).isZero();
        assertThat(spool.quarantined()).isEqualTo(1);
    }

    @Test
    void aFullSpoolRefusesSaysWhyAndTakesBatchesAgainOnceThereIsRoom() throws Exception {
        DiskSpool spool = new DiskSpool(dir, 600);
        assertThat(spool.append(batch(0, 10))).isTrue();
        assertThat(spool.append(batch(10, 10))).isFalse();
        assertThat(spool.problem()).contains("budget of 600 bytes");
        spool.delete(spool.segments().get(0)); // replayed: room again
        assertThat(spool.append(batch(10, 10))).isTrue();
        assertThat(spool.problem()).isNull();
    }
}
