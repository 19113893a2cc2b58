package io.hepstack.collector.journal;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads a segment file back, trusting only records whose checksum matches. Never throws on bad
 * content: what could not be read is described in {@link Contents#damage()}.
 */
public final class SegmentReader {

    private SegmentReader() {
    }

    /** What a segment held: the intact records in order, and what ended the reading early (or null). */
    public record Contents(List<byte[]> records, String damage) {
        public boolean intact() {
            return damage == null;
        }
    }

    /** Reads every record of {@code segment}; only an I/O failure of the file itself throws. */
    public static Contents read(Path segment) throws IOException {
        try (InputStream raw = Files.newInputStream(segment);
             DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
            return read(in, Files.size(segment));
        }
    }

    private static Contents read(DataInputStream in, long size) throws IOException {
        List<byte[]> records = new ArrayList<>();
        if (size < SegmentFormat.HEADER) {
            return new Contents(records, "truncated header (" + size + " bytes)");
        }
        int magic = in.readInt();
        if (magic != SegmentFormat.MAGIC) {
            return new Contents(records, "not a segment (magic 0x" + Integer.toHexString(magic) + ")");
        }
        long offset = SegmentFormat.HEADER;
        CRC32C crc = new CRC32C();
        while (offset < size) {
            if (size - offset < SegmentFormat.RECORD_HEADER) {
                return new Contents(records, "truncated record header at offset " + offset);
            }
            int length = in.readInt();
            int checksum = in.readInt();
            if (length < 0 || length > SegmentFormat.MAX_RECORD) {
                return new Contents(records, "bad record length " + length + " at offset " + offset);
            }
            if (size - offset - SegmentFormat.RECORD_HEADER < length) {
                return new Contents(records, "truncated record at offset " + offset + " (" + length + " bytes announced, "
                        + (size - offset - SegmentFormat.RECORD_HEADER) + " present)");
            }
            byte[] data = new byte[length];
            try {
                in.readFully(data);
            } catch (EOFException e) {
                return new Contents(records, "file shrank while reading at offset " + offset);
            }
            crc.reset();
            crc.update(data);
            if ((int) crc.getValue() != checksum) {
                return new Contents(records, "checksum mismatch in the record at offset " + offset);
            }
            records.add(data);
            offset += SegmentFormat.RECORD_HEADER + length;
        }
        return new Contents(records, null);
    }
}
