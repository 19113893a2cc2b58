package io.hepstack.collector.correlate;

import java.util.Arrays;
import java.util.Objects;

/**
 * An insertion-ordered set of a few values (a record's nodes, methods, Via branches, linked
 * calls: usually one or two, at most {@code capacity}) in one array, searched linearly. A live
 * call holds about ten of these; as {@code LinkedHashSet}s they were a fifth of its heap.
 * Not thread-safe (the correlator's worker owns it).
 */
final class SmallSet<T> implements IndexedValues<T> {

    private final int capacity;
    private Object[] values;
    private int size;

    SmallSet(int capacity) {
        this.capacity = capacity;
    }

    /** Adds a value not present yet while there is room; returns whether it was added. */
    boolean add(T value) {
        Objects.requireNonNull(value, "value");
        if (contains(value) || size == capacity) {
            return false;
        }
        if (values == null) {
            values = new Object[2];
        } else if (size == values.length) {
            values = Arrays.copyOf(values, Math.min(capacity, size * 2));
        }
        values[size++] = value;
        return true;
    }

    boolean contains(Object value) {
        for (int i = 0; i < size; i++) {
            if (values[i].equals(value)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int size() {
        return size;
    }

    boolean isFull() {
        return size == capacity;
    }

    /** The first value added, or null when empty. */
    @SuppressWarnings("unchecked")
    T first() {
        return size == 0 ? null : (T) values[0];
    }

    @Override
    @SuppressWarnings("unchecked")
    public T get(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i + " of " + size);
        }
        return (T) values[i];
    }
}
