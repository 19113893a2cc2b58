package io.hepstack.enricher.csv;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Column positions of a CSV header, found by normalised name ({@link Csv#normalizeHeader}). */
public final class Header {

    private final Map<String, Integer> index = new HashMap<>();
    private final List<String> names;

    public Header(List<String> rawNames) {
        this.names = rawNames.stream().map(Csv::normalizeHeader).toList();
        for (int i = 0; i < names.size(); i++) {
            if (!names.get(i).isEmpty()) {
                index.putIfAbsent(names.get(i), i);
            }
        }
    }

    /** Position of the first of {@code aliases} present, or -1. */
    public int find(String... aliases) {
        for (String a : aliases) {
            Integer i = index.get(a);
            if (i != null) {
                return i;
            }
        }
        return -1;
    }

    public List<String> names() {
        return names;
    }

    /** Field {@code i} of {@code row}, or "" when the column is absent or the row is short. */
    public static String field(List<String> row, int i) {
        return i < 0 || i >= row.size() ? "" : row.get(i);
    }
}
