package io.hepstack.enricher.number;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberToCarrierMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import com.google.i18n.phonenumbers.geocoding.PhoneNumberOfflineGeocoder;
import io.hepstack.enricher.ConfigValidation;
import io.hepstack.enricher.cache.BoundedCache;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns what SIP carries (an R-URI/To/From/PAI URI or its user part) into an e.164 analysis.
 *
 * <p>Steps: take the user part of {@code sip:}/{@code sips:} URIs (with or without {@code <>} and
 * display name) or the number of a {@code tel:} URI; percent-decode; drop RFC 3966 visual separators
 * and blanks; anything left that is not {@code +}, digits, {@code *} or {@code #} means "not a number"
 * (null — {@code alice} is not guessed at). Then the dial plan: strip one technical prefix, apply the
 * rewrite rules, replace an international prefix by {@code +}, a national trunk prefix by
 * {@code +}country code. libphonenumber then validates and types the result.
 *
 * <p>Results (also "not a number") are cached per input string, so the regex rules run once per
 * distinct number.
 */
public final class NumberAnalyzer {

    private final PhoneNumberUtil util = PhoneNumberUtil.getInstance();
    private final PhoneNumberOfflineGeocoder geocoder = PhoneNumberOfflineGeocoder.getInstance();
    private final PhoneNumberToCarrierMapper carriers = PhoneNumberToCarrierMapper.getInstance();
    private final String defaultRegion;
    private final String defaultCountryCode;
    private final List<String> internationalPrefixes;
    private final String nationalPrefix;
    private final List<String> stripPrefixes;
    private final List<Pattern> rewriteMatch = new ArrayList<>();
    private final List<String> rewriteReplace = new ArrayList<>();
    private final Locale locale;
    private final BoundedCache<String, NumberInfo> cache;
    private final java.util.function.Function<String, NumberInfo> compute = this::compute;

    /** @throws IllegalArgumentException naming the bad setting */
    public NumberAnalyzer(NumberConfig config) {
        List<String> problems = ConfigValidation.problems(config, "numbers");
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        this.defaultRegion = config.defaultRegion == null || config.defaultRegion.isBlank() ? null
                : config.defaultRegion.strip().toUpperCase(Locale.ROOT);
        this.defaultCountryCode = defaultRegion == null ? null
                : Integer.toString(util.getCountryCodeForRegion(defaultRegion));
        List<String> intl = new ArrayList<>(config.internationalPrefixes == null ? List.of() : config.internationalPrefixes);
        intl.sort(Comparator.comparingInt(String::length).reversed());
        this.internationalPrefixes = List.copyOf(intl);
        this.nationalPrefix = config.nationalPrefix == null || config.nationalPrefix.isEmpty() ? null : config.nationalPrefix;
        this.stripPrefixes = config.stripPrefixes == null ? List.of() : List.copyOf(config.stripPrefixes);
        if (config.rewriteRules != null) {
            for (RewriteRule r : config.rewriteRules) {
                rewriteMatch.add(Pattern.compile(r.match));
                rewriteReplace.add(r.replace == null ? "" : r.replace);
            }
        }
        this.locale = Locale.forLanguageTag(config.locale == null ? "en" : config.locale);
        this.cache = new BoundedCache<>(config.cacheSize);
    }

    /** Analysis of a URI or user part; null when it is not a phone number (e.g. {@code sip:alice@example.com}). */
    public NumberInfo analyze(String input) {
        if (input == null || input.isEmpty()) {
            return null;
        }
        return cache.computeIfAbsent(input, 0, compute);
    }

    public BoundedCache<String, NumberInfo> cache() {
        return cache;
    }

    private NumberInfo compute(String raw) {
        String user = userPart(raw);
        if (user == null) {
            return null;
        }
        String dialled = clean(user);
        if (dialled == null) {
            return null;
        }
        dialled = applyDialPlan(dialled);
        if (!isPlusDigits(dialled)) {
            return null; // feature codes such as *97, or rules that produced text
        }
        String international = toInternational(dialled);
        PhoneNumber pn;
        try {
            if (international != null) {
                pn = util.parse(international, "ZZ");
            } else if (defaultRegion != null) {
                pn = util.parse(dialled, defaultRegion);
            } else {
                return new NumberInfo(raw, dialled, null, null, null, "unknown", null, null, false);
            }
        } catch (NumberParseException e) {
            return new NumberInfo(raw, international != null ? international : dialled, null, null, null,
                    "unknown", null, null, false);
        }
        boolean valid = util.isValidNumber(pn);
        if (!valid && international == null) {
            // a short extension or a typo dialled nationally: inventing "+49100" would rate it as Germany
            return new NumberInfo(raw, dialled, null, null, null, "unknown", null, null, false);
        }
        String e164 = util.format(pn, PhoneNumberUtil.PhoneNumberFormat.E164);
        String region = valid ? util.getRegionCodeForNumber(pn) : null;
        String type = util.getNumberType(pn).name().toLowerCase(Locale.ROOT);
        String geo = valid ? emptyToNull(geocoder.getDescriptionForNumber(pn, locale)) : null;
        String carrier = valid ? emptyToNull(carriers.getNameForNumber(pn, locale)) : null;
        return new NumberInfo(raw, international != null ? international : dialled, e164, pn.getCountryCode(), region,
                type, geo, carrier, valid);
    }

    /** The number part of a URI, or the input itself when it has no scheme; null when there is none. */
    static String userPart(String s) {
        String t = s.strip();
        int lt = t.indexOf('<');
        if (lt >= 0) {
            int gt = t.indexOf('>', lt);
            t = t.substring(lt + 1, gt < 0 ? t.length() : gt).strip();
        }
        if (t.regionMatches(true, 0, "tel:", 0, 4)) {
            t = t.substring(4);
            int semi = t.indexOf(';');
            return semi < 0 ? t : t.substring(0, semi);
        }
        boolean sip = t.regionMatches(true, 0, "sip:", 0, 4);
        boolean sips = t.regionMatches(true, 0, "sips:", 0, 5);
        if (sip || sips) {
            t = t.substring(sips ? 5 : 4);
            int at = t.indexOf('@');
            if (at < 0) {
                return null; // sip:host has no user
            }
            t = t.substring(0, at);
        } else {
            int at = t.indexOf('@');
            if (at >= 0) {
                t = t.substring(0, at);
            }
        }
        int cut = t.length();
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == ';' || c == ':') { // user parameters (;npdi, ;isub=) or a password
                cut = i;
                break;
            }
        }
        return t.substring(0, cut);
    }

    /** Percent-decodes and drops visual separators; null when anything but +, digits, * and # remains. */
    static String clean(String user) {
        StringBuilder sb = new StringBuilder(user.length());
        for (int i = 0; i < user.length(); i++) {
            char c = user.charAt(i);
            if (c == '%' && i + 2 < user.length()) {
                int h1 = Character.digit(user.charAt(i + 1), 16);
                int h2 = Character.digit(user.charAt(i + 2), 16);
                if (h1 >= 0 && h2 >= 0) {
                    c = (char) (h1 * 16 + h2);
                    i += 2;
                }
            }
            if ((c >= '0' && c <= '9') || c == '+' || c == '*' || c == '#') {
                sb.append(c);
            } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')' && c != '/' && c != '\t') {
                return null;
            }
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    private String applyDialPlan(String s) {
        for (String p : stripPrefixes) {
            if (s.startsWith(p) && s.length() > p.length()) {
                s = s.substring(p.length());
                break;
            }
        }
        for (int i = 0; i < rewriteMatch.size(); i++) {
            s = rewriteMatch.get(i).matcher(s).replaceFirst(rewriteReplace.get(i));
        }
        return s;
    }

    private String toInternational(String s) {
        if (s.charAt(0) == '+') {
            return s;
        }
        for (String p : internationalPrefixes) {
            if (s.startsWith(p) && s.length() > p.length()) {
                return "+" + s.substring(p.length());
            }
        }
        if (nationalPrefix != null && s.startsWith(nationalPrefix) && s.length() > nationalPrefix.length()) {
            return "+" + defaultCountryCode + s.substring(nationalPrefix.length());
        }
        return null;
    }

    private static boolean isPlusDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        int start = s.charAt(0) == '+' ? 1 : 0;
        if (start == s.length()) {
            return false;
        }
        for (int i = start; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
