package io.hepstack.collector.fraud.rules;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Puts users in a fraud profile. Assignments are tried in file order and the first that matches wins.
 *
 * @param kind  what is compared
 * @param value the configured text (user, user@domain, domain, address/CIDR or regular expression)
 * @param line  line in the rules file (0 when built in code)
 */
public record Assignment(Kind kind, String value, int profileId, int line, Pattern regex, IpRange range) {

    public enum Kind {
        /** the SIP user, exactly */
        USER,
        /** user@domain, exactly (domain case-insensitive) */
        USER_AT_DOMAIN,
        /** the user's domain (case-insensitive) */
        DOMAIN,
        /** the call's source IP in an address or CIDR block */
        SOURCE_IP,
        /** a regular expression that must match the whole SIP user */
        USER_REGEX
    }

    public Assignment {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
        if (profileId < 0) {
            throw new IllegalArgumentException("profile must be >= 0: " + profileId);
        }
    }

    public static Assignment of(Kind kind, String value, int profileId, int line) {
        return switch (kind) {
            case USER_REGEX -> new Assignment(kind, value, profileId, line, Pattern.compile(value), null);
            case SOURCE_IP -> new Assignment(kind, value, profileId, line, null, IpRange.parse(value));
            case USER_AT_DOMAIN -> {
                int at = value.indexOf('@');
                if (at <= 0 || at == value.length() - 1) {
                    throw new IllegalArgumentException("expected user@domain: '" + value + "'");
                }
                yield new Assignment(kind, value, profileId, line, null, null);
            }
            default -> {
                if (value.isBlank()) {
                    throw new IllegalArgumentException(kind.name().toLowerCase() + " must not be empty");
                }
                yield new Assignment(kind, value, profileId, line, null, null);
            }
        };
    }
}
