package io.hepstack.collector.document;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.UTF8JsonGenerator;
import com.fasterxml.jackson.databind.MappingJsonFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A reusable JSON buffer for writing one document at a time with Jackson's streaming generator,
 * plus small helpers that skip absent values (so documents carry only what was seen).
 * Not thread-safe: one per writer thread.
 *
 * <p>Hot path: one generator and one growable buffer serve every document (each document is a
 * root value of the same generator, with no separator between them), so a document costs one
 * allocation, its own bytes. A document abandoned half-written (an exception in the caller) is
 * detected at the next {@link #begin()} and the generator is replaced. Field names are encoded once
 * per generator and then copied as bytes ({@link SerializedString}), which is what Jackson does for
 * its own property names: the same output, without re-encoding a name for every document.
 */
public final class JsonDocument {

    /** With a codec, so {@link JsonGenerator#writeTree} can write a parsed JSON payload. */
    private static final JsonFactory FACTORY = new NameCachingFactory();
    /** Field names kept pre-encoded per generator; a writer has a few hundred, this only bounds odd callers. */
    private static final int MAX_CACHED_NAMES = 4096;
    /** A buffer grown past this by a huge document is dropped afterwards rather than kept. */
    private static final int KEEP_BUFFER_BYTES = 1 << 20;

    private final Output buffer = new Output();
    private JsonGenerator g;

    /** Starts a new document (the root object is open). */
    public JsonGenerator begin() {
        buffer.reset();
        try {
            if (g == null || !g.getOutputContext().inRoot()) {
                g = FACTORY.createGenerator(buffer);
                g.setRootValueSeparator(null);
            }
            g.writeStartObject();
            return g;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes the root object and returns a copy of the UTF-8 bytes. */
    public byte[] end() {
        return finish().toByteArray();
    }

    /**
     * Closes the root object and lends the document where it was written: its UTF-8 bytes are
     * {@link #bytes()}{@code [0, }{@link #length()}{@code )} until the next {@link #begin()}. A
     * sink that copies them straight into its request body saves the per-document array that
     * {@link #end()} makes (the largest allocation of the per-message path: a message document
     * is ~2.4 KB).
     */
    public JsonDocument finish() {
        try {
            g.writeEndObject();
            g.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces the finished document with {@code document} (a writer that post-processes its bytes), lent as {@link #finish()} lends. */
    public JsonDocument finish(byte[] document) {
        buffer.reset();
        buffer.write(document, 0, document.length);
        return this;
    }

    /** The buffer holding the finished document from index 0; valid until the next {@link #begin()}. */
    public byte[] bytes() {
        return buffer.buf;
    }

    /** Length of the finished document in {@link #bytes()}. */
    public int length() {
        return buffer.len;
    }

    /** A copy of the finished document. */
    public byte[] toByteArray() {
        return buffer.toByteArray();
    }

    public static void str(JsonGenerator g, String name, String value) throws IOException {
        if (value != null && !value.isEmpty()) {
            g.writeStringField(name, value);
        }
    }

    /**
     * Writes UTF-8 bytes as a string field, exactly as {@code writeStringField(name, new String(utf8, UTF_8))}
     * would, without making the String when the bytes are ASCII (SIP, log lines): Jackson then
     * escapes them straight from the array. Other bytes take the String path, so malformed UTF-8
     * is replaced the same way.
     */
    public static void utf8(JsonGenerator g, String name, byte[] utf8) throws IOException {
        utf8(g, name, utf8, utf8.length);
    }

    /** {@link #utf8(JsonGenerator, String, byte[])} of the first {@code length} bytes of {@code utf8}. */
    public static void utf8(JsonGenerator g, String name, byte[] utf8, int length) throws IOException {
        if (isAscii(utf8, length)) {
            g.writeFieldName(name);
            g.writeUTF8String(utf8, 0, length);
        } else {
            g.writeStringField(name, new String(utf8, 0, length, StandardCharsets.UTF_8));
        }
    }

    private static boolean isAscii(byte[] b, int length) {
        for (int i = 0; i < length; i++) {
            if (b[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /** Writes a number when it is not negative (our "absent" marker). */
    public static void num(JsonGenerator g, String name, long value) throws IOException {
        if (value >= 0) {
            g.writeNumberField(name, value);
        }
    }

    /** Writes a finite number (NaN and infinities mean "unknown"). */
    public static void dbl(JsonGenerator g, String name, double value) throws IOException {
        if (!Double.isNaN(value) && !Double.isInfinite(value)) {
            g.writeNumberField(name, value);
        }
    }

    /** Writes a finite, non-negative number. */
    public static void dblPositive(JsonGenerator g, String name, double value) throws IOException {
        if (!Double.isNaN(value) && !Double.isInfinite(value) && value >= 0) {
            g.writeNumberField(name, value);
        }
    }

    /** Makes {@link NameCachingGenerator}s (otherwise what {@link JsonFactory#_createUTF8Generator} does with defaults). */
    private static final class NameCachingFactory extends MappingJsonFactory {
        @Override
        protected JsonGenerator _createUTF8Generator(OutputStream out, IOContext ctxt) {
            return _decorate(new NameCachingGenerator(ctxt, _generatorFeatures, _objectCodec, out, _quoteChar));
        }
    }

    /**
     * Writes every field name given as a String from its cached, already quoted UTF-8 bytes. Names
     * are literals, so the same String object comes back every time: a direct-mapped slot keyed by
     * its (cached) hash and compared by identity finds it without a map lookup; the map behind it
     * holds every name once. Doubles with a short decimal form (MOS, R, percentages, ms) are written
     * from a reused buffer ({@link ShortDecimals}) instead of through {@code Double.toString}, which
     * made a String and its arrays for each: 7 % of the pipeline's allocation, mostly TDR quality.
     */
    private static final class NameCachingGenerator extends UTF8JsonGenerator {
        /**
         * Four times the names a writer uses, each name with two candidate slots (the hash's bits
         * folded, and a multiplicative hash of it): a name whose first slot another name holds takes
         * its second, so no two names evict each other at every document (with one slot per name,
         * sip/action and original/call_ids did, 1.6 % of the lookups of hepgen's documents).
         */
        private static final int SLOTS = 4096;
        private final String[] slotNames = new String[SLOTS];
        private final SerializedString[] slotValues = new SerializedString[SLOTS];
        private final Map<String, SerializedString> names = new HashMap<>();

        NameCachingGenerator(IOContext ctxt, int features, ObjectCodec codec, OutputStream out, char quote) {
            super(ctxt, features, codec, out, quote);
        }

        @Override
        public void writeFieldName(String name) throws IOException {
            int h = name.hashCode();
            int first = (h ^ (h >>> 12)) & (SLOTS - 1);
            if (slotNames[first] == name) {
                super.writeFieldName(slotValues[first]);
                return;
            }
            int second = (h * 0x9E3779B1) >>> 20; // the top 12 bits: SLOTS - 1
            if (slotNames[second] == name) {
                super.writeFieldName(slotValues[second]);
                return;
            }
            SerializedString s = names.get(name);
            if (s == null) {
                if (names.size() >= MAX_CACHED_NAMES) {
                    super.writeFieldName(name);
                    return;
                }
                s = new SerializedString(name);
                names.put(name, s);
            }
            int slot = slotNames[first] == null || slotNames[second] != null ? first : second;
            slotNames[slot] = name;
            slotValues[slot] = s;
            super.writeFieldName(s);
        }

        @Override
        public void writeNumber(double d) throws IOException {
            int n = ShortDecimals.format(d, digits);
            if (n > 0) {
                super.writeNumber(digits, 0, n);
            } else {
                super.writeNumber(d);
            }
        }

        private final char[] digits = new char[ShortDecimals.MAX_CHARS];
    }

    /** An unsynchronised, growable byte sink that keeps its array between documents. */
    private static final class Output extends OutputStream {
        private byte[] buf = new byte[8192];
        private int len;

        void reset() {
            if (buf.length > KEEP_BUFFER_BYTES) {
                buf = new byte[8192];
            }
            len = 0;
        }

        @Override
        public void write(int b) {
            ensure(1);
            buf[len++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int n) {
            ensure(n);
            System.arraycopy(b, off, buf, len, n);
            len += n;
        }

        private void ensure(int n) {
            if (len + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
            }
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, len);
        }
    }
}
