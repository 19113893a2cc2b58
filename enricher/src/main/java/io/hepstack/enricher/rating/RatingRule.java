package io.hepstack.enricher.rating;

import java.util.ArrayList;
import java.util.List;

/**
 * Picks {@link #table} for calls that match every criterion given (an empty list matches anything;
 * within one list any value may match). Rules are tried in order; the first match wins.
 */
public class RatingRule {
    public String table;
    /** Source addresses or networks, e.g. ["192.0.2.0/24", "2001:db8::/32"]. */
    public List<String> sourceCidrs = new ArrayList<>();
    /** SIP domains, exact (case-insensitive) or "*.example.com" for any subdomain. */
    public List<String> domains = new ArrayList<>();
    /** Capture node / trunk names, exact. */
    public List<String> nodes = new ArrayList<>();
}
