package io.hepstack.collector.correlate;

import java.util.HashMap;
import java.util.Map;

/**
 * One shared instance of each recurring string a live record keeps (methods, capture node names,
 * domains, user agents, codec names): every message brings its own copy, and tens of
 * thousands of live calls would otherwise each hold theirs. Bounded: once {@code max} distinct
 * values are kept, new ones are returned as they are. Not thread-safe (the correlator's worker
 * owns it).
 */
final class Canonical {

    private final Map<String, String> values = new HashMap<>();
    private final int max;

    Canonical(int max) {
        this.max = max;
    }

    /** The kept instance equal to {@code s}, or {@code s} itself (kept from now on while there is room); null for null. */
    String of(String s) {
        if (s == null) {
            return null;
        }
        String kept = values.get(s);
        if (kept != null) {
            return kept;
        }
        if (values.size() < max) {
            values.put(s, s);
        }
        return s;
    }

    int size() {
        return values.size();
    }
}
