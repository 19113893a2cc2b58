package io.hepstack.collector.security;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dropwizard.jackson.Jackson;
import io.hepstack.enricher.reload.FileLoader;
import io.hepstack.enricher.reload.LoadException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads the users file (YAML):
 * <pre>
 * users:
 *   admin:  {password: "$2a$12$...", role: admin}
 *   alice:  {password: "$2a$12$...", role: viewer, scope: {captureIds: [2001], ipRanges: ["10.1.0.0/16"]}}
 * tokens:
 *   - {name: grafana, sha256: "9f86d0...", role: viewer, expires: "2027-01-01T00:00:00Z"}
 * </pre>
 * Passwords must be bcrypt hashes ({@code java -jar collector.jar hash-password}), token entries the
 * SHA-256 of the token ({@code new-token}). Unknown keys, duplicate names, bad roles, bad CIDR and
 * plain-text passwords are errors naming the line; the file watcher then keeps the last good version.
 */
public final class UsersFileLoader implements FileLoader<UserDirectory> {

    /** A users file is small; a huge one is a mistake (or an attack on the reload). */
    static final long MAX_BYTES = 4L << 20;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final ObjectMapper yaml;

    public UsersFileLoader() {
        yaml = Jackson.newObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    record FileModel(@JsonProperty("users") Map<String, AccountModel> users,
                     @JsonProperty("tokens") List<TokenModel> tokens) {
    }

    record AccountModel(@JsonProperty("password") String password, @JsonProperty("role") String role,
                        @JsonProperty("scope") DataScope scope) {
        AccountModel {
            if (password == null || !Passwords.BCRYPT.matcher(password).matches()) {
                throw new IllegalArgumentException("password must be a bcrypt hash ($2a$/$2b$/$2y$, from"
                        + " 'java -jar collector.jar hash-password'), never the password itself");
            }
            UsersFileLoader.role(role);
        }
    }

    record TokenModel(@JsonProperty("name") String name, @JsonProperty("sha256") String sha256,
                      @JsonProperty("role") String role, @JsonProperty("expires") Instant expires,
                      @JsonProperty("scope") DataScope scope) {
        TokenModel {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a token needs a name");
            }
            if (sha256 == null || !SHA256.matcher(sha256).matches()) {
                throw new IllegalArgumentException("token " + name + ": sha256 must be 64 lower-case hex digits"
                        + " (the SHA-256 of the token, from 'java -jar collector.jar new-token')");
            }
            UsersFileLoader.role(role);
        }
    }

    static Role role(String role) {
        if (role == null) {
            throw new IllegalArgumentException("role is missing (viewer, analyst or admin)");
        }
        try {
            return Role.of(role);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown role '" + role + "' (viewer, analyst or admin)");
        }
    }

    @Override
    public UserDirectory load(Path file) throws LoadException {
        FileModel model;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new LoadException(file, 0, "larger than " + MAX_BYTES + " bytes");
            }
            model = yaml.readValue(file.toFile(), FileModel.class);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new LoadException(file, line, reason(e), e);
        } catch (IOException e) {
            throw new LoadException(file, 0, e.toString(), e);
        }
        if (model == null) {
            throw new LoadException(file, 0, "empty (expected 'users:' and/or 'tokens:')");
        }
        Map<String, UserDirectory.Account> accounts = new LinkedHashMap<>();
        if (model.users() != null) {
            model.users().forEach((name, a) -> accounts.put(name,
                    new UserDirectory.Account(name, a.password(), role(a.role()), a.scope())));
        }
        Map<String, UserDirectory.ApiToken> tokens = new HashMap<>();
        if (model.tokens() != null) {
            for (TokenModel t : model.tokens()) {
                if (tokens.put(t.sha256(), new UserDirectory.ApiToken(t.name(), role(t.role()), t.scope(), t.expires())) != null) {
                    throw new LoadException(file, 0, "token " + t.name() + ": the same token is listed twice");
                }
            }
        }
        return new UserDirectory(accounts, tokens);
    }

    /** Jackson's message without the source dump (which would echo the file, hashes and all). */
    private static String reason(JsonProcessingException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root instanceof IllegalArgumentException ? root.getMessage() : e.getOriginalMessage();
        return m == null ? e.getClass().getSimpleName() : m.replaceAll("\\s+", " ");
    }
}
