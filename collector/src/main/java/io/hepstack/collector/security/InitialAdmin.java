package io.hepstack.collector.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * First start: when there is no users file, writes one with the account {@code admin} and a random
 * password, owner-read/write only (0600), and prints the password once in the log. The file holds
 * only the bcrypt hash; the password is never written anywhere else and never printed again.
 */
public final class InitialAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(InitialAdmin.class);
    /** The log line scripts/run.sh looks for. */
    public static final String LOG_MARKER = "initial admin password";

    private InitialAdmin() {
    }

    /** Creates {@code file} with an admin account unless it exists; returns true when it created it. */
    public static boolean ensure(Path file, Passwords passwords) throws IOException {
        return ensure(file, passwords, password -> LOG.warn("created {} with user 'admin'; {}: {} (shown only this once;"
                + " change it with 'java -jar collector.jar hash-password' and edit the file)", file, LOG_MARKER, password));
    }

    /** As {@link #ensure(Path, Passwords)}, telling {@code announce} the new password (once). */
    static boolean ensure(Path file, Passwords passwords, java.util.function.Consumer<String> announce) throws IOException {
        if (Files.exists(file)) {
            warnIfReadableByOthers(file);
            return false;
        }
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        String password = Passwords.randomSecret(15); // 120 bits, 20 characters
        String text = """
                # hepstack users (docs/security.md). Hot-reloaded: edits apply within seconds; a broken file
                # keeps the last good version and the error (with its line) is logged.
                # Passwords are bcrypt hashes: java -jar collector.jar hash-password
                # Roles: viewer (search, call view), analyst (+ exports, import, fraud counters), admin (+ reloads, audit).
                users:
                  admin:
                    password: "%s"
                    role: admin
                # tokens:   # API tokens for automation: java -jar collector.jar new-token NAME ROLE [DAYS]
                #   - {name: grafana, sha256: "<64 hex>", role: viewer, expires: "2027-01-01T00:00:00Z"}
                """.formatted(passwords.hash(password));
        try {
            if (Files.getFileStore(dir == null ? file.toAbsolutePath() : dir).supportsFileAttributeView("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(EnumSet.of(
                        PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
            } else {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException raced) {
            return false;
        }
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        announce.accept(password);
        return true;
    }

    private static void warnIfReadableByOthers(Path file) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            if (p.contains(PosixFilePermission.OTHERS_READ) || p.contains(PosixFilePermission.GROUP_READ)
                    || p.contains(PosixFilePermission.OTHERS_WRITE) || p.contains(PosixFilePermission.GROUP_WRITE)) {
                LOG.warn("{} is readable or writable by others ({}); chmod 600 it",
                        file, PosixFilePermissions.toString(p));
            }
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: nothing to check
        }
    }
}
