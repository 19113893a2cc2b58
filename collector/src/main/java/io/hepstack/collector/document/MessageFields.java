package io.hepstack.collector.document;

import com.fasterxml.jackson.annotation.JsonCreator;

/**
 * How much a message document carries ({@code pipeline.messageFields}, docs/documents.md).
 *
 * <p>Most of what the enricher finds about a message is about its call (where the caller is, which
 * network, what the dialled number is, what the call costs) and is the same on every message of
 * that call; the TDR carries it once. Many parsed SIP fields repeat what {@code event.original}
 * already holds and no query, dashboard, watch or view reads. {@link #LEAN} writes only the fields
 * something reads plus the keys to join a message to its call and its enrichment (call id, IPs,
 * the IPs' country codes, e.164 numbers), and leaves out a value that is the usual one
 * ({@code LeanDefaults}, {@code RawText}); {@link #FULL} writes everything, as hepstack always did.
 */
public enum MessageFields {

    /** The fields searches, dashboards, watches and views use, and the keys to join (the default). */
    LEAN,

    /** Every parsed and enriched field on every message (the documents of hepstack before issue 14). */
    FULL;

    /** From the configuration: {@code lean} or {@code full}, in any case; anything else is refused by name. */
    @JsonCreator
    public static MessageFields of(String name) {
        for (MessageFields f : values()) {
            if (f.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("messageFields must be lean or full, not '" + name + "'");
    }

    public boolean full() {
        return this == FULL;
    }
}
