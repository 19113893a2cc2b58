package io.hepstack.collector.api.search;

import io.hepstack.enricher.net.IpAddress;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a quick-search text is, so the one box of the UI finds a call whatever the user pastes:
 * <ul>
 * <li>{@link Kind#IP}: an IPv4/IPv6 address or a CIDR range ({@code 10.0.0.0/8});</li>
 * <li>{@link Kind#NUMBER}: a phone number ({@code +44 20 7946-0123}, {@code 004420...}) or a SIP/tel
 * URI or user ({@code sip:alice@example.com}, {@code tel:+4930...}); {@link #user} is what is looked up;</li>
 * <li>{@link Kind#CALL_ID}: a token with an {@code @} ({@code a84b4c76e66710@pc33.atlanta.com}), or a
 * long token mixing letters and digits (UUIDs, hex ids);</li>
 * <li>{@link Kind#TEXT}: anything else (words, a user agent, a reason phrase).</li>
 * </ul>
 */
public record QuickSearch(Kind kind, String text, String user) {

    public enum Kind {
        CALL_ID, NUMBER, IP, TEXT;

        /** The name the API answers in {@code q_kind}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final Pattern PHONE = Pattern.compile("[+(]?[0-9][0-9 ().\\-]{1,40}");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~!%+\\-*'()<>:\"/\\[\\]?{}=]{12,}");
    private static final Pattern URI = Pattern.compile("(?i)(sips?|tel):([^@;>\\s]+)(@[^;>\\s]*)?.*");

    /** Recognises {@code q}; null for null or blank. */
    public static QuickSearch of(String q) {
        if (q == null || q.isBlank()) {
            return null;
        }
        String s = q.trim();
        if (isIp(s)) {
            return new QuickSearch(Kind.IP, s, null);
        }
        var uri = URI.matcher(s);
        if (uri.matches()) {
            String user = uri.group(2);
            String digits = digits(user);
            return new QuickSearch(Kind.NUMBER, s, digits != null ? digits : user);
        }
        if (PHONE.matcher(s).matches()) {
            String digits = digits(s);
            if (digits != null) {
                return new QuickSearch(Kind.NUMBER, s, digits);
            }
        }
        if (!s.contains(" ") && s.indexOf('@') > 0) {
            return new QuickSearch(Kind.CALL_ID, s, null);
        }
        if (TOKEN.matcher(s).matches() && s.chars().anyMatch(Character::isDigit) && s.chars().anyMatch(Character::isLetter)) {
            return new QuickSearch(Kind.CALL_ID, s, null);
        }
        return new QuickSearch(Kind.TEXT, s, null);
    }

    /** An address, or a CIDR range of one. */
    static boolean isIp(String s) {
        int slash = s.indexOf('/');
        if (slash > 0) {
            String bits = s.substring(slash + 1);
            if (bits.isEmpty() || bits.length() > 3 || !bits.chars().allMatch(Character::isDigit)) {
                return false;
            }
            IpAddress a = IpAddress.parse(s.substring(0, slash));
            return a != null && Integer.parseInt(bits) <= (s.indexOf(':') >= 0 ? 128 : 32);
        }
        return IpAddress.parse(s) != null;
    }

    /**
     * The number as stored: {@code +} and digits when written with a {@code +} or an international
     * {@code 00} prefix, else the digits alone; null when fewer than 3 digits.
     */
    static String digits(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                b.append(c);
            } else if ((c == '+' || c == '(') && b.isEmpty()) {
                continue;
            } else if (" ().-".indexOf(c) < 0) {
                return null;
            }
        }
        if (b.length() < 3) {
            return null;
        }
        boolean plus = s.trim().startsWith("+");
        if (!plus && b.length() > 4 && b.charAt(0) == '0' && b.charAt(1) == '0') {
            return "+" + b.substring(2);
        }
        return plus ? "+" + b : b.toString();
    }
}
