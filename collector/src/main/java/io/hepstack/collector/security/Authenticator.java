package io.hepstack.collector.security;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Checks credentials: a user name and password against the users file, then LDAP when configured,
 * under the {@link LoginLimiter}; a bearer token against the users file's tokens and their expiry.
 * The one place that decides who someone is, for the API (sessions, tokens) and the admin port.
 */
public final class Authenticator {

    /** The outcome of a login attempt. */
    public sealed interface Outcome {
    }

    /** Good credentials. {@code local}: an account of the users file. */
    public record Success(User user, boolean local) implements Outcome {
    }

    /** Wrong user name or password. */
    public record Failure() implements Outcome {
    }

    /** Too many failures lately: try again after {@code retryAfter} (the password was not checked). */
    public record Limited(Duration retryAfter) implements Outcome {
    }

    private final Supplier<UserDirectory> users;
    private final LdapDirectory ldap;
    private final Passwords passwords;
    private final LoginLimiter limiter;
    private final Clock clock;

    /** @param ldap null when LDAP is off */
    public Authenticator(Supplier<UserDirectory> users, LdapDirectory ldap, Passwords passwords, LoginLimiter limiter,
                         Clock clock) {
        this.users = Objects.requireNonNull(users, "users");
        this.ldap = ldap;
        this.passwords = Objects.requireNonNull(passwords, "passwords");
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Outcome login(String username, String password, String address) {
        Optional<Duration> wait = limiter.retryAfter(username, address);
        if (wait.isPresent()) {
            return new Limited(wait.get());
        }
        Optional<UserDirectory.Account> account = directory().account(username);
        if (account.isPresent()) {
            if (passwords.matches(password, account.get().passwordHash())) {
                limiter.success(username);
                return new Success(account.get().user(), true);
            }
        } else if (ldap != null) {
            Optional<User> user = ldap.authenticate(username, password);
            if (user.isPresent()) {
                limiter.success(username);
                return new Success(user.get(), false);
            }
        } else {
            passwords.matches(password, null); // as slow as a real check: user names cannot be probed by timing
        }
        limiter.failure(username, address);
        return new Failure();
    }

    /** The user of a valid, unexpired API token. */
    public Optional<User> token(String token) {
        return directory().token(token).filter(t -> t.validAt(clock.instant())).map(UserDirectory.ApiToken::user);
    }

    /** The current version of a local account (role and scope may have changed since login), empty when removed. */
    public Optional<User> localUser(String name) {
        return directory().account(name).map(UserDirectory.Account::user);
    }

    private UserDirectory directory() {
        UserDirectory d = users.get();
        return d == null ? UserDirectory.EMPTY : d;
    }
}
