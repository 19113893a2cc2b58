package io.hepstack.collector.kibana;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The {@code kibana:} section of the collector's configuration, ready to bind with Jackson:
 *
 * <pre>
 * kibana:
 *   url: http://kibana:5601        # absent or empty: no start-up import
 *   space: default
 *   username: elastic              # or apiKey: ...
 *   password: ...
 *   caCertificate: /etc/hepstack/ca.pem
 *   giveUpAfter: 10 minutes        # how long to wait for Kibana to come up
 *   retryEvery: 5 seconds
 * </pre>
 *
 * {@link #buildImporter()} turns it into the {@link KibanaImporter} to register as a managed object.
 */
public class KibanaSettings {

    @JsonProperty
    private String url;

    @JsonProperty
    private String space = KibanaClient.DEFAULT_SPACE;

    @JsonProperty
    private String username;

    @JsonProperty
    private String password;

    @JsonProperty
    private String apiKey;

    @JsonProperty
    private Path caCertificate;

    @JsonProperty
    private Duration giveUpAfter = Duration.minutes(10);

    @JsonProperty
    private Duration retryEvery = Duration.seconds(5);

    /** Never the password or the API key. */
    @Override
    public String toString() {
        return "KibanaSettings[url=" + url + ", username=" + username
                + ", password=" + (password == null || password.isEmpty() ? "(none)" : "****")
                + ", apiKey=" + (apiKey == null || apiKey.isEmpty() ? "(none)" : "****") + "]";
    }

    /** True when a Kibana URL is configured, i.e. the dashboards should be imported at start-up. */
    public boolean enabled() {
        return url != null && !url.isBlank();
    }

    public String url() {
        return url;
    }

    public String space() {
        return space;
    }

    /**
     * The start-up importer for the packaged dashboards.
     *
     * @throws IllegalStateException    when no URL is configured (check {@link #enabled()} first)
     * @throws IllegalArgumentException when a setting is invalid, naming it and its value
     */
    public KibanaImporter buildImporter() throws IOException {
        if (!enabled()) {
            throw new IllegalStateException("kibana.url is not set: there is no Kibana to import into");
        }
        KibanaClient client = KibanaClient.builder(url)
                .space(space)
                .credentials(KibanaCredentials.of(username, password, apiKey))
                .caCertificate(caCertificate)
                .build();
        return new KibanaImporter(client, SavedObjectsFile.packaged(), giveUpAfter.toJavaDuration(),
                retryEvery.toJavaDuration());
    }
}
