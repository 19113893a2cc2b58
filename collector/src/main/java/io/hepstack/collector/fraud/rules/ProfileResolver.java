package io.hepstack.collector.fraud.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds a user's fraud profile: the first {@link Assignment} (in file order) that matches, else the
 * default profile. Exact kinds are hash lookups; only CIDR and regex assignments placed before the
 * best exact hit are scanned.
 */
public final class ProfileResolver {

    /** User names longer than this never match a regex assignment: an operator's regex runs on bounded input only. */
    static final int MAX_REGEX_INPUT = 256;

    /** No profile: the user gets no OpenSIPS-style counters (the other checks still run). */
    public static final int NONE = -1;

    private final List<Assignment> assignments;
    private final int defaultProfile;
    private final Map<String, Integer> users = new HashMap<>();
    private final Map<String, Integer> userAtDomains = new HashMap<>();
    private final Map<String, Integer> domains = new HashMap<>();
    private final List<Integer> scanned = new ArrayList<>(); // indexes of SOURCE_IP and USER_REGEX

    public ProfileResolver(List<Assignment> assignments, int defaultProfile) {
        this.assignments = List.copyOf(assignments);
        this.defaultProfile = defaultProfile;
        for (int i = 0; i < this.assignments.size(); i++) {
            Assignment a = this.assignments.get(i);
            switch (a.kind()) {
                case USER -> users.putIfAbsent(a.value(), i);
                case USER_AT_DOMAIN -> userAtDomains.putIfAbsent(lowerDomain(a.value()), i);
                case DOMAIN -> domains.putIfAbsent(a.value().toLowerCase(Locale.ROOT), i);
                default -> scanned.add(i);
            }
        }
    }

    /** Profile id for the user, or {@link #NONE}. Any argument may be null. */
    public int resolve(String user, String domain, String sourceIp) {
        int best = Integer.MAX_VALUE;
        if (user != null) {
            best = min(best, users.get(user));
            if (domain != null && !userAtDomains.isEmpty()) {
                best = min(best, userAtDomains.get(user + '@' + domain.toLowerCase(Locale.ROOT)));
            }
        }
        if (domain != null && !domains.isEmpty()) {
            best = min(best, domains.get(domain.toLowerCase(Locale.ROOT)));
        }
        byte[] ip = null;
        boolean ipParsed = false;
        for (int k = 0; k < scanned.size(); k++) {
            int i = scanned.get(k);
            if (i >= best) {
                break;
            }
            Assignment a = assignments.get(i);
            if (a.kind() == Assignment.Kind.SOURCE_IP) {
                if (!ipParsed) {
                    ip = IpRange.parseAddress(sourceIp);
                    ipParsed = true;
                }
                if (a.range().contains(ip)) {
                    best = i;
                    break;
                }
            } else if (user != null && user.length() <= MAX_REGEX_INPUT && a.regex().matcher(user).matches()) {
                best = i;
                break;
            }
        }
        return best == Integer.MAX_VALUE ? defaultProfile : assignments.get(best).profileId();
    }

    public List<Assignment> assignments() {
        return assignments;
    }

    public int defaultProfile() {
        return defaultProfile;
    }

    private static int min(int best, Integer candidate) {
        return candidate != null && candidate < best ? candidate : best;
    }

    private static String lowerDomain(String userAtDomain) {
        int at = userAtDomain.indexOf('@');
        return userAtDomain.substring(0, at + 1) + userAtDomain.substring(at + 1).toLowerCase(Locale.ROOT);
    }
}
