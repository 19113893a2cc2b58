package io.hepstack.collector.fraud.rules;

import java.util.Objects;

/**
 * One row of the OpenSIPS {@code fraud_detection} table: for calls of a profile's users to a prefix,
 * in a daily time interval on some days of the week, the warning/critical thresholds of the five
 * parameters.
 *
 * <p>The interval is {@code [start, end)} in local time, as OpenSIPS matches it (so {@code 00:00-23:59}
 * leaves the last minute out; write {@code 24:00} for the end of the day). Unlike OpenSIPS, which
 * never matches a rule whose end is before its start, such a rule here spans midnight and belongs to
 * the day it starts on ({@code 22:00-06:00, Fri} covers Friday 22:00 to Saturday 06:00).
 *
 * @param startSecond second of the day the interval starts (0..86399)
 * @param endSecond   second of the day it ends, exclusive (1..86400)
 * @param days        {@link DaysOfWeek} mask of the days an interval may start on
 * @param line        line of the rule in its file (0 when built in code)
 */
public record FraudRule(int ruleId, int profileId, String prefix, int startSecond, int endSecond, int days,
                        Threshold cpm, Threshold callDuration, Threshold totalCalls,
                        Threshold concurrentCalls, Threshold sequentialCalls, int line) {

    /** Returned by {@link #intervalStart} when the rule does not cover the time. */
    public static final long NO_MATCH = Long.MIN_VALUE;
    private static final int DAY = 86_400;

    public FraudRule {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(cpm, "cpm");
        Objects.requireNonNull(callDuration, "callDuration");
        Objects.requireNonNull(totalCalls, "totalCalls");
        Objects.requireNonNull(concurrentCalls, "concurrentCalls");
        Objects.requireNonNull(sequentialCalls, "sequentialCalls");
        if (ruleId < 0 || profileId < 0) {
            throw new IllegalArgumentException("ruleid and profileid must be >= 0: " + ruleId + ", " + profileId);
        }
        if (startSecond < 0 || startSecond >= DAY) {
            throw new IllegalArgumentException("start_hour out of range: " + startSecond + " s");
        }
        if (endSecond <= 0 || endSecond > DAY) {
            throw new IllegalArgumentException("end_hour out of range: " + endSecond + " s");
        }
        if (startSecond == endSecond) {
            throw new IllegalArgumentException("start_hour equals end_hour (" + formatTime(startSecond)
                    + "): an empty interval never matches; use 00:00-24:00 for the whole day");
        }
        if ((days & ~DaysOfWeek.ALL) != 0 || days == 0) {
            throw new IllegalArgumentException("bad days mask: " + days);
        }
    }

    /**
     * Start of the interval instance covering {@code localEpochSecond} (seconds since the epoch in
     * the rule's time zone), as a local epoch second, or {@link #NO_MATCH}.
     */
    public long intervalStart(long localEpochSecond) {
        long day = Math.floorDiv(localEpochSecond, DAY);
        int sod = (int) (localEpochSecond - day * DAY);
        if (startSecond < endSecond) {
            return sod >= startSecond && sod < endSecond && DaysOfWeek.contains(days, DaysOfWeek.ofEpochDay(day))
                    ? day * DAY + startSecond : NO_MATCH;
        }
        if (sod >= startSecond) { // spans midnight: the evening part, on a day the rule starts on
            return DaysOfWeek.contains(days, DaysOfWeek.ofEpochDay(day)) ? day * DAY + startSecond : NO_MATCH;
        }
        if (sod < endSecond) { // the morning part belongs to the interval that started yesterday
            return DaysOfWeek.contains(days, DaysOfWeek.ofEpochDay(day - 1)) ? (day - 1) * DAY + startSecond : NO_MATCH;
        }
        return NO_MATCH;
    }

    /** Length of one interval instance in seconds. */
    public int intervalSeconds() {
        return startSecond < endSecond ? endSecond - startSecond : DAY - startSecond + endSecond;
    }

    public String startHour() {
        return formatTime(startSecond);
    }

    public String endHour() {
        return formatTime(endSecond);
    }

    public String daysOfWeek() {
        return DaysOfWeek.format(days);
    }

    /** Parses {@code HH:MM} (or {@code HH:MM:SS}); {@code 24:00} only when {@code end} is true. */
    public static int parseTime(String text, boolean end) {
        String t = text == null ? "" : text.trim();
        String[] parts = t.split(":", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("time must be HH:MM: '" + text + "'");
        }
        int h = digits(parts[0], text);
        int m = digits(parts[1], text);
        int s = parts.length == 3 ? digits(parts[2], text) : 0;
        if (end && h == 24 && m == 0 && s == 0) {
            return DAY;
        }
        if (h > 23 || m > 59 || s > 59) {
            throw new IllegalArgumentException("time out of range (00:00..23:59" + (end ? ", or 24:00" : "")
                    + "): '" + text + "'");
        }
        return h * 3600 + m * 60 + s;
    }

    /** {@code HH:MM} of a second of the day (0..86400); the texts are made once per minute of the day (alert messages name them at every call). */
    public static String formatTime(int second) {
        int minute = second / 60;
        boolean kept = second >= 0 && minute < TIMES.length;
        String text = kept ? TIMES[minute] : null;
        if (text == null) {
            text = String.format("%02d:%02d", second / 3600, second % 3600 / 60);
            if (kept) {
                TIMES[minute] = text; // racy but idempotent: every thread makes the same text
            }
        }
        return text;
    }

    private static final String[] TIMES = new String[DAY / 60 + 1];

    private static int digits(String p, String whole) {
        if (p.isEmpty() || p.length() > 2) {
            throw new IllegalArgumentException("time must be HH:MM: '" + whole + "'");
        }
        int v = 0;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("time must be HH:MM: '" + whole + "'");
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
