package io.hepstack.collector.document;

import java.time.LocalDate;

/**
 * Daily index names in UTC: {@code hep-<family>-YYYY.MM.DD}. The last day's name is cached per
 * family, so naming costs one division on the hot path.
 */
public final class IndexNames {

    public static final String PREFIX = "hep";

    private final String family;
    private long cachedDay = Long.MIN_VALUE;
    private String cachedName;

    public IndexNames(String family) {
        if (family == null || family.isBlank() || !family.chars().allMatch(c -> (c >= 'a' && c <= 'z') || c == '_')) {
            throw new IllegalArgumentException("family must be lower-case letters: " + family);
        }
        this.family = family;
    }

    public String family() {
        return family;
    }

    /** The pattern that matches every day of this family, e.g. {@code hep-sip-*}. */
    public String pattern() {
        return PREFIX + "-" + family + "-*";
    }

    /** Index for an event at {@code epochMicros} (UTC day). Not thread-safe: one instance per thread. */
    public String forMicros(long epochMicros) {
        long day = Math.floorDiv(epochMicros, 86_400_000_000L);
        if (day != cachedDay) {
            cachedName = name(family, day);
            cachedDay = day;
        }
        return cachedName;
    }

    public static String name(String family, long epochDay) {
        LocalDate d = LocalDate.ofEpochDay(epochDay);
        return String.format("%s-%s-%04d.%02d.%02d", PREFIX, family, d.getYear(), d.getMonthValue(), d.getDayOfMonth());
    }
}
