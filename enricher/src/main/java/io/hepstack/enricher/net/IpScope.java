package io.hepstack.enricher.net;

/**
 * Where an address belongs. Only {@link #PUBLIC} addresses are looked up in GeoIP/ASN databases;
 * the others are special-purpose ranges (IANA special-purpose registries, RFC 6890) that no
 * database can place.
 */
public enum IpScope {
    PUBLIC("public"),
    /** RFC 1918, RFC 6598 shared address space (100.64.0.0/10), IPv6 unique local (fc00::/7). */
    PRIVATE("private"),
    /** 127.0.0.0/8, ::1. */
    LOOPBACK("loopback"),
    /** RFC 5737 (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24), RFC 3849 (2001:db8::/32), RFC 9637 (3fff::/20). */
    DOCUMENTATION("documentation"),
    /** 169.254.0.0/16, fe80::/10. */
    LINK_LOCAL("link_local"),
    /** 224.0.0.0/4, ff00::/8. */
    MULTICAST("multicast"),
    /** "This network" 0/8, 192.0.0.0/24, benchmarking 198.18/15, 240/4 and broadcast, ::, ::/8, 100::/64, outside 2000::/3. */
    RESERVED("reserved");

    private final String label;

    IpScope(String label) {
        this.label = label;
    }

    /** Lower-case name used in documents ("public", "link_local", ...). */
    public String label() {
        return label;
    }

    public boolean isPublic() {
        return this == PUBLIC;
    }

    public static IpScope of(IpAddress a) {
        return a.isV4() ? ofV4((int) a.lo()) : ofV6(a.hi(), a.lo());
    }

    static IpScope ofV4(int a) {
        int o1 = (a >>> 24) & 0xFF;
        int o2 = (a >>> 16) & 0xFF;
        int o3 = (a >>> 8) & 0xFF;
        switch (o1) {
            case 0:
                return RESERVED;
            case 10:
                return PRIVATE;
            case 127:
                return LOOPBACK;
            case 100:
                return (o2 & 0xC0) == 64 ? PRIVATE : PUBLIC;
            case 169:
                return o2 == 254 ? LINK_LOCAL : PUBLIC;
            case 172:
                return (o2 & 0xF0) == 16 ? PRIVATE : PUBLIC;
            case 192:
                if (o2 == 168) {
                    return PRIVATE;
                }
                if (o2 == 0 && o3 == 2) {
                    return DOCUMENTATION;
                }
                return o2 == 0 && o3 == 0 ? RESERVED : PUBLIC;
            case 198:
                if (o2 == 51 && o3 == 100) {
                    return DOCUMENTATION;
                }
                return (o2 & 0xFE) == 18 ? RESERVED : PUBLIC;
            case 203:
                return o2 == 0 && o3 == 113 ? DOCUMENTATION : PUBLIC;
            default:
                if (o1 >= 224 && o1 <= 239) {
                    return MULTICAST;
                }
                return o1 >= 240 ? RESERVED : PUBLIC;
        }
    }

    static IpScope ofV6(long hi, long lo) {
        if (hi == 0) {
            return lo == 1 ? LOOPBACK : RESERVED; // ::, ::1 and the deprecated IPv4-compatible space
        }
        int top16 = (int) (hi >>> 48);
        if ((top16 & 0xFFC0) == 0xFE80) {
            return LINK_LOCAL;
        }
        if ((top16 & 0xFE00) == 0xFC00) {
            return PRIVATE;
        }
        if ((top16 & 0xFF00) == 0xFF00) {
            return MULTICAST;
        }
        if ((hi >>> 32) == 0x2001_0DB8L || (top16 == 0x3FFF && ((hi >>> 44) & 0xF) == 0)) {
            return DOCUMENTATION;
        }
        if (hi == 0x0100_0000_0000_0000L) {
            return RESERVED; // 100::/64 discard-only
        }
        return (top16 & 0xE000) == 0x2000 ? PUBLIC : RESERVED;
    }
}
