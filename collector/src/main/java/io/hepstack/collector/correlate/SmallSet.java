package io.hepstack.collector.correlate;

import java.util.Arrays;
import java.util.Objects;

/**
 * A set of a few values (a record's nodes, methods, Via branches, linked calls: usually one or
 * two, at most {@code capacity}) in one array, searched linearly. A live call holds about ten of
 * these; as {@code LinkedHashSet}s they were a fifth of its heap.
 *
 * <p>Values added with {@link #add(Comparable, long)} are kept in the order of the capture time they
 * were first seen at (ties by value), whatever order they arrive in: what a TDR lists must not
 * depend on the order its messages reached the collector (docs/tdr.md, "Arrival order"). When full,
 * a value seen earlier than the last one takes its place. {@link #add(Object)} appends.
 * Not thread-safe (the correlator's worker owns it).
 */
final class SmallSet<T> implements IndexedValues<T> {

    private final int capacity;
    private Object[] values;
    private long[] times;
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

    /**
     * Adds a value first seen at capture time {@code micros}, or moves it earlier when it was seen
     * later before; keeps the values ordered by (time, value). Returns whether it was added.
     */
    @SuppressWarnings("unchecked")
    boolean add(T value, long micros) {
        Objects.requireNonNull(value, "value");
        if (times == null) {
            times = new long[values == null ? 2 : values.length];
        }
        int at = indexOf(value);
        if (at >= 0) {
            if (micros >= times[at]) {
                return false;
            }
            remove(at);
        } else if (size == capacity) {
            if (!before(value, micros, size - 1)) {
                return false;
            }
            remove(size - 1);
        }
        if (values == null) {
            values = new Object[2];
            times = new long[2];
        } else if (size == values.length) {
            values = Arrays.copyOf(values, Math.min(capacity, size * 2));
            times = Arrays.copyOf(times, values.length);
        }
        int i = size;
        while (i > 0 && before(value, micros, i - 1)) {
            values[i] = values[i - 1];
            times[i] = times[i - 1];
            i--;
        }
        values[i] = value;
        times[i] = micros;
        size++;
        return at < 0;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private boolean before(T value, long micros, int i) {
        return micros < times[i] || micros == times[i] && ((Comparable) value).compareTo(values[i]) < 0;
    }

    private void remove(int i) {
        System.arraycopy(values, i + 1, values, i, size - i - 1);
        System.arraycopy(times, i + 1, times, i, size - i - 1);
        values[--size] = null;
    }

    private int indexOf(Object value) {
        for (int i = 0; i < size; i++) {
            if (values[i].equals(value)) {
                return i;
            }
        }
        return -1;
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
