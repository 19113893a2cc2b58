package io.hepstack.collector.journal;

import java.time.Duration;

/**
 * When appended records are forced to the disk, i.e. how much a crash of the machine may cost:
 * {@code ALWAYS} after every record (slow, nothing at risk), {@code INTERVAL} at most
 * {@link #interval} after a record was appended (the default: at most that much data at risk),
 * {@code NEVER} whenever the operating system writes it back (a crash of the collector alone loses
 * nothing; a power loss may lose some seconds).
 */
public record Durability(Mode mode, Duration interval) {

    public enum Mode {
        ALWAYS, INTERVAL, NEVER
    }

    public Durability {
        if (mode == null) {
            throw new IllegalArgumentException("mode must not be null");
        }
        if (mode == Mode.INTERVAL && (interval == null || interval.isNegative() || interval.isZero())) {
            throw new IllegalArgumentException("an fsync interval must be positive: " + interval);
        }
    }

    /** At most one second of appended data at risk. */
    public static Durability defaults() {
        return new Durability(Mode.INTERVAL, Duration.ofSeconds(1));
    }
}
