package io.hepstack.enricher.reload;

import java.nio.file.Path;

/** A data file could not be loaded; names the file and, when known, the 1-based line. */
public class LoadException extends Exception {

    private final Path file;
    private final int line;
    private final String reason;

    public LoadException(Path file, int line, String reason) {
        this(file, line, reason, null);
    }

    public LoadException(Path file, int line, String reason, Throwable cause) {
        super(file + (line > 0 ? ":" + line : "") + ": " + reason, cause);
        this.file = file;
        this.line = line;
        this.reason = reason;
    }

    public Path file() {
        return file;
    }

    /** 1-based line number, or 0 when the problem is not tied to one line. */
    public int line() {
        return line;
    }

    public String reason() {
        return reason;
    }
}
