package io.hepstack.collector.correlate;

import java.util.List;

/**
 * Reads the call a HEP correlation id names: the Call-ID itself, or the Call-ID with one of the
 * configured suffixes ({@code correlationSuffixes}, e.g. an agent's {@code _b2b-1}) appended.
 * Stateless after construction.
 */
final class CorrelationIds {

    private final List<String> suffixes;

    CorrelationIds(List<String> suffixes) {
        this.suffixes = List.copyOf(suffixes);
    }

    /** The id without the first configured suffix it ends with; the same instance when none. */
    String stripSuffix(String cid) {
        for (String s : suffixes) {
            if (cid.length() > s.length() && cid.endsWith(s)) {
                return cid.substring(0, cid.length() - s.length());
            }
        }
        return cid;
    }

    /** The HEP correlation id of a SIP message when it names another call (a B2BUA's other leg). */
    String correlationCallId(String cid, String own) {
        if (cid == null || cid.isEmpty()) {
            return null;
        }
        String c = stripSuffix(cid);
        return c.equals(own) ? null : c;
    }
}
