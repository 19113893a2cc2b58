package io.hepstack.collector.fraud;

/**
 * Events in the last {@code window} seconds, as a ring of buckets with a running total: O(1)
 * amortised per add. Windows up to 120 s use one bucket per second and are exact (an event at second
 * t counts up to second t + window - 1); longer windows use at most 120 buckets of
 * ceil(window/120) seconds, so their edge is that coarse.
 */
final class SlidingCounter {

    private final long windowSeconds;
    private final int bucketSeconds;
    private final int[] buckets;
    private long head = Long.MIN_VALUE; // bucket number (second / bucketSeconds) of the newest bucket
    private long total;

    SlidingCounter(long windowSeconds) {
        if (windowSeconds < 1) {
            throw new IllegalArgumentException("window must be >= 1 s: " + windowSeconds);
        }
        this.windowSeconds = windowSeconds;
        this.bucketSeconds = (int) ((windowSeconds + 119) / 120);
        this.buckets = new int[(int) ((windowSeconds + bucketSeconds - 1) / bucketSeconds)];
    }

    long windowSeconds() {
        return windowSeconds;
    }

    /** Adds one event at {@code second}; returns the count in the window ending there. */
    long add(long second) {
        long b = Math.floorDiv(second, bucketSeconds);
        advance(b);
        if (b > head - buckets.length) { // else: older than the window (late event), not counted
            buckets[(int) Math.floorMod(b, (long) buckets.length)]++;
            total++;
        }
        return total;
    }

    long count(long second) {
        advance(Math.floorDiv(second, bucketSeconds));
        return total;
    }

    /** Count without moving the window (for read-only snapshots taken at an older time). */
    long total() {
        return total;
    }

    private void advance(long b) {
        if (b <= head) {
            return;
        }
        if (head == Long.MIN_VALUE || b - head >= buckets.length) {
            java.util.Arrays.fill(buckets, 0);
            total = 0;
        } else {
            for (long i = head + 1; i <= b; i++) {
                int k = (int) Math.floorMod(i, (long) buckets.length);
                total -= buckets[k];
                buckets[k] = 0;
            }
        }
        head = b;
    }
}
