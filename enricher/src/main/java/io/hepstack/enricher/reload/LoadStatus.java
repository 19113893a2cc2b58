package io.hepstack.enricher.reload;

import java.nio.file.Path;
import java.time.Instant;

/**
 * What a {@link ReloadableFile} has loaded and whether its last attempt failed.
 *
 * @param version     number of successful loads so far (0: nothing loaded yet)
 * @param rows        entries in the active version ({@link Sized#size()}), or -1 when unknown
 * @param loadedAt    when the active version was loaded, or null
 * @param lastError   message of the last failed attempt since the active version, or null
 * @param errorLine   line of that failure (0 when not tied to a line)
 * @param failures    failed attempts in total
 */
public record LoadStatus(String name, Path file, long version, long rows, Instant loadedAt,
                         String lastError, int errorLine, Instant errorAt, long failures) {

    public boolean healthy() {
        return version > 0 && lastError == null;
    }
}
