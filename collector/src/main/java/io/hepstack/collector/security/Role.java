package io.hepstack.collector.security;

import java.util.Locale;

/**
 * What a user may do. Each role includes the ones before it: an analyst can do what a viewer can,
 * an admin what an analyst can. Resources name the least role they need with
 * {@code @RolesAllowed(Role.VIEWER_NAME)} and friends.
 */
public enum Role {
    /** Search, call view, live overview. */
    VIEWER,
    /** + exports (PCAP, text, images), pcap import, fraud counters. */
    ANALYST,
    /** + reloads, admin tasks, users and audit. */
    ADMIN;

    public static final String VIEWER_NAME = "viewer";
    public static final String ANALYST_NAME = "analyst";
    public static final String ADMIN_NAME = "admin";

    /** True when this role may do what {@code needed} may. */
    public boolean includes(Role needed) {
        return ordinal() >= needed.ordinal();
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role named {@code viewer}, {@code analyst} or {@code admin} (any case). */
    public static Role of(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }
}
