package io.hepstack.collector.reorder;

import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.PayloadProtocol;
import io.hepstack.collector.pipeline.SpilledMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * What the reorder window holds, in capture order, kept as bytes: each message is written as the disk
 * buffer writes it ({@link SpilledMessage}: HEP3, transport, sender), after what the stages before
 * the window set on it, into large reused byte chunks,
 * and its sort key and bookkeeping live in primitive arrays; a binary heap of slot numbers orders
 * them. On release the message is decoded again, a new object that dies young.
 *
 * <p>Why not a {@code PriorityQueue} of the messages themselves: the window holds two seconds of
 * traffic (tens of thousands of messages at 10,000/s), each a dozen objects that live long enough
 * to be copied by several young collections, promoted, and then reclaimed by the concurrent mark
 * and mixed collections. End to end at 9,000 messages/s in a 512 MB heap, that made the garbage
 * collector's threads cost about twice the pipeline worker (bench/README.md, "The reorder window and
 * the garbage collector"). Here the window's memory is a few chunks and arrays that live as long as
 * the stage: nothing of it is copied or marked per message. Encoding and decoding a message cost
 * about as much as decoding the datagram did.
 *
 * <p>A message that cannot be written this way (a record past {@link #MAX_RECORD}, an id that is not
 * short ASCII, a sender address without its bytes) is held as the object itself.
 * Not thread-safe: the pipeline worker owns it.
 */
final class HeldMessages {

    /** Bytes per chunk: under half a G1 region of a small heap (1 MB), so never a humongous object. */
    static final int CHUNK = 256 << 10;
    /** Larger records are held as objects: a chunk takes at least eight. */
    static final int MAX_RECORD = CHUNK / 8;
    /**
     * Emptied chunks kept for reuse beyond the one being written (8 MiB): the window's size moves
     * with the traffic, and a chunk given up is a new one to allocate and promote a moment later.
     */
    private static final int SPARE_CHUNKS = 32;
    /** Sort-key characters of a message id: a document id has 22. */
    private static final int KEY_CHARS = 24;

    private static final int PREVIOUS_RUN = 1;
    private static final int STORED = 2;
    private static final int NO_ID = 255;

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    // per slot
    private long[] micros = new long[0];
    private long[] key0 = new long[0];
    private long[] key1 = new long[0];
    private long[] key2 = new long[0];
    private long[] seq = new long[0];
    private long[] segment = new long[0];
    private int[] chunkOf = new int[0];
    private int[] offset = new int[0];
    private int[] length = new int[0];
    private int[] bytes = new int[0];
    private PayloadProtocol<?>[] protocol = new PayloadProtocol<?>[0];
    private String[] index = new String[0];
    /** The message itself when it is not written to a chunk, else null. */
    private CapturedMessage[] object = new CapturedMessage[0];
    private int[] freeSlots = new int[0];
    private int freeCount;
    private int slotsUsed;

    // the heap of slots, earliest first
    private int[] heap = new int[0];
    private int size;
    private long totalBytes;

    // chunks
    private byte[][] chunks = new byte[4][];
    /** A buffer over each chunk, made with it: records are decoded from it without a wrapper object each. */
    private ByteBuf[] wrapped = new ByteBuf[4];
    private int[] chunkLive = new int[4];
    private final ArrayDeque<Integer> freeChunkIds = new ArrayDeque<>();
    private final ArrayDeque<ByteBuf> spare = new ArrayDeque<>();
    private int chunkCount;
    private int current = -1;
    private int position;
    private final ByteBuf scratch = Unpooled.buffer(4096);

    int size() {
        return size;
    }

    /** What the held messages count against the byte bound ({@link CapturedMessage#heldBytes()} each). */
    long bytes() {
        return totalBytes;
    }

    /** Chunks in use (tests: the memory stays bounded by what is held). */
    int chunks() {
        int n = 0;
        for (int i = 0; i < chunkCount; i++) {
            n += chunks[i] != null ? 1 : 0;
        }
        return n;
    }

    /** The earliest held message's sort time; only when {@link #size()} > 0. */
    long firstMicros() {
        return micros[heap[0]];
    }

    /** The oldest write-ahead segment a held message came from ({@link CapturedMessage#NOT_JOURNALED} for none). */
    long oldestSegment() {
        long from = CapturedMessage.NOT_JOURNALED;
        for (int i = 0; i < size; i++) {
            from = Math.min(from, segment[heap[i]]);
        }
        return from;
    }

    /** Holds {@code m}, sorted by {@code t}, then its id, then {@code order} (arrival). */
    void add(CapturedMessage m, long t, long order) {
        int s = slot();
        micros[s] = t;
        String id = m.id == null ? "" : m.id;
        key0[s] = key(id, 0);
        key1[s] = key(id, 8);
        key2[s] = key(id, 16);
        seq[s] = order;
        segment[s] = m.writeAheadSegment;
        int b = (int) Math.min(Integer.MAX_VALUE, m.heldBytes());
        bytes[s] = b;
        totalBytes += b;
        protocol[s] = m.protocol;
        index[s] = m.index;
        if (!write(m, s)) {
            object[s] = m;
        }
        push(s);
    }

    /** Lets the earliest go; only when {@link #size()} > 0. */
    CapturedMessage poll() {
        int s = heap[0];
        size--;
        if (size > 0) {
            heap[0] = heap[size];
            down(0);
        }
        CapturedMessage m = object[s] != null ? object[s] : read(s);
        totalBytes -= bytes[s];
        if (object[s] == null) {
            chunkLive[chunkOf[s]]--;
            if (chunkLive[chunkOf[s]] == 0) {
                emptied(chunkOf[s]);
            }
        }
        object[s] = null;
        protocol[s] = null;
        index[s] = null;
        freeSlots[freeCount++] = s;
        return m;
    }

    // ------------------------------------------------------------------ records

    /**
     * Record: flags (previous run, stored), state time and index time (8 bytes each), id length
     * ({@link #NO_ID} for none) and its ASCII bytes, then the message as the disk buffer writes it
     * ({@link SpilledMessage}: HEP3, transport, sender).
     */
    private boolean write(CapturedMessage m, int s) {
        String id = m.id;
        if (id != null && !shortAscii(id) || m.stored() && !m.storedId.equals(id)
                || m.peer != null && m.peer.getAddress() == null) {
            return false;
        }
        ByteBuf out = scratch.clear();
        out.writeByte((m.previousRun ? PREVIOUS_RUN : 0) | (m.stored() ? STORED : 0));
        out.writeLong(m.stateMicros);
        out.writeLong(m.indexMicros);
        if (id == null) {
            out.writeByte(NO_ID);
        } else {
            out.writeByte(id.length());
            for (int i = 0; i < id.length(); i++) {
                out.writeByte(id.charAt(i));
            }
        }
        try {
            SpilledMessage.encode(m, out);
        } catch (IllegalArgumentException tooLarge) {
            return false;
        }
        int n = out.readableBytes();
        if (n > MAX_RECORD) {
            return false;
        }
        if (current < 0 || position + n > CHUNK) {
            nextChunk();
        }
        out.getBytes(0, chunks[current], position, n);
        chunkOf[s] = current;
        offset[s] = position;
        length[s] = n;
        chunkLive[current]++;
        position += n;
        return true;
    }

    private CapturedMessage read(int s) {
        byte[] c = chunks[chunkOf[s]];
        int o = offset[s];
        int end = o + length[s];
        int flags = c[o] & 0xff;
        long state = (long) LONG.get(c, o + 1);
        long indexTime = (long) LONG.get(c, o + 9);
        o += 17;
        int idLength = c[o++] & 0xff;
        String id = null;
        if (idLength != NO_ID) {
            id = new String(c, o, idLength, StandardCharsets.US_ASCII);
            o += idLength;
        }
        CapturedMessage m = SpilledMessage.decode(wrapped[chunkOf[s]], o, end - o);
        m.stateMicros = state;
        m.indexMicros = indexTime;
        m.id = id;
        if ((flags & STORED) != 0) {
            m.storedId = id;
        }
        m.previousRun = (flags & PREVIOUS_RUN) != 0;
        m.writeAheadSegment = segment[s];
        m.protocol = protocol[s];
        m.index = index[s];
        return m;
    }

    private static boolean shortAscii(String id) {
        if (id.length() >= NO_ID) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char ch = id.charAt(i);
            if (ch == 0 || ch > 127) {
                return false;
            }
        }
        return true;
    }

    /** Characters [from, from + 8) of the id, big-endian, 0 past its end: unsigned order is String order for ASCII ids. */
    private static long key(String id, int from) {
        long k = 0;
        for (int i = from; i < from + 8; i++) {
            k = (k << 8) | (i < id.length() && i < KEY_CHARS ? id.charAt(i) & 0xff : 0);
        }
        return k;
    }

    // ------------------------------------------------------------------ chunks and slots

    private void nextChunk() {
        if (current >= 0 && chunkLive[current] == 0) {
            position = 0; // nothing lives in it: write it again from the start
            return;
        }
        int id = freeChunkIds.isEmpty() ? grownChunkId() : freeChunkIds.poll();
        ByteBuf chunk = spare.poll();
        wrapped[id] = chunk != null ? chunk : Unpooled.wrappedBuffer(new byte[CHUNK]);
        chunks[id] = wrapped[id].array();
        chunkLive[id] = 0;
        current = id;
        position = 0;
    }

    private int grownChunkId() {
        if (chunkCount == chunks.length) {
            chunks = Arrays.copyOf(chunks, chunkCount * 2);
            wrapped = Arrays.copyOf(wrapped, chunkCount * 2);
            chunkLive = Arrays.copyOf(chunkLive, chunkCount * 2);
        }
        return chunkCount++;
    }

    private void emptied(int c) {
        if (c == current) {
            position = 0; // nothing lives in it: written again from the start
            return;
        }
        if (spare.size() < SPARE_CHUNKS) {
            spare.push(wrapped[c]);
        }
        chunks[c] = null;
        wrapped[c] = null;
        freeChunkIds.push(c);
    }

    private int slot() {
        if (freeCount > 0) {
            return freeSlots[--freeCount];
        }
        if (slotsUsed == micros.length) {
            grow(Math.max(1024, micros.length * 2));
        }
        return slotsUsed++;
    }

    private void grow(int n) {
        micros = Arrays.copyOf(micros, n);
        key0 = Arrays.copyOf(key0, n);
        key1 = Arrays.copyOf(key1, n);
        key2 = Arrays.copyOf(key2, n);
        seq = Arrays.copyOf(seq, n);
        segment = Arrays.copyOf(segment, n);
        chunkOf = Arrays.copyOf(chunkOf, n);
        offset = Arrays.copyOf(offset, n);
        length = Arrays.copyOf(length, n);
        bytes = Arrays.copyOf(bytes, n);
        protocol = Arrays.copyOf(protocol, n);
        index = Arrays.copyOf(index, n);
        object = Arrays.copyOf(object, n);
        freeSlots = Arrays.copyOf(freeSlots, n);
        heap = Arrays.copyOf(heap, n);
    }

    // ------------------------------------------------------------------ the heap

    private void push(int s) {
        int i = size++;
        heap[i] = s;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(heap[i], heap[parent])) {
                break;
            }
            swap(i, parent);
            i = parent;
        }
    }

    private void down(int i) {
        while (true) {
            int left = 2 * i + 1;
            if (left >= size) {
                return;
            }
            int first = left + 1 < size && before(heap[left + 1], heap[left]) ? left + 1 : left;
            if (!before(heap[first], heap[i])) {
                return;
            }
            swap(i, first);
            i = first;
        }
    }

    private void swap(int i, int j) {
        int t = heap[i];
        heap[i] = heap[j];
        heap[j] = t;
    }

    private boolean before(int a, int b) {
        if (micros[a] != micros[b]) {
            return micros[a] < micros[b];
        }
        int c = Long.compareUnsigned(key0[a], key0[b]);
        if (c == 0) {
            c = Long.compareUnsigned(key1[a], key1[b]);
        }
        if (c == 0) {
            c = Long.compareUnsigned(key2[a], key2[b]);
        }
        return c != 0 ? c < 0 : seq[a] < seq[b];
    }
}
