package io.hepstack.collector.fraud;

/**
 * Times of rare events in a sliding window, kept in a ring no longer than the highest threshold:
 * exact up to that many events, after which the count stays at the capacity (the alert's count keeps
 * growing). An event at t counts while {@code now - t < window}. O(1) amortised per add.
 */
final class EventWindow {

    private final long windowMicros;
    private final long[] ring;
    private int head; // index of the oldest
    private int size;
    private long newest = Long.MIN_VALUE;

    EventWindow(long windowSeconds, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
        }
        this.windowMicros = windowSeconds * 1_000_000L;
        this.ring = new long[capacity];
    }

    boolean fits(long windowSeconds, int capacity) {
        return windowMicros == windowSeconds * 1_000_000L && ring.length == capacity;
    }

    /** Records an event; returns how many are in the window now (at most the capacity). */
    int add(long micros) {
        long t = Math.max(micros, newest); // keep the ring ordered when events arrive a little late
        newest = t;
        expire(t);
        if (size == ring.length) {
            head = (head + 1) % ring.length;
            size--;
        }
        ring[(head + size) % ring.length] = t;
        size++;
        return size;
    }

    int count(long nowMicros) {
        expire(nowMicros);
        return size;
    }

    int size() {
        return size;
    }

    long windowSeconds() {
        return windowMicros / 1_000_000L;
    }

    int capacity() {
        return ring.length;
    }

    /** The latest event time added (for a checkpoint); {@link Long#MIN_VALUE} before the first. */
    long newest() {
        return newest;
    }

    /** The times in the window, oldest first (for a checkpoint). */
    long[] times() {
        long[] out = new long[size];
        for (int i = 0; i < size; i++) {
            out[i] = ring[(head + i) % ring.length];
        }
        return out;
    }

    /**
     * The window a checkpoint saved: the same events, dropping out as the clock moves on.
     *
     * @throws IllegalArgumentException when the times do not fit (more than the capacity, not in order)
     */
    static EventWindow restore(long windowSeconds, int capacity, long newest, long[] times) {
        EventWindow w = new EventWindow(windowSeconds, capacity);
        if (times == null || times.length > capacity) {
            throw new IllegalArgumentException("an event window of capacity " + capacity + " cannot hold "
                    + (times == null ? "no list" : times.length + " times"));
        }
        for (int i = 0; i < times.length; i++) {
            if ((i > 0 && times[i] < times[i - 1]) || times[i] > newest) {
                throw new IllegalArgumentException("event times out of order at " + i);
            }
            w.ring[i] = times[i];
        }
        w.size = times.length;
        w.newest = newest;
        return w;
    }

    private void expire(long now) {
        while (size > 0 && now - ring[head] >= windowMicros) {
            head = (head + 1) % ring.length;
            size--;
        }
    }
}
