package io.hepstack.enricher;

import io.hepstack.enricher.blacklist.BlacklistHit;
import io.hepstack.enricher.geo.AsInfo;
import io.hepstack.enricher.geo.GeoInfo;
import io.hepstack.enricher.net.IpAddress;
import io.hepstack.enricher.net.IpScope;

import java.util.List;

/**
 * Everything the enricher knows about one address ({@code source.*} / {@code destination.*}).
 *
 * @param geo        null for non-public addresses (never looked up) and addresses no database knows
 * @param as         likewise
 * @param blacklists hits of every list, in configuration order (checked for every scope: lists do
 *                   carry private and documentation addresses); empty when none
 * @param ip         canonical text of the address ({@link IpAddress#toString}), formatted once: an
 *                   IpInfo is cached and written into many documents
 */
public record IpInfo(IpAddress address, IpScope scope, GeoInfo geo, AsInfo as, List<BlacklistHit> blacklists, String ip) {

    public IpInfo(IpAddress address, IpScope scope, GeoInfo geo, AsInfo as, List<BlacklistHit> blacklists) {
        this(address, scope, geo, as, blacklists, address.toString());
    }

    public boolean blacklisted() {
        return !blacklists.isEmpty();
    }
}
