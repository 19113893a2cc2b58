package io.hepstack.enricher.cache;

import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * A fixed-size, lock-free, direct-mapped cache: each key hashes to one slot and a new entry simply
 * replaces whatever was there. That is cruder than LRU, but a hit costs one array read and one
 * {@code equals}, no lock and no allocation, and memory is bounded by construction.
 *
 * <p>Entries carry the <em>generation</em> of the data they were computed from; the owner bumps its
 * generation when a source file reloads, and older entries stop matching (no sweep needed).
 * Entries are immutable, so a racy read sees either a complete old entry or a complete new one.
 * {@code null} values are cached too (e.g. "not a phone number").
 */
public final class BoundedCache<K, V> {

    private final Entry<K, V>[] slots;
    private final int mask;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    /** @param capacity number of slots, rounded up to a power of two; 0 disables caching */
    @SuppressWarnings("unchecked")
    public BoundedCache(int capacity) {
        if (capacity < 0 || capacity > (1 << 26)) {
            throw new IllegalArgumentException("cache capacity must be 0..67108864: " + capacity);
        }
        int size = capacity <= 1 ? capacity : Integer.highestOneBit(capacity - 1) << 1;
        this.slots = (Entry<K, V>[]) new Entry[size];
        this.mask = size - 1;
    }

    /** Returns the cached value for {@code key} at {@code generation}, computing and storing it on a miss. */
    public V computeIfAbsent(K key, long generation, Function<? super K, ? extends V> compute) {
        Objects.requireNonNull(key, "key");
        if (slots.length == 0) {
            misses.increment();
            return compute.apply(key);
        }
        int h = key.hashCode();
        int i = (h ^ (h >>> 16)) & mask;
        Entry<K, V> e = slots[i];
        if (e != null && e.generation == generation && e.key.equals(key)) {
            hits.increment();
            return e.value;
        }
        misses.increment();
        V v = compute.apply(key);
        slots[i] = new Entry<>(key, v, generation);
        return v;
    }

    public void clear() {
        java.util.Arrays.fill(slots, null);
    }

    public int capacity() {
        return slots.length;
    }

    public long hits() {
        return hits.sum();
    }

    public long misses() {
        return misses.sum();
    }

    private static final class Entry<K, V> {
        final K key;
        final V value;
        final long generation;

        Entry(K key, V value, long generation) {
            this.key = key;
            this.value = value;
            this.generation = generation;
        }
    }
}
