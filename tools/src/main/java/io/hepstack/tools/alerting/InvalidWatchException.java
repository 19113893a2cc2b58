package io.hepstack.tools.alerting;

/** A watch definition that cannot be used as it is: bad JSON, a missing part, an unknown placeholder. */
public final class InvalidWatchException extends IllegalArgumentException {

    private final String watch;

    public InvalidWatchException(String watch, String reason) {
        super("watch " + watch + ": " + reason);
        this.watch = watch;
    }

    public InvalidWatchException(String watch, String reason, Throwable cause) {
        super("watch " + watch + ": " + reason, cause);
        this.watch = watch;
    }

    /** The watch id or file the problem is in. */
    public String watch() {
        return watch;
    }
}
