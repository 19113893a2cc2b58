package io.hepstack.collector.correlate;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The ids of a record's messages ({@code tdr.messages.ids}) as their ASCII bytes end to end in one
 * array: 22 bytes an id (our ids are 22-character base64url) where a {@code List<String>} spent
 * about 70. Ids with characters beyond Latin-1 cannot occur ({@code DocumentIds}) and are refused.
 * Not thread-safe (the correlator's worker owns it).
 */
final class MessageIdList implements IndexedValues<String> {

    private byte[] bytes = new byte[0];
    private int[] ends = new int[0];
    private long[] times = new long[0];
    private int size;
    private int used;

    void add(String id) {
        int n = id.length();
        for (int i = 0; i < n; i++) {
            if (id.charAt(i) > 0xff) {
                throw new IllegalArgumentException("not a message id: " + id);
            }
        }
        if (used + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(used + n, bytes.length * 2 + 22 * 4));
        }
        if (size == ends.length) {
            ends = Arrays.copyOf(ends, Math.max(4, size * 2));
        }
        for (int i = 0; i < n; i++) {
            bytes[used + i] = (byte) id.charAt(i);
        }
        used += n;
        ends[size++] = used;
    }

    /**
     * Inserts an id captured at {@code micros} in (time, id) order; when that makes more than
     * {@code max}, the last one goes (possibly this one).
     */
    void add(String id, long micros, int max) {
        if (size == max && !before(id, micros, size - 1)) {
            return;
        }
        int at = size;
        while (at > 0 && before(id, micros, at - 1)) {
            at--;
        }
        if (times.length < ends.length || times.length <= size) {
            times = Arrays.copyOf(times, Math.max(4, Math.max(ends.length, size * 2)));
        }
        if (at == size) {
            add(id);
            times[at] = micros;
        } else {
            String[] tail = new String[size - at];
            long[] tailTimes = Arrays.copyOfRange(times, at, size);
            for (int i = at; i < size; i++) {
                tail[i - at] = get(i);
            }
            used = at == 0 ? 0 : ends[at - 1];
            size = at;
            add(id);
            times[at] = micros;
            for (int i = 0; i < tail.length; i++) {
                add(tail[i]);
                times[at + 1 + i] = tailTimes[i];
            }
        }
        if (size > max) {
            size--;
            used = size == 0 ? 0 : ends[size - 1];
        }
    }

    private boolean before(String id, long micros, int i) {
        return micros < times[i] || micros == times[i] && id.compareTo(get(i)) < 0;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public String get(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i + " of " + size);
        }
        int start = i == 0 ? 0 : ends[i - 1];
        return new String(bytes, start, ends[i] - start, StandardCharsets.ISO_8859_1);
    }

    /**
     * Writes {@code name: [ids...]} (nothing when empty) from the bytes, as {@code strings(g, name,
     * this)} would: an ASCII id written as UTF-8 is escaped exactly as its String (what
     * {@code JsonDocument.utf8} relies on too), so no String is made per id at every TDR write.
     */
    void write(JsonGenerator g, String name) throws IOException {
        if (size == 0) {
            return;
        }
        g.writeArrayFieldStart(name);
        for (int i = 0; i < size; i++) {
            int start = i == 0 ? 0 : ends[i - 1];
            if (ascii(start, ends[i])) {
                g.writeUTF8String(bytes, start, ends[i] - start);
            } else {
                g.writeString(get(i));
            }
        }
        g.writeEndArray();
    }

    private boolean ascii(int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }
}
