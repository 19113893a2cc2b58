package io.hepstack.enricher.blacklist;

import java.time.Instant;

/**
 * One list that names an address.
 *
 * @param list       the list's configured name (e.g. "voipbl")
 * @param category   what the list is about (FireHOL header "Category", the CSV column, or config), or null
 * @param source     who publishes it (config, FireHOL "Maintainer", the CSV column), or null
 * @param sourceDate when the publisher generated it (FireHOL "Source File Date"), or null
 * @param entry      the matched entry as written canonically: an address or a CIDR network
 * @param firstSeen  CSV lists only: first sighting, or null
 * @param lastSeen   CSV lists only: last sighting, or null
 */
public record BlacklistHit(String list, String category, String source, Instant sourceDate, String entry,
                           Instant firstSeen, Instant lastSeen) {
}
