package io.hepstack.collector.pipeline;

/**
 * Default caps of the state that senders can grow (live calls, transactions, fraud users, queued
 * bytes), derived from the JVM's maximum heap, so the defaults fit whatever {@code -Xmx} the
 * collector runs with ({@code -Xmx512m} included) instead of assuming a large machine. Each cap is
 * the number of entries of a measured worst-case size that fit in a share of the heap; the shares
 * and sizes are listed in docs/limits.md, and bench/SoakBench checks them.
 */
public final class HeapBudget {

    private HeapBudget() {
    }

    /** The heap the caps are derived from: {@code -Xmx} (or the JVM's default). */
    public static long maxHeap() {
        return Runtime.getRuntime().maxMemory();
    }

    /**
     * How many entries of {@code bytesEach} fit in {@code share} of the heap, within {@code min}
     * (always allowed, even on a tiny heap) and {@code max} (enough for any deployment).
     */
    public static int entries(double share, long bytesEach, int min, int max) {
        return entries(maxHeap(), share, bytesEach, min, max);
    }

    static int entries(long heap, double share, long bytesEach, int min, int max) {
        if (share <= 0 || share > 1 || bytesEach <= 0 || min > max) {
            throw new IllegalArgumentException("bad budget: share " + share + ", " + bytesEach + " bytes, " + min + ".." + max);
        }
        long n = (long) (heap * share) / bytesEach;
        return (int) Math.max(min, Math.min(max, n));
    }

    /** {@code share} of the heap in bytes. */
    public static long bytes(double share) {
        return (long) (maxHeap() * share);
    }
}
