package io.hepstack.enricher.dnsbl;

import java.util.List;

/**
 * What DNS blocklists say about an address.
 *
 * @param status  {@link Status#UNKNOWN} until a lookup has finished (the first call only schedules one)
 * @param zones   zones that list the address (empty unless LISTED)
 * @param answers the A records returned, e.g. "127.0.0.2", aligned with {@code zones}
 */
public record DnsblResult(Status status, List<String> zones, List<String> answers) {

    public static final DnsblResult UNKNOWN = new DnsblResult(Status.UNKNOWN, List.of(), List.of());
    public static final DnsblResult NOT_LISTED = new DnsblResult(Status.NOT_LISTED, List.of(), List.of());

    public enum Status { UNKNOWN, NOT_LISTED, LISTED }

    public boolean listed() {
        return status == Status.LISTED;
    }
}
