package io.hepstack.enricher.dnsbl;

import java.util.List;

/** Resolves A records of one name; blocking, called off the hot path only. */
@FunctionalInterface
public interface DnsResolver {
    /**
     * @return the A records as dotted quads; empty when the name does not exist (NXDOMAIN: not listed)
     * @throws Exception on timeouts and server failures (the result stays unknown and is retried later)
     */
    List<String> lookupA(String name) throws Exception;
}
