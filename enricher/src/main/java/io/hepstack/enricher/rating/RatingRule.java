package io.hepstack.enricher.rating;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.hepstack.enricher.net.Cidr;
import jakarta.validation.constraints.AssertTrue;

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

    @JsonIgnore
    @AssertTrue(message = "are not all valid: sourceCidrs must be networks such as 192.0.2.0/24, without host bits")
    public boolean isCidrs() {
        if (sourceCidrs == null) {
            return true;
        }
        try {
            sourceCidrs.forEach(Cidr::parse);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
    /** SIP domains, exact (case-insensitive) or "*.example.com" for any subdomain. */
    public List<String> domains = new ArrayList<>();
    /** Capture node / trunk names, exact. */
    public List<String> nodes = new ArrayList<>();
}
