package io.hepstack.collector.es;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import io.hepstack.collector.es.EmbeddedElasticsearch;
import io.hepstack.collector.index.BulkIndexer;
import io.hepstack.collector.index.TemplateInstaller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where documents go: an Elasticsearch the collector runs itself, or an existing cluster. */
public class ElasticsearchConfig {

    public enum Mode {
        embedded, external
    }

    @JsonProperty
    @NotNull
    public Mode mode = Mode.embedded;

    /** external mode: node URLs, e.g. https://es1:9200 */
    @JsonProperty
    public List<String> hosts = new ArrayList<>(List.of("http://127.0.0.1:9200"));

    @JsonProperty
    public String username;
    @JsonProperty
    public String password;
    /** Base64 "id:key" API key, sent as "Authorization: ApiKey ...". */
    @JsonProperty
    public String apiKey;
    /** PEM file of the CA that signed the cluster's certificate. */
    @JsonProperty
    public String caCertificate;

    /**
     * Gzip the bulk and other request bodies (the REST client's compression): about 12 times fewer
     * bytes on the wire for about 11 µs of CPU per message document (bench/README.md, "Request
     * compression"). Off by default: on loopback and a gigabit LAN the bytes are not the limit.
     */
    @JsonProperty
    public boolean compression;

    /** Never the password or the API key. */
    @Override
    public String toString() {
        return "ElasticsearchConfig[mode=" + mode + ", hosts=" + hosts + ", username=" + username
                + ", password=" + (password == null || password.isEmpty() ? "(none)" : "****")
                + ", apiKey=" + (apiKey == null || apiKey.isEmpty() ? "(none)" : "****") + ", compression=" + compression + "]";
    }

    @JsonProperty
    @Valid
    @NotNull
    public Embedded embedded = new Embedded();

    @JsonProperty
    @Valid
    @NotNull
    public Templates templates = new Templates();

    @JsonProperty
    @Valid
    @NotNull
    public Bulk bulk = new Bulk();

    @JsonProperty
    @Valid
    @NotNull
    public Spool spool = new Spool();

    @JsonProperty
    @Valid
    @NotNull
    public Retention retention = new Retention();

    /** How long each index family is kept; the collector deletes older daily indices (see es/Retention). */
    public static class Retention {
        @JsonProperty
        public boolean enabled = true;
        /** Days to keep per family; families not listed keep {@link #defaultDays}. */
        @JsonProperty
        @NotNull
        public java.util.Map<String, Integer> days = new java.util.LinkedHashMap<>(java.util.Map.of(
                "sip", 7, "rtcp", 7, "rtcpxr", 30, "log", 7, "dns", 7, "tdr", 90, "alert", 365, "deadletter", 30));
        @JsonProperty
        @Min(1)
        public int defaultDays = 30;
        @JsonProperty
        @NotNull
        public Duration interval = Duration.hours(1);
    }

    /** embedded mode: the local single-node Elasticsearch. */
    public static class Embedded {
        /** The integ-test-zip; default: elasticsearch-*.zip next to collector.jar. */
        @JsonProperty
        public String distribution;
        @JsonProperty
        @NotEmpty
        public String dataDir = "./data/elasticsearch";
        /** 0 = any free port. */
        @JsonProperty
        @Min(0)
        public int httpPort = 9200;
        @JsonProperty
        @NotEmpty
        public String heap = "512m";
        /** The unprivileged user Elasticsearch runs as when the collector runs as root. */
        @JsonProperty
        public String user = "hepstack-es";
        @JsonProperty
        @NotNull
        public Duration startTimeout = Duration.seconds(180);

        public EmbeddedElasticsearch.Settings settings() {
            return new EmbeddedElasticsearch.Settings(distributionPath(), Path.of(dataDir), httpPort, heap, user,
                    java.time.Duration.ofMillis(startTimeout.toMilliseconds()), List.of());
        }

        Path distributionPath() {
            if (distribution != null && !distribution.isBlank()) {
                return Path.of(distribution);
            }
            List<Path> candidates = new ArrayList<>();
            try {
                Path jar = Path.of(ElasticsearchConfig.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                candidates.add(jar.getParent());
            } catch (Exception ignored) {
                // running from classes: fall through to the build folder
            }
            candidates.add(Path.of("collector/target"));
            candidates.add(Path.of("target"));
            for (Path dir : candidates) {
                if (dir == null || !Files.isDirectory(dir)) {
                    continue;
                }
                try (var s = Files.list(dir)) {
                    var zip = s.filter(p -> p.getFileName().toString().matches("elasticsearch-\\d+\\.\\d+\\.\\d+\\.zip")).findFirst();
                    if (zip.isPresent()) {
                        return zip.get();
                    }
                } catch (Exception ignored) {
                    // try the next folder
                }
            }
            return Path.of("collector/target/elasticsearch.zip"); // not there: start() says how to get it
        }
    }

    /** Index templates installed at start-up. */
    public static class Templates {
        @JsonProperty
        public boolean install = true;
        @JsonProperty
        @Min(1)
        public int shards = 1;
        @JsonProperty
        @Min(0)
        public int replicas = 0;
        @JsonProperty
        public String refreshInterval = "5s";

        public TemplateInstaller.IndexSettings settings() {
            return new TemplateInstaller.IndexSettings(shards, replicas, refreshInterval);
        }
    }

    /** Bulk requests. */
    public static class Bulk {
        @JsonProperty
        @Min(1)
        public int maxActions = 5000;
        @JsonProperty
        @NotNull
        public DataSize maxSize = DataSize.megabytes(5);
        @JsonProperty
        @NotNull
        public Duration flushInterval = Duration.seconds(1);
        @JsonProperty
        @Min(1)
        public int concurrentRequests = 2;
        @JsonProperty
        @Min(0)
        public int maxRetries = 5;
        @JsonProperty
        @NotNull
        public Duration initialBackoff = Duration.milliseconds(200);
        @JsonProperty
        @NotNull
        public Duration maxBackoff = Duration.seconds(10);

        public BulkIndexer.Settings settings(Duration replayInterval) {
            return new BulkIndexer.Settings(maxActions, maxSize.toBytes(),
                    java.time.Duration.ofMillis(flushInterval.toMilliseconds()), concurrentRequests, maxRetries,
                    java.time.Duration.ofMillis(initialBackoff.toMilliseconds()),
                    java.time.Duration.ofMillis(maxBackoff.toMilliseconds()),
                    java.time.Duration.ofMillis(replayInterval.toMilliseconds()));
        }
    }

    /** Where documents wait while Elasticsearch is unreachable. */
    public static class Spool {
        @JsonProperty
        @NotEmpty
        public String dir = "./data/spool";
        @JsonProperty
        @NotNull
        public DataSize maxSize = DataSize.gigabytes(1);
        @JsonProperty
        @NotNull
        public Duration replayInterval = Duration.seconds(5);
    }
}
