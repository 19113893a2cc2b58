package io.hepstack.collector.document;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.time.LocalDate;

/**
 * ISO-8601 UTC text with microseconds ({@code 2026-01-01T00:00:00.123456Z}), the form a
 * {@code date_nanos} field keeps exactly. Hand-written because it runs for every document: the
 * date part is cached per day, the time part is plain digit arithmetic.
 */
public final class Timestamps {

    private long cachedDay = Long.MIN_VALUE;
    private final char[] buf = new char[27];

    /** Formats microseconds since the epoch. Not thread-safe: one instance per thread. */
    public String iso(long epochMicros) {
        return format(epochMicros) ? new String(buf) : outOfRange(epochMicros);
    }

    /**
     * Writes {@code name: iso(epochMicros)} straight from the character buffer (no String), the
     * hot path of every document.
     */
    public void writeIsoField(JsonGenerator g, String name, long epochMicros) throws IOException {
        g.writeFieldName(name);
        if (format(epochMicros)) {
            g.writeString(buf, 0, buf.length);
        } else {
            g.writeString(outOfRange(epochMicros));
        }
    }

    /** Fills {@link #buf}; false for years outside 0..9999, which {@link #outOfRange} formats. */
    private boolean format(long epochMicros) {
        long day = Math.floorDiv(epochMicros, 86_400_000_000L);
        long inDay = epochMicros - day * 86_400_000_000L;
        if (day != cachedDay) {
            LocalDate d = LocalDate.ofEpochDay(day);
            int y = d.getYear();
            if (y < 0 || y > 9999) {
                return false;
            }
            put4(0, y);
            buf[4] = '-';
            put2(5, d.getMonthValue());
            buf[7] = '-';
            put2(8, d.getDayOfMonth());
            buf[10] = 'T';
            buf[13] = ':';
            buf[16] = ':';
            buf[19] = '.';
            buf[26] = 'Z';
            cachedDay = day;
        }
        long secs = inDay / 1_000_000L;
        int micros = (int) (inDay % 1_000_000L);
        put2(11, (int) (secs / 3600));
        put2(14, (int) (secs / 60 % 60));
        put2(17, (int) (secs % 60));
        for (int i = 25; i >= 20; i--) {
            buf[i] = (char) ('0' + micros % 10);
            micros /= 10;
        }
        return true;
    }

    /** Years outside 0..9999 (never from a HEP capture, whose seconds are 32 bits): Instant's own text. */
    private static String outOfRange(long epochMicros) {
        return java.time.Instant.ofEpochSecond(Math.floorDiv(epochMicros, 1_000_000L),
                Math.floorMod(epochMicros, 1_000_000L) * 1000L).toString();
    }

    /** µs since the epoch of ISO-8601 text (what {@link #iso} writes); Long.MIN_VALUE when absent or unreadable. */
    public static long micros(String iso) {
        if (iso == null || iso.isEmpty()) {
            return Long.MIN_VALUE;
        }
        try {
            java.time.Instant i = java.time.Instant.parse(iso);
            return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1000);
        } catch (java.time.format.DateTimeParseException | ArithmeticException e) {
            return Long.MIN_VALUE;
        }
    }

    /** Same, for a one-off call (allocates a formatter). */
    public static String isoOnce(long epochMicros) {
        return new Timestamps().iso(epochMicros);
    }

    private void put2(int at, int v) {
        buf[at] = (char) ('0' + v / 10);
        buf[at + 1] = (char) ('0' + v % 10);
    }

    private void put4(int at, int v) {
        buf[at] = (char) ('0' + v / 1000);
        buf[at + 1] = (char) ('0' + v / 100 % 10);
        buf[at + 2] = (char) ('0' + v / 10 % 10);
        buf[at + 3] = (char) ('0' + v % 10);
    }
}
