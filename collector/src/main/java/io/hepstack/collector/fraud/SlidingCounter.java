package io.hepstack.collector.fraud;

/** Events in the last {@code window} seconds: a {@link SlidingSum} of ones. */
final class SlidingCounter {

    private final SlidingSum sum;

    SlidingCounter(long windowSeconds) {
        this(new SlidingSum(windowSeconds));
    }

    /** A counter over {@code sum} (e.g. one restored from a checkpoint). */
    SlidingCounter(SlidingSum sum) {
        this.sum = sum;
    }

    /** The window of ones underneath (for a checkpoint). */
    SlidingSum sum() {
        return sum;
    }

    long windowSeconds() {
        return sum.windowSeconds();
    }

    /** Adds one event at {@code second}; returns the count in the window ending there. */
    long add(long second) {
        return sum.add(second, 1);
    }

    long count(long second) {
        return sum.sum(second);
    }

    /** Count without moving the window (for read-only snapshots taken at an older time). */
    long total() {
        return sum.total();
    }
}
