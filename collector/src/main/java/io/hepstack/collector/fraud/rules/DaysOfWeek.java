package io.hepstack.collector.fraud.rules;

import java.util.Locale;

/**
 * The OpenSIPS {@code daysoftheweek} column: a comma-separated list of three-letter day names and
 * ranges, case-insensitive, ranges may wrap the week ({@code "Fri-Mon, Wed"}); empty means every day.
 * Held as a bit mask, bit 0 = Monday ... bit 6 = Sunday.
 */
public final class DaysOfWeek {

    public static final int ALL = 0x7f;
    private static final String[] NAMES = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

    private DaysOfWeek() {
    }

    /** Parses the column; throws IllegalArgumentException naming the bad token. */
    public static int parse(String text) {
        if (text == null || text.isBlank()) {
            return ALL;
        }
        int mask = 0;
        for (String token : text.split(",", -1)) {
            String t = token.trim();
            int dash = t.indexOf('-');
            if (dash < 0) {
                mask |= 1 << day(t, text);
            } else {
                int from = day(t.substring(0, dash).trim(), text);
                int to = day(t.substring(dash + 1).trim(), text);
                for (int d = from; ; d = (d + 1) % 7) { // a range may wrap the week: Fri-Mon
                    mask |= 1 << d;
                    if (d == to) {
                        break;
                    }
                }
            }
        }
        return mask;
    }

    /** Whether the mask holds the day; {@code mondayZero} is 0 for Monday ... 6 for Sunday. */
    public static boolean contains(int mask, int mondayZero) {
        return (mask & (1 << mondayZero)) != 0;
    }

    /** Day of the week (0 = Monday) of a day counted from 1970-01-01, which was a Thursday. */
    public static int ofEpochDay(long epochDay) {
        return (int) Math.floorMod(epochDay + 3, 7L);
    }

    public static String format(int mask) {
        if (mask == ALL) {
            return "Mon-Sun";
        }
        StringBuilder sb = new StringBuilder();
        for (int d = 0; d < 7; d++) {
            if (contains(mask, d)) {
                if (!sb.isEmpty()) {
                    sb.append(',');
                }
                sb.append(Character.toUpperCase(NAMES[d].charAt(0))).append(NAMES[d], 1, 3);
            }
        }
        return sb.toString();
    }

    private static int day(String name, String whole) {
        String n = name.toLowerCase(Locale.ROOT);
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(n)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown day '" + name + "' in '" + whole
                + "' (use Mon, Tue, Wed, Thu, Fri, Sat, Sun, lists and ranges such as 'Fri-Mon, Wed')");
    }
}
