package io.hepstack.enricher.rating;

import io.hepstack.enricher.reload.Sized;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rate rows by prefix, with longest-prefix lookup on the digits of an e.164 number.
 *
 * <p>Prefixes are keyed as (numeric value, length) packed in a long and kept in an open-addressing
 * table, so a lookup walks from the longest candidate prefix to the shortest with arithmetic only:
 * no substring, no boxing. Rows of one prefix are ordered newest {@code validFrom} first; the first
 * row whose {@code validFrom} is not after the call time wins. A prefix none of whose rows is valid
 * yet does not exist at that time, and a shorter prefix is tried.
 */
public final class RateTable implements Sized {

    /** Longest prefix accepted (E.164 numbers have at most 15 digits). */
    public static final int MAX_PREFIX = 15;
    private static final long[] POW10 = new long[MAX_PREFIX + 1];

    static {
        POW10[0] = 1;
        for (int i = 1; i <= MAX_PREFIX; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    private final String name;
    private final long[] keys;
    private final RateEntry[][] values;
    private final int mask;
    private final int rows;
    private final int maxLength;

    private RateTable(String name, Map<Long, List<RateEntry>> byKey, int rows) {
        this.name = name;
        int cap = Integer.highestOneBit(Math.max(4, byKey.size() * 2) - 1) << 1;
        keys = new long[cap];
        values = new RateEntry[cap][];
        mask = cap - 1;
        int maxLen = 0;
        for (Map.Entry<Long, List<RateEntry>> e : byKey.entrySet()) {
            long k = e.getKey();
            int i = slot(k);
            while (values[i] != null) {
                i = (i + 1) & mask;
            }
            keys[i] = k;
            List<RateEntry> list = new ArrayList<>(e.getValue());
            list.sort(Comparator.comparing((RateEntry r) -> r.validFrom() == null ? Instant.MIN : r.validFrom()).reversed());
            values[i] = list.toArray(new RateEntry[0]);
            maxLen = Math.max(maxLen, list.get(0).prefix().length());
        }
        this.rows = rows;
        this.maxLength = maxLen;
    }

    public String name() {
        return name;
    }

    @Override
    public long size() {
        return rows;
    }

    /**
     * The row for the longest prefix of {@code digits} valid at {@code at}, or null.
     *
     * @param digits e.164 digits (a leading '+' is skipped; reading stops at the first non-digit)
     * @param at     call time (for valid_from); null means now
     */
    public RateEntry find(CharSequence digits, Instant at) {
        if (digits == null) {
            return null;
        }
        Instant when = at == null ? Instant.now() : at;
        int start = digits.length() > 0 && digits.charAt(0) == '+' ? 1 : 0;
        int len = 0;
        long value = 0;
        while (len < maxLength && start + len < digits.length()) {
            char c = digits.charAt(start + len);
            if (c < '0' || c > '9') {
                break;
            }
            value = value * 10 + (c - '0');
            len++;
        }
        for (int l = len; l >= 1; l--) {
            long v = value / POW10[len - l];
            RateEntry[] rowsOfPrefix = get(key(v, l));
            if (rowsOfPrefix != null) {
                for (RateEntry r : rowsOfPrefix) {
                    if (r.validFrom() == null || !r.validFrom().isAfter(when)) {
                        return r;
                    }
                }
            }
        }
        return null;
    }

    private RateEntry[] get(long k) {
        int i = slot(k);
        while (values[i] != null) {
            if (keys[i] == k) {
                return values[i];
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    private int slot(long k) {
        long h = k * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    static long key(long value, int length) {
        return value | ((long) length << 57);
    }

    /** Collects rows; a second row with the same prefix and validFrom is an error naming both lines. */
    public static final class Builder {
        private final String name;
        private final Map<Long, List<RateEntry>> byKey = new HashMap<>();
        private final Map<String, Integer> lineOf = new HashMap<>();
        private int rows;

        public Builder(String name) {
            this.name = name;
        }

        /**
         * @return null when added, else the line of the earlier row with the same prefix and validFrom
         */
        public Integer add(RateEntry e, int line) {
            String id = e.prefix() + "@" + e.validFrom();
            Integer earlier = lineOf.putIfAbsent(id, line);
            if (earlier != null) {
                return earlier;
            }
            long k = key(Long.parseLong(e.prefix()), e.prefix().length());
            byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(e);
            rows++;
            return null;
        }

        public RateTable build() {
            return new RateTable(name, byKey, rows);
        }
    }
}
