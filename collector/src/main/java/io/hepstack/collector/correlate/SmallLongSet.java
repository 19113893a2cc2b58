package io.hepstack.collector.correlate;

import java.util.Arrays;

/**
 * A set of longs in one sorted array, at most {@code capacity} of them (a record's capture ids,
 * its retransmission keys): 8 bytes a value where a {@code HashSet<Long>} spends about 56, and
 * iteration in ascending order. Binary search; inserting shifts, which is cheap at these sizes.
 * Not thread-safe (the correlator's worker owns it).
 */
final class SmallLongSet {

    private static final long[] EMPTY = new long[0];

    private final int capacity;
    private long[] values = EMPTY;
    private int size;

    SmallLongSet(int capacity) {
        this.capacity = capacity;
    }

    /** Adds a value not present yet while there is room; returns whether it was added. */
    boolean add(long value) {
        int at = Arrays.binarySearch(values, 0, size, value);
        if (at >= 0 || size == capacity) {
            return false;
        }
        int insert = -at - 1;
        if (size == values.length) {
            values = Arrays.copyOf(values, Math.min(capacity, Math.max(4, size * 2)));
        }
        System.arraycopy(values, insert, values, insert + 1, size - insert);
        values[insert] = value;
        size++;
        return true;
    }

    boolean contains(long value) {
        return Arrays.binarySearch(values, 0, size, value) >= 0;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    boolean isFull() {
        return size == capacity;
    }

    /** The i-th smallest value. */
    long get(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i + " of " + size);
        }
        return values[i];
    }
}
