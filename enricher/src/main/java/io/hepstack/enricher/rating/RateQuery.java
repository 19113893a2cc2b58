package io.hepstack.enricher.rating;

import io.hepstack.enricher.net.IpAddress;

import java.time.Instant;

/**
 * What rating needs to know about a call.
 *
 * @param callee          e.164 number of the callee ("+4930901820" or digits); null: nothing to rate
 * @param sourceIp        where the call came from (for table rules), may be null
 * @param domain          SIP domain of the call (R-URI/From host), may be null
 * @param node            capture node / trunk name (HEP node name or capture id), may be null
 * @param billableSeconds answered time in whole seconds (200 OK to BYE)
 * @param answered        false for failed or cancelled calls
 * @param callTime        when the call started (for valid_from); null: now
 */
public record RateQuery(String callee, IpAddress sourceIp, String domain, String node, long billableSeconds,
                        boolean answered, Instant callTime) {

    /** An answered call with no table-selection attributes. */
    public static RateQuery answered(String callee, long billableSeconds, Instant callTime) {
        return new RateQuery(callee, null, null, null, billableSeconds, true, callTime);
    }
}
