package io.hepstack.tools.hepgen;

import io.hepstack.enricher.net.IpAddress;

import java.util.List;

/**
 * The cast of the generated traffic, fixed by the configuration: the users (number, address,
 * phone model) and the destination numbers. User {@code u} sits on caller address
 * {@code u mod n} and has the {@code (u div k)}-th variant of base number {@code u mod k};
 * variant 0 is the base number itself, so the first users are exactly the configured ones.
 */
final class TrafficDirectory {

    private static final String[] USER_AGENTS = {
        "Yealink SIP-T46S 66.86.0.15",
        "Grandstream GXP2170 1.0.11.23",
        "Cisco-CP8841/14.1.1",
        "PolycomVVX-VVX_450-UA/6.4.3.5018",
        "Zoiper rv2.10.20.1",
        "MicroSIP/3.21.3",
        "Linphone/5.2.5 (belle-sip/5.2.5)",
        "snom D785/10.1.159.12",
    };

    /**
     * One caller: an E.164 number on an IPv4 or IPv6 address with a phone; {@code host} is the
     * address as a SIP URI or Via writes it (an IPv6 one in brackets).
     */
    record User(String number, byte[] ip, String ipText, String host, int port, String userAgent) {
        boolean ipv6() {
            return ip.length == 16;
        }
    }

    private final User[] users;
    private final String[] destinations;

    TrafficDirectory(TrafficConfig c) {
        List<String> ips = c.callerIps();
        List<String> numbers = c.callerNumbers();
        users = new User[c.users()];
        for (int u = 0; u < users.length; u++) {
            String ip = ips.get(u % ips.size());
            String number = variant(numbers.get(u % numbers.size()), u / numbers.size());
            byte[] bytes = address(ip, "caller ip");
            users[u] = new User(number, bytes, ip, bytes.length == 16 ? "[" + ip + "]" : ip, 5060,
                    USER_AGENTS[u % USER_AGENTS.length]);
        }
        List<String> dest = c.destinationNumbers();
        destinations = new String[c.destinations()];
        for (int d = 0; d < destinations.length; d++) {
            destinations[d] = variant(dest.get(d % dest.size()), d / dest.size());
        }
    }

    User user(int i) {
        return users[i];
    }

    int userCount() {
        return users.length;
    }

    String destination(int i) {
        return destinations[i];
    }

    int destinationCount() {
        return destinations.length;
    }

    /**
     * The k-th variant of an E.164 number: its last four digits moved by k × 7919 (mod 10,000), so
     * the country and area prefix stay and variants 0..9999 are all different.
     */
    static String variant(String base, int k) {
        if (k == 0) {
            return base;
        }
        int cut = base.length() - 4;
        int last4 = Integer.parseInt(base.substring(cut));
        int v = (int) ((last4 + (long) k * 7919) % 10_000);
        StringBuilder sb = new StringBuilder(base.length()).append(base, 0, cut);
        String digits = Integer.toString(v);
        for (int i = digits.length(); i < 4; i++) {
            sb.append('0');
        }
        return sb.append(digits).toString();
    }

    /**
     * Parses an IPv4 (dotted quad) or IPv6 literal without brackets (no DNS) into its 4 or 16
     * bytes; anything else is an {@link IllegalArgumentException}.
     */
    static byte[] address(String ip, String what) {
        if (ip != null && ip.indexOf(':') >= 0) {
            IpAddress a = ip.startsWith("[") ? null : IpAddress.parse(ip);
            if (a == null || a.isV4()) {
                throw new IllegalArgumentException(what + " must be an IPv4 (a.b.c.d) or IPv6 (2001:db8::1) address: '"
                        + ip + "'");
            }
            return a.toBytes();
        }
        return ipv4(ip, what);
    }

    /** Parses a dotted-quad IPv4 literal (no DNS); anything else is an {@link IllegalArgumentException}. */
    static byte[] ipv4(String ip, String what) {
        if (ip == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        byte[] out = new byte[4];
        int part = 0;
        int value = -1;
        for (int i = 0; i <= ip.length(); i++) {
            char ch = i < ip.length() ? ip.charAt(i) : '.';
            if (ch >= '0' && ch <= '9') {
                value = value < 0 ? ch - '0' : value * 10 + (ch - '0');
                if (value > 255) {
                    throw new IllegalArgumentException(what + " must be an IPv4 address (a.b.c.d): '" + ip + "'");
                }
            } else if (ch == '.' && value >= 0 && part < 4) {
                out[part++] = (byte) value;
                value = -1;
            } else {
                throw new IllegalArgumentException(what + " must be an IPv4 address (a.b.c.d): '" + ip + "'");
            }
        }
        if (part != 4) {
            throw new IllegalArgumentException(what + " must be an IPv4 address (a.b.c.d): '" + ip + "'");
        }
        return out;
    }

    /** Checks an E.164 number: '+' and 7 to 15 digits. */
    static String e164(String n) {
        boolean ok = n != null && n.length() >= 8 && n.length() <= 16 && n.charAt(0) == '+' && n.charAt(1) != '0';
        for (int i = 1; ok && i < n.length(); i++) {
            ok = n.charAt(i) >= '0' && n.charAt(i) <= '9';
        }
        if (!ok) {
            throw new IllegalArgumentException("not an E.164 number (+ and 7 to 15 digits): '" + n + "'");
        }
        return n;
    }

    /** Letters, digits, '.', '-': a host name that needs no quoting in SIP. */
    static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (!(Character.isLetterOrDigit(ch) && ch < 128) && ch != '.' && ch != '-') {
                return false;
            }
        }
        return true;
    }
}
