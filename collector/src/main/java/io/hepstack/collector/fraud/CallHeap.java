package io.hepstack.collector.fraud;

import java.util.Arrays;

/**
 * Live calls ordered by their next deadline (duration threshold or timeout). Indexed (each call
 * knows its slot), so a call that ends is removed in O(log n) and the heap never holds more than
 * the live calls.
 */
final class CallHeap {

    private LiveCall[] heap = new LiveCall[64];
    private int size;

    int size() {
        return size;
    }

    LiveCall peek() {
        return size == 0 ? null : heap[0];
    }

    /** Inserts, or re-positions a call already in the heap after its deadline changed. */
    void update(LiveCall c) {
        if (c.heapIndex < 0) {
            if (size == heap.length) {
                heap = Arrays.copyOf(heap, size * 2);
            }
            heap[size] = c;
            c.heapIndex = size++;
            up(c.heapIndex);
        } else {
            down(up(c.heapIndex));
        }
    }

    void remove(LiveCall c) {
        int i = c.heapIndex;
        if (i < 0) {
            return;
        }
        c.heapIndex = -1;
        size--;
        if (i == size) {
            heap[size] = null;
            return;
        }
        LiveCall last = heap[size];
        heap[size] = null;
        heap[i] = last;
        last.heapIndex = i;
        down(up(i));
    }

    private int up(int i) {
        LiveCall c = heap[i];
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (heap[p].deadlineMicros <= c.deadlineMicros) {
                break;
            }
            heap[i] = heap[p];
            heap[i].heapIndex = i;
            i = p;
        }
        heap[i] = c;
        c.heapIndex = i;
        return i;
    }

    private void down(int i) {
        LiveCall c = heap[i];
        while (true) {
            int l = 2 * i + 1;
            if (l >= size) {
                break;
            }
            int r = l + 1;
            int m = r < size && heap[r].deadlineMicros < heap[l].deadlineMicros ? r : l;
            if (heap[m].deadlineMicros >= c.deadlineMicros) {
                break;
            }
            heap[i] = heap[m];
            heap[i].heapIndex = i;
            i = m;
        }
        heap[i] = c;
        c.heapIndex = i;
    }
}
