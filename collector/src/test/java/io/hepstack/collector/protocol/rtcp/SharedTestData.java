package io.hepstack.collector.protocol.rtcp;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the shared test data folder that holds the AGPL/GPL captures, which are never copied into
 * the repository: the system property {@code hepstack.testdata} (set by surefire), else
 * {@code /work/shared/testdata}. A missing folder fails the test; it is never skipped.
 */
public final class SharedTestData {

    private static final Path FALLBACK = Path.of("/work/shared/testdata");

    private SharedTestData() {
    }

    public static Path file(String relative) {
        String prop = System.getProperty("hepstack.testdata");
        Path dir = null;
        if (prop != null && Files.isDirectory(Path.of(prop))) {
            dir = Path.of(prop);
        } else if (Files.isDirectory(FALLBACK)) {
            dir = FALLBACK;
        } else {
            fail("shared test data not found: -Dhepstack.testdata=" + prop + " is not a folder and " + FALLBACK
                    + " is missing; the AGPL/GPL captures are not in the repository");
        }
        Path file = dir.resolve(relative);
        if (!Files.isRegularFile(file)) {
            fail("shared test data file missing: " + file);
        }
        return file;
    }
}
