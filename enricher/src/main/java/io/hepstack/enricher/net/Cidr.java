package io.hepstack.enricher.net;

/**
 * A network given as address/prefix (or a single address). Parsing is strict: the prefix must fit
 * the family and the address must have no host bits set, because {@code 192.0.2.2/24} usually means
 * the author made a mistake and silently widening or narrowing it would list the wrong hosts.
 */
public final class Cidr {

    private final IpAddress base;
    private final int prefix;
    private final long hostMaskHi;
    private final long hostMaskLo;

    public Cidr(IpAddress base, int prefix) {
        if (base == null) {
            throw new IllegalArgumentException("base address is null");
        }
        if (prefix < 0 || prefix > base.bits()) {
            throw new IllegalArgumentException("prefix length must be 0.." + base.bits() + ": " + prefix);
        }
        if (!isNetworkAddress(base, prefix)) {
            throw new IllegalArgumentException("host bits set: " + base + "/" + prefix + " (network address would be "
                    + network(base, prefix) + "/" + prefix + ")");
        }
        this.base = base;
        this.prefix = prefix;
        long[] m = hostMask(base.isV4(), base.bits() - prefix);
        this.hostMaskHi = m[0];
        this.hostMaskLo = m[1];
    }

    /**
     * Parses {@code a.b.c.d}, {@code a.b.c.d/n}, {@code v6} or {@code v6/n}.
     *
     * @throws IllegalArgumentException with the reason when it is none of these
     */
    public static Cidr parse(String text) {
        String s = text.trim();
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        IpAddress a = IpAddress.parse(addr);
        if (a == null) {
            throw new IllegalArgumentException("not an IPv4 or IPv6 address: '" + addr + "'");
        }
        if (slash < 0) {
            return new Cidr(a, a.bits());
        }
        String p = s.substring(slash + 1);
        if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("prefix length is not a number: '" + p + "'");
        }
        int n = Integer.parseInt(p);
        if (n > a.bits()) {
            throw new IllegalArgumentException("prefix length /" + n + " is out of range for "
                    + (a.isV4() ? "IPv4 (0..32)" : "IPv6 (0..128)"));
        }
        return new Cidr(a, n);
    }

    public IpAddress base() {
        return base;
    }

    public int prefix() {
        return prefix;
    }

    public boolean isSingleAddress() {
        return prefix == base.bits();
    }

    /** Upper 64 bits of the last address of the network. */
    public long lastHi() {
        return base.hi() | hostMaskHi;
    }

    /** Lower 64 bits of the last address of the network. */
    public long lastLo() {
        return base.lo() | hostMaskLo;
    }

    public boolean contains(IpAddress a) {
        return a.isV4() == base.isV4() && (a.hi() & ~hostMaskHi) == base.hi() && (a.lo() & ~hostMaskLo) == base.lo();
    }

    private static boolean isNetworkAddress(IpAddress a, int prefix) {
        long[] m = hostMask(a.isV4(), a.bits() - prefix);
        return (a.hi() & m[0]) == 0 && (a.lo() & m[1]) == 0;
    }

    private static IpAddress network(IpAddress a, int prefix) {
        long[] m = hostMask(a.isV4(), a.bits() - prefix);
        return a.isV4() ? IpAddress.ofV4((int) (a.lo() & ~m[1])) : IpAddress.ofV6(a.hi() & ~m[0], a.lo() & ~m[1]);
    }

    /** Mask of the {@code hostBits} low bits, as (hi, lo). */
    private static long[] hostMask(boolean v4, int hostBits) {
        if (v4) {
            return new long[] {0, hostBits == 0 ? 0 : (0xFFFF_FFFFL >>> (32 - hostBits))};
        }
        if (hostBits == 0) {
            return new long[] {0, 0};
        }
        if (hostBits <= 64) {
            return new long[] {0, hostBits == 64 ? -1L : (-1L >>> (64 - hostBits))};
        }
        int h = hostBits - 64;
        return new long[] {h == 64 ? -1L : (-1L >>> (64 - h)), -1L};
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefix == prefix && c.base.equals(base);
    }

    @Override
    public int hashCode() {
        return base.hashCode() * 31 + prefix;
    }

    /** {@code base/prefix}, or just the address for a single host. */
    @Override
    public String toString() {
        return isSingleAddress() ? base.toString() : base + "/" + prefix;
    }
}
