package io.hepstack.collector.fraud;

/**
 * Amounts (event counts, money in micro-units) of the last {@code window} seconds, as a ring of
 * buckets with a running total: O(1) amortised per add. Windows up to 120 s use one bucket per second
 * and are exact (an amount at second t counts up to second t + window - 1); longer windows use at
 * most 120 buckets of ceil(window/120) seconds, so their edge is that coarse. An amount older than the
 * window (a late event) is not counted.
 */
final class SlidingSum {

    private final long windowSeconds;
    private final int bucketSeconds;
    private final long[] buckets;
    private long head = Long.MIN_VALUE;
    private long total;

    SlidingSum(long windowSeconds) {
        if (windowSeconds < 1) {
            throw new IllegalArgumentException("window must be >= 1 s: " + windowSeconds);
        }
        this.windowSeconds = windowSeconds;
        this.bucketSeconds = (int) ((windowSeconds + 119) / 120);
        this.buckets = new long[(int) ((windowSeconds + bucketSeconds - 1) / bucketSeconds)];
    }

    long windowSeconds() {
        return windowSeconds;
    }

    long add(long second, long amount) {
        long b = Math.floorDiv(second, bucketSeconds);
        advance(b);
        if (b > head - buckets.length) {
            buckets[(int) Math.floorMod(b, (long) buckets.length)] += amount;
            total += amount;
        }
        return total;
    }

    long sum(long second) {
        advance(Math.floorDiv(second, bucketSeconds));
        return total;
    }

    long total() {
        return total;
    }

    /** The newest bucket's number (for a checkpoint); {@link Long#MIN_VALUE} before the first amount. */
    long head() {
        return head;
    }

    /** A copy of the buckets, in ring order (for a checkpoint). */
    long[] buckets() {
        return buckets.clone();
    }

    /**
     * The window a checkpoint saved ({@link #head()}, {@link #buckets()}): the same amounts, dropping
     * out as the clock moves on exactly as they would have without the restart.
     *
     * @throws IllegalArgumentException when the buckets do not fit the window (a damaged checkpoint)
     */
    static SlidingSum restore(long windowSeconds, long head, long[] buckets) {
        SlidingSum s = new SlidingSum(windowSeconds);
        if (buckets == null || buckets.length != s.buckets.length) {
            throw new IllegalArgumentException("a " + windowSeconds + " s window has " + s.buckets.length
                    + " buckets, not " + (buckets == null ? "none" : buckets.length));
        }
        System.arraycopy(buckets, 0, s.buckets, 0, buckets.length);
        s.head = head;
        for (long b : buckets) {
            s.total += b;
        }
        return s;
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
