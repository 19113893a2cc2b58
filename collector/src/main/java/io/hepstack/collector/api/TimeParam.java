package io.hepstack.collector.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A time given to the API, as microseconds since the epoch: ISO-8601 ({@code 2026-01-01T10:00:00.123456Z}),
 * epoch milliseconds ({@code 1767225600000}), or relative to now ({@code now}, {@code now-15m},
 * {@code now-1h}, {@code now-7d}, {@code now+30s}). Relative times are what share links keep, so a
 * link to "the last hour" shows the last hour whenever it is opened.
 */
public final class TimeParam {

    private static final Pattern RELATIVE = Pattern.compile("now(?:([+-])(\\d{1,9})([smhdw]))?");

    private TimeParam() {
    }

    /**
     * @param name      the parameter's name, for the error message
     * @param value     the text; null or blank gives {@code dflt}
     * @param nowMicros what {@code now} is
     * @throws jakarta.ws.rs.WebApplicationException 400 when the text is none of the forms
     */
    public static long parse(String name, String value, long nowMicros, long dflt) {
        if (value == null || value.isBlank()) {
            return dflt;
        }
        String s = value.trim();
        Matcher m = RELATIVE.matcher(s);
        if (m.matches()) {
            if (m.group(1) == null) {
                return nowMicros;
            }
            long n = Long.parseLong(m.group(2)) * unitMicros(m.group(3).charAt(0));
            return m.group(1).equals("-") ? nowMicros - n : nowMicros + n;
        }
        try {
            if (s.chars().allMatch(Character::isDigit) && s.length() <= 15) {
                return Long.parseLong(s) * 1000;
            }
            return micros(Instant.parse(s));
        } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
            throw ApiErrors.badRequest(name + " is neither ISO-8601, epoch milliseconds nor now-<n><s|m|h|d|w>: '" + value + "'");
        }
    }

    /** µs of an ISO-8601 instant; Long.MIN_VALUE when absent or unreadable. */
    public static long micros(String iso) {
        return io.hepstack.collector.document.Timestamps.micros(iso);
    }

    public static long micros(Instant i) {
        return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1000);
    }

    public static long nowMicros() {
        return micros(Instant.now());
    }

    private static long unitMicros(char unit) {
        return switch (unit) {
            case 's' -> 1_000_000L;
            case 'm' -> 60_000_000L;
            case 'h' -> 3_600_000_000L;
            case 'd' -> 86_400_000_000L;
            default -> 7 * 86_400_000_000L;
        };
    }
}
