package io.hepstack.enricher.blacklist;

import io.hepstack.enricher.net.IpAddress;
import io.hepstack.enricher.reload.Sized;

import java.time.Instant;
import java.util.Map;

/**
 * One loaded blacklist: its IPv4 and IPv6 networks, each pointing at the prebuilt {@link BlacklistHit}
 * a lookup returns, plus what the file's header said about itself.
 *
 * @param header key/value pairs of a FireHOL-style {@code # Key : Value} header (keys as written)
 */
public record IpList(String name, String category, String source, Instant sourceDate, String version,
                     Map<String, String> header, IpRangeSet<BlacklistHit> v4, IpRangeSet<BlacklistHit> v6)
        implements Sized {

    /** The hit for {@code a}, or null when the list does not name it. No allocation. */
    public BlacklistHit find(IpAddress a) {
        return a.isV4() ? v4.find(a) : v6.find(a);
    }

    @Override
    public long size() {
        return (long) v4.size() + v6.size();
    }
}
