package io.hepstack.collector.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Folders for captured traffic (spool, spill buffer, Elasticsearch data): created readable by the
 * collector's user only (0700), since SIP carries phone numbers and credentials hashes. A folder
 * that already exists is tightened to 0700 as well.
 */
public final class OwnerOnly {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private OwnerOnly() {
    }

    public static Path directories(Path dir) throws IOException {
        Files.createDirectories(dir);
        if (POSIX) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
        return dir;
    }

    /**
     * Creates {@code file} (it must not exist) for writing, readable by the collector's user only
     * (0600 where the file system has POSIX permissions).
     */
    public static FileChannel newFile(Path file) throws IOException {
        java.util.Set<StandardOpenOption> options = java.util.Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
        return POSIX ? FileChannel.open(file, options, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : FileChannel.open(file, options);
    }

    /** Makes a rename or a delete in {@code dir} durable (fsync of the folder); a no-op where that is unsupported. */
    public static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not every file system lets a folder be opened; the rename itself was atomic
        }
    }
}
