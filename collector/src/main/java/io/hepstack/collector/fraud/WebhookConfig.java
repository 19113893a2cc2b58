package io.hepstack.collector.fraud;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where and how {@link WebhookNotifier} posts alerts. Missing values get their defaults, so it binds
 * from YAML/JSON with only {@code endpoints} set.
 *
 * @param queueCapacity        alerts waiting per endpoint; when full, new alerts are dropped (counted)
 * @param connectTimeoutMillis TCP/TLS connect timeout
 * @param requestTimeoutMillis whole-request timeout of one attempt
 * @param maxRetries           attempts after the first, on I/O errors, timeouts, 408, 429 and 5xx
 * @param initialBackoffMillis wait before the first retry, doubled each time up to {@code maxBackoffMillis}
 * @param sendUpdates          also post later versions of an alert (higher count); default: only new alerts
 * @param closeTimeoutMillis   how long {@link WebhookNotifier#close()} lets queued alerts drain
 */
public record WebhookConfig(List<Endpoint> endpoints, Integer queueCapacity, Long connectTimeoutMillis,
                            Long requestTimeoutMillis, Integer maxRetries, Long initialBackoffMillis,
                            Long maxBackoffMillis, Boolean sendUpdates, Long closeTimeoutMillis) {

    /**
     * @param url         http or https URL
     * @param headers     extra request headers, e.g. {@code Authorization: Bearer ...}
     * @param minSeverity lowest severity posted here (default warning)
     */
    public record Endpoint(String url, Map<String, String> headers, String minSeverity) {
        public Endpoint {
            if (url == null || url.isBlank()) {
                throw new IllegalArgumentException("webhook url is required");
            }
            URI u;
            try {
                u = URI.create(url.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad webhook url '" + url + "': " + e.getMessage());
            }
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null) {
                throw new IllegalArgumentException("webhook url must be http(s)://host/...: '" + url + "'");
            }
            headers = headers == null ? Map.of() : Map.copyOf(headers);
            minSeverity = minSeverity == null ? "warning" : Severity.parse(minSeverity).code();
        }

        public Endpoint(String url) {
            this(url, Map.of(), null);
        }

        public URI uri() {
            return URI.create(url.trim());
        }

        public Severity severity() {
            return Severity.parse(minSeverity);
        }
    }

    public WebhookConfig {
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
        queueCapacity = positive("queueCapacity", queueCapacity, 1000);
        connectTimeoutMillis = positive("connectTimeoutMillis", connectTimeoutMillis, 2000L);
        requestTimeoutMillis = positive("requestTimeoutMillis", requestTimeoutMillis, 5000L);
        maxRetries = maxRetries == null ? 3 : maxRetries;
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be >= 0: " + maxRetries);
        }
        initialBackoffMillis = positive("initialBackoffMillis", initialBackoffMillis, 500L);
        maxBackoffMillis = positive("maxBackoffMillis", maxBackoffMillis, 30_000L);
        sendUpdates = sendUpdates != null && sendUpdates;
        closeTimeoutMillis = positive("closeTimeoutMillis", closeTimeoutMillis, 5000L);
    }

    /** Defaults for everything but the endpoints. */
    public static WebhookConfig of(Endpoint... endpoints) {
        return new WebhookConfig(List.of(endpoints), null, null, null, null, null, null, null, null);
    }

    private static Integer positive(String name, Integer v, int def) {
        if (v == null) {
            return def;
        }
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be > 0: " + v);
        }
        return v;
    }

    private static Long positive(String name, Long v, long def) {
        if (v == null) {
            return def;
        }
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be > 0: " + v);
        }
        return v;
    }
}
