package io.hepstack.collector.security;

/** How a secret appears in toString() and logs: whether it is set, never what it is. */
public final class Secrets {

    private Secrets() {
    }

    public static String mask(String secret) {
        return secret == null || secret.isEmpty() ? "(none)" : "****";
    }
}
