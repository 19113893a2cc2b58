package io.hepstack.enricher.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 address as two longs: cheap to compare, hash and range-check, usable as a cache key.
 *
 * <p>IPv4 addresses keep their 32 bits in {@link #lo()} ({@code hi() == 0}). IPv4-mapped IPv6
 * addresses ({@code ::ffff:a.b.c.d}) are turned into the IPv4 address they carry, so one lookup
 * table serves both spellings. Parsing never resolves names and never throws: anything that is not
 * an address literal gives {@code null}.
 */
public final class IpAddress {

    private final long hi;
    private final long lo;
    private final boolean v4;

    private IpAddress(long hi, long lo, boolean v4) {
        this.hi = hi;
        this.lo = lo;
        this.v4 = v4;
    }

    public static IpAddress ofV4(int address) {
        return new IpAddress(0, address & 0xFFFF_FFFFL, true);
    }

    public static IpAddress ofV6(long hi, long lo) {
        if (hi == 0 && (lo >>> 32) == 0xFFFFL) {
            return ofV4((int) lo);
        }
        return new IpAddress(hi, lo, false);
    }

    /** From 4 or 16 network-order bytes; null for any other length. */
    public static IpAddress of(byte[] address) {
        if (address == null) {
            return null;
        }
        if (address.length == 4) {
            return ofV4(((address[0] & 0xFF) << 24) | ((address[1] & 0xFF) << 16)
                    | ((address[2] & 0xFF) << 8) | (address[3] & 0xFF));
        }
        if (address.length == 16) {
            long h = 0;
            long l = 0;
            for (int i = 0; i < 8; i++) {
                h = (h << 8) | (address[i] & 0xFF);
                l = (l << 8) | (address[i + 8] & 0xFF);
            }
            return ofV6(h, l);
        }
        return null;
    }

    /** Parses an address literal; null when {@code s} is not one. */
    public static IpAddress parse(CharSequence s) {
        if (s == null) {
            return null;
        }
        return parse(s, 0, s.length());
    }

    /**
     * Parses {@code s[from, to)}. Accepts dotted IPv4 (no leading zeros, which some tools read as
     * octal), IPv6 in any RFC 4291 spelling (with {@code ::} and a trailing dotted quad), in
     * brackets, with a {@code %zone} that is ignored.
     */
    public static IpAddress parse(CharSequence s, int from, int to) {
        if (s == null || from < 0 || to > s.length() || from >= to) {
            return null;
        }
        if (s.charAt(from) == '[') {
            if (s.charAt(to - 1) != ']') {
                return null;
            }
            from++;
            to--;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == ':') {
                return parseV6(s, from, to);
            }
            if (c == '%') {
                return null;
            }
        }
        long v = parseV4(s, from, to);
        return v < 0 ? null : ofV4((int) v);
    }

    /** The 32-bit value, or -1 when not a dotted quad. */
    static long parseV4(CharSequence s, int from, int to) {
        long result = 0;
        int parts = 0;
        int i = from;
        while (i <= to) {
            int start = i;
            int value = 0;
            while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                value = value * 10 + (s.charAt(i) - '0');
                if (value > 255) {
                    return -1;
                }
                i++;
            }
            int len = i - start;
            if (len == 0 || (len > 1 && s.charAt(start) == '0')) {
                return -1;
            }
            result = (result << 8) | value;
            parts++;
            if (i == to) {
                break;
            }
            if (s.charAt(i) != '.' || parts == 4) {
                return -1;
            }
            i++;
        }
        return parts == 4 ? result : -1;
    }

    private static IpAddress parseV6(CharSequence s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == '%') { // zone id: not part of the address
                to = i;
                break;
            }
        }
        int[] groups = new int[8];
        int count = 0;
        int gap = -1; // index in groups where "::" stands
        int i = from;
        if (to - from >= 2 && s.charAt(i) == ':' && s.charAt(i + 1) == ':') {
            gap = 0;
            i += 2;
            if (i == to) {
                return ofV6(0, 0);
            }
        } else if (s.charAt(i) == ':') {
            return null;
        }
        while (i < to) {
            int start = i;
            int value = 0;
            while (i < to && hex(s.charAt(i)) >= 0 && i - start < 5) {
                value = (value << 4) | hex(s.charAt(i));
                i++;
            }
            if (i < to && s.charAt(i) == '.') { // trailing dotted quad
                if (count > 6) {
                    return null;
                }
                long v4 = parseV4(s, start, to);
                if (v4 < 0) {
                    return null;
                }
                groups[count++] = (int) (v4 >>> 16);
                groups[count++] = (int) (v4 & 0xFFFF);
                i = to;
                break;
            }
            int len = i - start;
            if (len == 0 || len > 4 || count == 8) {
                return null;
            }
            groups[count++] = value;
            if (i == to) {
                break;
            }
            if (s.charAt(i) != ':') {
                return null;
            }
            i++;
            if (i < to && s.charAt(i) == ':') {
                if (gap >= 0) {
                    return null; // "::" twice
                }
                gap = count;
                i++;
                if (i == to) {
                    break;
                }
            } else if (i == to) {
                return null; // trailing single ':'
            }
        }
        if (gap < 0 && count != 8) {
            return null;
        }
        if (gap >= 0) {
            if (count == 8) {
                return null; // "::" must stand for at least one group
            }
            int move = count - gap;
            System.arraycopy(groups, gap, groups, 8 - move, move);
            for (int k = gap; k < 8 - move; k++) {
                groups[k] = 0;
            }
        }
        long h = 0;
        long l = 0;
        for (int k = 0; k < 4; k++) {
            h = (h << 16) | groups[k];
            l = (l << 16) | groups[k + 4];
        }
        return ofV6(h, l);
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    public boolean isV4() {
        return v4;
    }

    /** Upper 64 bits (IPv6), 0 for IPv4. */
    public long hi() {
        return hi;
    }

    /** Lower 64 bits (IPv6), or the 32-bit IPv4 value. */
    public long lo() {
        return lo;
    }

    /** 32 for IPv4, 128 for IPv6. */
    public int bits() {
        return v4 ? 32 : 128;
    }

    public byte[] toBytes() {
        if (v4) {
            return new byte[] {(byte) (lo >>> 24), (byte) (lo >>> 16), (byte) (lo >>> 8), (byte) lo};
        }
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (hi >>> (56 - 8 * i));
            b[i + 8] = (byte) (lo >>> (56 - 8 * i));
        }
        return b;
    }

    /** The JDK form, built from the bytes (no name lookup). */
    public InetAddress toInetAddress() {
        try {
            return InetAddress.getByAddress(toBytes());
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always accepted", e);
        }
    }

    public IpScope scope() {
        return IpScope.of(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpAddress a && a.hi == hi && a.lo == lo && a.v4 == v4;
    }

    @Override
    public int hashCode() {
        long h = hi * 0x9E3779B97F4A7C15L ^ lo;
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        return (int) (h ^ (h >>> 32)) ^ (v4 ? 1 : 0);
    }

    /** Dotted quad, or the RFC 5952 canonical IPv6 text (lower case, longest zero run as "::"). */
    @Override
    public String toString() {
        if (v4) {
            return (lo >>> 24) + "." + ((lo >>> 16) & 0xFF) + "." + ((lo >>> 8) & 0xFF) + "." + (lo & 0xFF);
        }
        int[] g = new int[8];
        for (int k = 0; k < 4; k++) {
            g[k] = (int) ((hi >>> (48 - 16 * k)) & 0xFFFF);
            g[k + 4] = (int) ((lo >>> (48 - 16 * k)) & 0xFFFF);
        }
        int bestStart = -1;
        int bestLen = 1; // a single zero group is not shortened (RFC 5952 4.2.2)
        for (int k = 0; k < 8; ) {
            if (g[k] != 0) {
                k++;
                continue;
            }
            int start = k;
            while (k < 8 && g[k] == 0) {
                k++;
            }
            if (k - start > bestLen) {
                bestLen = k - start;
                bestStart = start;
            }
        }
        StringBuilder sb = new StringBuilder(39);
        for (int k = 0; k < 8; k++) {
            if (k == bestStart) {
                sb.append("::");
                k += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[k]));
        }
        return sb.toString();
    }
}
