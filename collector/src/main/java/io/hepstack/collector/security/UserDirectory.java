package io.hepstack.collector.security;

import io.hepstack.enricher.reload.Sized;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One version of the users file: local accounts (bcrypt hashes) and API tokens (SHA-256 of the
 * token: tokens are long random secrets, so a fast hash is enough and lookups stay O(1)).
 * Immutable; {@link UsersFileLoader} builds it and the file watcher swaps it.
 */
public final class UserDirectory implements Sized {

    /** A local account. */
    public record Account(String name, String passwordHash, Role role, DataScope scope) {
        public Account {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(role, "role");
            scope = scope == null ? DataScope.UNRESTRICTED : scope;
        }

        public User user() {
            return new User(name, role, scope);
        }

        @Override
        public String toString() {
            return "Account[" + name + ", " + role.id() + "]"; // never the hash
        }
    }

    /** An API token for automation; expires at {@code expires} (null: never). */
    public record ApiToken(String name, Role role, DataScope scope, Instant expires) {
        public ApiToken {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(role, "role");
            scope = scope == null ? DataScope.UNRESTRICTED : scope;
        }

        public boolean validAt(Instant now) {
            return expires == null || now.isBefore(expires);
        }

        public User user() {
            return new User(name, role, scope);
        }
    }

    public static final UserDirectory EMPTY = new UserDirectory(Map.of(), Map.of());

    private final Map<String, Account> accounts;
    private final Map<String, ApiToken> tokensByHash;

    public UserDirectory(Map<String, Account> accounts, Map<String, ApiToken> tokensByHash) {
        this.accounts = Map.copyOf(accounts);
        this.tokensByHash = Map.copyOf(tokensByHash);
    }

    public Optional<Account> account(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(accounts.get(name));
    }

    /** The token whose SHA-256 is that of {@code token}, expired or not. */
    public Optional<ApiToken> token(String token) {
        return token == null ? Optional.empty() : Optional.ofNullable(tokensByHash.get(tokenHash(token)));
    }

    public Map<String, Account> accounts() {
        return accounts;
    }

    @Override
    public long size() {
        return accounts.size() + tokensByHash.size();
    }

    /** Hex SHA-256 of a token, as the users file stores it. */
    public static String tokenHash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
