package io.hepstack.collector.security;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
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

    /** The file as written; checked after binding so every mistake can name its entry's line. */
    static final class FileModel {
        @JsonProperty
        Map<String, AccountModel> users;
        @JsonProperty
        List<TokenModel> tokens;
    }

    static final class AccountModel {
        @JsonProperty
        String password;
        @JsonProperty
        String role;
        @JsonProperty
        DataScope scope;
    }

    static final class TokenModel {
        @JsonProperty
        String name;
        @JsonProperty
        String sha256;
        @JsonProperty
        String role;
        @JsonProperty
        Instant expires;
        @JsonProperty
        DataScope scope;
    }

    private static UserDirectory.Account account(String name, AccountModel a) {
        if (a == null) {
            throw new IllegalArgumentException("user " + name + " has no password and role");
        }
        if (a.password == null || !Passwords.BCRYPT.matcher(a.password).matches()) {
            throw new IllegalArgumentException("user " + name + ": password must be a bcrypt hash ($2a$/$2b$/$2y$, from"
                    + " 'java -jar collector.jar hash-password'), never the password itself");
        }
        return new UserDirectory.Account(name, a.password, role(a.role), a.scope);
    }

    private static UserDirectory.ApiToken token(TokenModel t) {
        if (t == null || t.name == null || t.name.isBlank()) {
            throw new IllegalArgumentException("a token needs a name");
        }
        if (t.sha256 == null || !SHA256.matcher(t.sha256).matches()) {
            throw new IllegalArgumentException("token " + t.name + ": sha256 must be 64 lower-case hex digits"
                    + " (the SHA-256 of the token, from 'java -jar collector.jar new-token')");
        }
        return new UserDirectory.ApiToken(t.name, role(t.role), t.scope, t.expires);
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
        } catch (ValueInstantiationException e) { // an entry's own check failed: name the entry's line
            throw new LoadException(file, entryLine(file, e.getPath(), e.getLocation() == null ? 0 : e.getLocation().getLineNr()),
                    reason(e), e);
        } catch (UnrecognizedPropertyException e) { // Jackson points at the value; name the key's line
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new LoadException(file, keyLine(file, e.getPropertyName(), line), reason(e), e);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new LoadException(file, line, reason(e), e);
        } catch (IOException e) {
            throw new LoadException(file, 0, e.toString(), e);
        }
        if (model == null || (model.users == null && model.tokens == null)) {
            throw new LoadException(file, 0, "empty (expected 'users:' and/or 'tokens:')");
        }
        Map<String, UserDirectory.Account> accounts = new LinkedHashMap<>();
        if (model.users != null) {
            for (Map.Entry<String, AccountModel> e : model.users.entrySet()) {
                try {
                    accounts.put(e.getKey(), account(e.getKey(), e.getValue()));
                } catch (IllegalArgumentException bad) {
                    throw new LoadException(file, entryLine(file, "users", e.getKey(), -1, 0), bad.getMessage());
                }
            }
        }
        Map<String, UserDirectory.ApiToken> tokens = new HashMap<>();
        if (model.tokens != null) {
            for (int i = 0; i < model.tokens.size(); i++) {
                try {
                    UserDirectory.ApiToken t = token(model.tokens.get(i));
                    if (tokens.put(model.tokens.get(i).sha256, t) != null) {
                        throw new IllegalArgumentException("token " + t.name() + ": the same token is listed twice");
                    }
                } catch (IllegalArgumentException bad) {
                    throw new LoadException(file, entryLine(file, "tokens", null, i, 0), bad.getMessage());
                }
            }
        }
        return new UserDirectory(accounts, tokens);
    }

    /**
     * The line where the user or token entry that {@code path} points into begins (Jackson reports
     * the end of the entry), or {@code fallback}.
     */
    private static int entryLine(Path file, List<JsonMappingException.Reference> path, int fallback) {
        if (path.size() < 2) {
            return fallback;
        }
        return entryLine(file, path.get(0).getFieldName(), path.get(1).getFieldName(), path.get(1).getIndex(), fallback);
    }

    /** The line of user {@code name} (or of token number {@code index}) in {@code section}, or {@code fallback}. */
    private static int entryLine(Path file, String section, String name, int index, int fallback) {
        try {
            List<String> lines = Files.readAllLines(file);
            int start = -1;
            for (int i = 0; i < lines.size() && start < 0; i++) {
                if (lines.get(i).startsWith(section + ":")) {
                    start = i;
                }
            }
            int seen = 0;
            for (int i = start + 1; start >= 0 && i < lines.size(); i++) {
                String l = lines.get(i);
                if (!l.isEmpty() && !Character.isWhitespace(l.charAt(0)) && !l.startsWith("-") && !l.startsWith("#")) {
                    break; // the next section
                }
                String t = l.trim();
                if (name != null ? t.matches("[\"']?" + Pattern.quote(name) + "[\"']?\\s*:.*")
                        : t.startsWith("-") && seen++ == index) {
                    return i + 1;
                }
            }
        } catch (IOException e) {
            // fall back
        }
        return fallback;
    }

    /** The last line at or before {@code reported} that holds {@code key:}, else {@code reported}. */
    private static int keyLine(Path file, String key, int reported) {
        try {
            List<String> lines = Files.readAllLines(file);
            Pattern p = Pattern.compile("(^|[\\s{,-])[\"']?" + Pattern.quote(key) + "[\"']?\\s*:");
            for (int i = Math.min(reported, lines.size()) - 1; i >= 0; i--) {
                if (p.matcher(lines.get(i)).find()) {
                    return i + 1;
                }
            }
        } catch (IOException e) {
            // fall back
        }
        return reported;
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
