package io.hepstack.collector.kibana;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * How to authenticate to Kibana: nothing (security off), basic auth (an Elasticsearch user), or an
 * Elasticsearch API key. Kibana accepts the same {@code Authorization} headers as Elasticsearch.
 * {@link #toString()} never shows a secret.
 */
public final class KibanaCredentials {

    private static final KibanaCredentials NONE = new KibanaCredentials(null, null);

    private final String header;
    private final String description;

    private KibanaCredentials(String header, String description) {
        this.header = header;
        this.description = description;
    }

    public static KibanaCredentials none() {
        return NONE;
    }

    public static KibanaCredentials basic(String username, String password) {
        if (username == null || username.isEmpty()) {
            throw new IllegalArgumentException("username must not be empty for basic authentication");
        }
        if (username.indexOf(':') >= 0) {
            throw new IllegalArgumentException("a basic-auth username cannot contain ':': " + username);
        }
        if (password == null) {
            throw new IllegalArgumentException("password must be set for user " + username);
        }
        String token = Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        return new KibanaCredentials("Basic " + token, "basic auth as " + username);
    }

    /** An API key as Elasticsearch returns it in {@code encoded} (base64 of {@code id:key}). */
    public static KibanaCredentials apiKey(String encodedKey) {
        if (encodedKey == null || encodedKey.isBlank()) {
            throw new IllegalArgumentException("API key must not be empty");
        }
        return new KibanaCredentials("ApiKey " + encodedKey.strip(), "API key");
    }

    /**
     * Chooses from optional settings as a command line or a config file gives them: basic auth
     * when a username is set, an API key when one is set, otherwise none; both is an error.
     */
    public static KibanaCredentials of(String username, String password, String apiKey) {
        boolean user = username != null && !username.isEmpty();
        boolean key = apiKey != null && !apiKey.isBlank();
        if (user && key) {
            throw new IllegalArgumentException("give either a username/password or an API key, not both");
        }
        if (!user && password != null && !password.isEmpty()) {
            throw new IllegalArgumentException("a password was given without a username");
        }
        if (user) {
            return basic(username, password);
        }
        return key ? apiKey(apiKey) : none();
    }

    /** The value of the {@code Authorization} header, if any. */
    public Optional<String> authorizationHeader() {
        return Optional.ofNullable(header);
    }

    @Override
    public String toString() {
        return header == null ? "no authentication" : description;
    }
}
