package io.hepstack.collector.security;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Password hashing: bcrypt (Spring Security's encoder, cost 12), so a stolen users file costs an
 * attacker about a quarter of a second per guess per core. Checking an unknown user still runs one
 * bcrypt comparison, so the answer time does not tell which user names exist.
 */
public final class Passwords {

    /** bcrypt hashes as written by htpasswd -B, Spring, Python's bcrypt ... */
    static final java.util.regex.Pattern BCRYPT = java.util.regex.Pattern.compile("\\$2[aby]?\\$\\d\\d\\$[./A-Za-z0-9]{53}");

    private static final SecureRandom RANDOM = new SecureRandom();
    private final BCryptPasswordEncoder encoder;
    private final String dummyHash;

    public Passwords() {
        this(12);
    }

    /** @param cost bcrypt cost (log2 rounds); tests use a low one */
    public Passwords(int cost) {
        this.encoder = new BCryptPasswordEncoder(cost, RANDOM);
        this.dummyHash = encoder.encode(randomSecret(16));
    }

    public String hash(CharSequence password) {
        return encoder.encode(password);
    }

    /** True when {@code password} matches {@code hash}; a null hash (no such user) costs as much and is false. */
    public boolean matches(CharSequence password, String hash) {
        if (password == null) {
            return false;
        }
        if (hash == null) {
            encoder.matches(password, dummyHash);
            return false;
        }
        return encoder.matches(password, hash);
    }

    /** A random secret of {@code bytes} bytes, URL-safe base64 without padding. */
    public static String randomSecret(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
