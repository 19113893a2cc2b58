package io.hepstack.collector.correlate;

import java.util.Iterator;
import java.util.NoSuchElementException;

/** Values held by position ({@link SmallSet}, {@link MessageIdList}): iteration from {@link #size} and {@link #get}. */
interface IndexedValues<T> extends Iterable<T> {

    int size();

    T get(int i);

    default boolean isEmpty() {
        return size() == 0;
    }

    @Override
    default Iterator<T> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < size();
            }

            @Override
            public T next() {
                if (next >= size()) {
                    throw new NoSuchElementException();
                }
                return get(next++);
            }
        };
    }
}
