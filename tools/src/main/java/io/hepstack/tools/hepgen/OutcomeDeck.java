package io.hepstack.tools.hepgen;

import java.util.SplittableRandom;

/**
 * Deals outcomes so that the mix is exact, not just right on average: each block of outcomes
 * holds every outcome {@code round(block × weight / total)} times (largest remainder, ties to
 * the earlier outcome), shuffled with the seed. A known total of up to {@link #MAX_BLOCK} is one
 * block, so its counts are exact; an unlimited run is dealt in blocks of {@link #OPEN_BLOCK}.
 */
final class OutcomeDeck {

    static final int MAX_BLOCK = 1_000_000;
    static final int OPEN_BLOCK = 1_000;

    private final int[] weights;
    private final long total;
    private final long seed;
    private byte[] block;
    private int pos;
    private long dealt;
    private long blockNo;

    /**
     * @param weights per outcome ordinal, at least one above 0
     * @param total   number of outcomes that will be dealt, or -1 for no limit
     */
    OutcomeDeck(int[] weights, long total, long seed) {
        long sum = 0;
        for (int w : weights) {
            if (w < 0) {
                throw new IllegalArgumentException("weights must be >= 0: " + w);
            }
            sum += w;
        }
        if (sum == 0 || weights.length > 127) {
            throw new IllegalArgumentException("weights must have 1..127 entries and a positive sum");
        }
        this.weights = weights.clone();
        this.total = total;
        this.seed = seed;
    }

    /** The next outcome's ordinal. */
    int next() {
        if (block == null || pos == block.length) {
            long left = total < 0 ? OPEN_BLOCK : total - dealt;
            if (left <= 0) {
                throw new IllegalStateException("all " + total + " outcomes were dealt");
            }
            block = deal((int) Math.min(left, total < 0 ? OPEN_BLOCK : MAX_BLOCK),
                    new SplittableRandom(HepTrafficModel.mix(seed, 0x0dec, blockNo++)));
            pos = 0;
        }
        dealt++;
        return block[pos++];
    }

    /** Exact counts per ordinal for {@code n} outcomes (largest remainder). */
    static long[] apportion(int[] weights, long n) {
        long sum = 0;
        for (int w : weights) {
            sum += w;
        }
        long[] counts = new long[weights.length];
        long[] rem = new long[weights.length];
        long given = 0;
        for (int i = 0; i < weights.length; i++) {
            // n ≤ 1e6 per block and weights are ints: no overflow
            counts[i] = n * weights[i] / sum;
            rem[i] = n * weights[i] % sum;
            given += counts[i];
        }
        for (long left = n - given; left > 0; left--) {
            int best = -1;
            for (int i = 0; i < weights.length; i++) {
                if (weights[i] > 0 && (best < 0 || rem[i] > rem[best])) {
                    best = i;
                }
            }
            counts[best]++;
            rem[best] = -1;
        }
        return counts;
    }

    private byte[] deal(int n, SplittableRandom rng) {
        long[] counts = apportion(weights, n);
        byte[] out = new byte[n];
        int p = 0;
        for (int i = 0; i < counts.length; i++) {
            for (long k = 0; k < counts[i]; k++) {
                out[p++] = (byte) i;
            }
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            byte t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
        return out;
    }
}
