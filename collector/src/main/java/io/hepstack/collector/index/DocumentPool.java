package io.hepstack.collector.index;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Arrays for the documents the bulk indexer holds until Elasticsearch has them, used again once they
 * are stored, spooled or dead-lettered. A document waits a second or two (the flush interval, then
 * its request): long enough for a new array per document to be copied by young collections and
 * promoted, then left for the concurrent mark (at 9,000 messages/s, a fifth of the pipeline worker's
 * allocation). Pooled arrays live as long as the indexer and are only written, never copied by the
 * collector.
 *
 * <p>Sizes go up in steps of {@value #STEP} bytes up to {@value #MAX_POOLED}; larger documents get an
 * array of their own. The arrays kept idle add up to at most {@code budget} bytes; beyond that a
 * returned array is left to the garbage collector. Thread-safe: the pipeline worker takes, the bulk
 * sender threads give back.
 */
final class DocumentPool {

    static final int STEP = 256;
    static final int MAX_POOLED = 16 * 1024;

    private final long budget;
    private final AtomicLong idle = new AtomicLong();
    @SuppressWarnings("unchecked")
    private final ArrayBlockingQueue<byte[]>[] classes = new ArrayBlockingQueue[MAX_POOLED / STEP];

    DocumentPool(long budget) {
        this.budget = budget;
        for (int i = 0; i < classes.length; i++) {
            classes[i] = new ArrayBlockingQueue<>((int) Math.max(16, Math.min(65_536, budget / ((i + 1L) * STEP))));
        }
    }

    /** An array of at least {@code length} bytes: pooled when it is at most {@value #MAX_POOLED}. */
    byte[] take(int length) {
        if (length > MAX_POOLED || length == 0) {
            return new byte[length];
        }
        int c = (length - 1) / STEP;
        byte[] b = classes[c].poll();
        if (b == null) {
            return new byte[(c + 1) * STEP];
        }
        idle.addAndGet(-b.length);
        return b;
    }

    /** Gives back an array {@link #take} made, once nothing refers to it any more. */
    void give(byte[] b) {
        if (b.length == 0 || b.length > MAX_POOLED || b.length % STEP != 0) {
            return;
        }
        if (idle.get() + b.length > budget) {
            return;
        }
        if (classes[b.length / STEP - 1].offer(b)) {
            idle.addAndGet(b.length);
        }
    }

    /** Bytes of the arrays kept idle now (tests). */
    long idleBytes() {
        return idle.get();
    }
}
