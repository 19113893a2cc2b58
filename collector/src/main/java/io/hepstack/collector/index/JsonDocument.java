package io.hepstack.collector.index;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A reusable JSON buffer for writing one document at a time with Jackson's streaming generator,
 * plus small helpers that skip absent values (so documents carry only what was seen).
 * Not thread-safe: one per writer thread.
 */
public final class JsonDocument {

    private static final JsonFactory FACTORY = new JsonFactory();

    private final ByteArrayBuilder buffer = new ByteArrayBuilder(2048);
    private JsonGenerator g;

    /** Starts a new document (the root object is open). */
    public JsonGenerator begin() {
        buffer.reset();
        try {
            g = FACTORY.createGenerator(buffer);
            g.writeStartObject();
            return g;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes the root object and returns the UTF-8 bytes. */
    public byte[] end() {
        try {
            g.writeEndObject();
            g.close();
            return buffer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void str(JsonGenerator g, String name, String value) throws IOException {
        if (value != null && !value.isEmpty()) {
            g.writeStringField(name, value);
        }
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
}
