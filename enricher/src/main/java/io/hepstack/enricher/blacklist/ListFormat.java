package io.hepstack.enricher.blacklist;

import java.util.Locale;

/** File formats a blacklist can have. */
public enum ListFormat {
    /** By extension: {@code .csv} is {@link #CSV}; anything else is read as text, honouring a {@code hash:ip} header. */
    AUTO,
    /** FireHOL {@code .netset}: {@code #} header, one IPv4/IPv6 address or CIDR per line. */
    NETSET,
    /** FireHOL {@code .ipset} ({@code hash:ip}): like netset but single addresses only. */
    IPSET,
    /** One address or CIDR per line, IPv4 and IPv6 mixed, any order, {@code #} comments allowed. */
    PLAIN,
    /** {@code ip,source,category,first_seen,last_seen} with a header row (see README). */
    CSV;

    public static ListFormat parse(String s) {
        if (s == null || s.isBlank()) {
            return AUTO;
        }
        try {
            return valueOf(s.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown blacklist format '" + s + "' (auto, netset, ipset, plain, csv)");
        }
    }
}
