package io.hepstack.collector.it;

import io.hepstack.collector.security.UserDirectory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The users file of the end-to-end tests: one admin API token, so tests that are not about
 * security reach the API the way automation does ({@code Authorization: Bearer}). Written once per
 * test JVM under target/.
 */
public final class TestUsers {

    /** The tests' admin token (only its SHA-256 is in the file, as in production). */
    public static final String ADMIN_TOKEN = "it-admin-0123456789abcdef0123456789abcdef";

    /** Where collector-test.yml's {@code security.usersFile} points (relative to the module being tested). */
    static final String PATH = "target/it-security/it-users.yml";

    private static Path file;

    /** chmod 600, as the collector expects of a users file. */
    public static void ownerOnly(Path f) throws IOException {
        Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }

    private TestUsers() {
    }

    public static synchronized Path file() {
        if (file == null) {
            try {
                Path f = Path.of(PATH);
                Files.createDirectories(f.getParent());
                Files.writeString(f, "tokens:\n  - {name: it-admin, role: admin, sha256: \""
                        + UserDirectory.tokenHash(ADMIN_TOKEN) + "\"}\n");
                ownerOnly(f);
                file = f.toAbsolutePath();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return file;
    }
}
