package io.hepstack.collector.fraud;

import com.fasterxml.jackson.annotation.JsonIgnore;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where and how {@link WebhookNotifier} posts alerts. Missing values get their defaults, so it binds
 * from YAML/JSON with only {@code endpoints} set. What is allowed is said by Bean Validation
 * annotations: Dropwizard checks them at start-up (file and line), {@link WebhookNotifier} when built.
 *
 * @param queueCapacity        alerts waiting per endpoint; when full, new alerts are dropped (counted)
 * @param connectTimeoutMillis TCP/TLS connect timeout
 * @param requestTimeoutMillis whole-request timeout of one attempt
 * @param maxRetries           attempts after the first, on I/O errors, timeouts, 408, 429 and 5xx
 * @param initialBackoffMillis wait before the first retry, doubled each time up to {@code maxBackoffMillis}
 * @param sendUpdates          also post later versions of an alert (higher count); default: only new alerts
 * @param closeTimeoutMillis   how long {@link WebhookNotifier#close()} lets queued alerts drain
 */
public record WebhookConfig(List<@NotNull(message = "is empty") @Valid Endpoint> endpoints,
                            @Positive Integer queueCapacity,
                            @Positive Long connectTimeoutMillis,
                            @Positive Long requestTimeoutMillis,
                            @PositiveOrZero Integer maxRetries,
                            @Positive Long initialBackoffMillis,
                            @Positive Long maxBackoffMillis,
                            Boolean sendUpdates,
                            @Positive Long closeTimeoutMillis) {

    /**
     * @param url         http or https URL
     * @param headers     extra request headers, e.g. {@code Authorization: Bearer ...}
     * @param minSeverity lowest severity posted here (default warning)
     */
    public record Endpoint(@NotBlank(message = "is required") String url, Map<String, String> headers, String minSeverity) {
        public Endpoint {
            headers = headers == null ? Map.of() : Map.copyOf(headers);
            minSeverity = minSeverity == null ? "warning" : Severity.parse(minSeverity).code();
        }

        /** An http(s) URL with a host. */
        @JsonIgnore
        @AssertTrue(message = "is not an http(s)://host/... URL")
        public boolean isHttpUrl() {
            if (url == null || url.isBlank()) {
                return true; // @NotBlank says so
            }
            try {
                URI u = URI.create(url.trim());
                String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
                return (scheme.equals("http") || scheme.equals("https")) && u.getHost() != null;
            } catch (IllegalArgumentException e) {
                return false;
            }
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

        /**
         * The URL as logs may show it: scheme, host and port only; the path and query of a webhook
         * (Slack, Teams ...) are its secret.
         */
        public String redacted() {
            try {
                URI u = uri();
                return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort()) + "/****";
            } catch (IllegalArgumentException e) {
                return "(unparseable URL)";
            }
        }

        /** Never the URL's path or a header value (Authorization tokens). */
        @Override
        public String toString() {
            return "Endpoint[" + redacted() + ", headers=" + headers.keySet() + ", minSeverity=" + minSeverity + "]";
        }
    }

    /** Missing values get their defaults; the constraints (Bean Validation) are checked by whoever binds it. */
    public WebhookConfig {
        // a copy that may hold null (a "- " in YAML), which validation then reports
        endpoints = endpoints == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(endpoints));
        queueCapacity = queueCapacity == null ? 1000 : queueCapacity;
        connectTimeoutMillis = connectTimeoutMillis == null ? 2000L : connectTimeoutMillis;
        requestTimeoutMillis = requestTimeoutMillis == null ? 5000L : requestTimeoutMillis;
        maxRetries = maxRetries == null ? 3 : maxRetries;
        initialBackoffMillis = initialBackoffMillis == null ? 500L : initialBackoffMillis;
        maxBackoffMillis = maxBackoffMillis == null ? 30_000L : maxBackoffMillis;
        sendUpdates = sendUpdates != null && sendUpdates;
        closeTimeoutMillis = closeTimeoutMillis == null ? 5000L : closeTimeoutMillis;
    }

    /** Defaults for everything but the endpoints. */
    public static WebhookConfig of(Endpoint... endpoints) {
        return new WebhookConfig(List.of(endpoints), null, null, null, null, null, null, null, null);
    }
}
