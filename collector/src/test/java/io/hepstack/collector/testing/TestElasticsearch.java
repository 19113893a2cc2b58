package io.hepstack.collector.testing;

import io.hepstack.collector.es.EmbeddedElasticsearch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The one real Elasticsearch of a test run: started on first use on a free port, with its data in
 * a fresh folder under target/, shared by every integration test of the JVM and stopped by pid when
 * the JVM exits. It never skips: if Elasticsearch cannot start, the test run fails with the reason.
 */
public final class TestElasticsearch {

    private static EmbeddedElasticsearch node;
    private static Throwable startFailure;

    private TestElasticsearch() {
    }

    /** Base URL of the shared node, starting it on first call. */
    public static synchronized String url() {
        if (startFailure != null) {
            throw new IllegalStateException("Elasticsearch could not start earlier in this run", startFailure);
        }
        if (node == null) {
            try {
                Path zip = distributionZip();
                Path dir = Files.createDirectories(Path.of("target")).toAbsolutePath()
                        .resolve("test-es-" + ProcessHandle.current().pid());
                EmbeddedElasticsearch es = new EmbeddedElasticsearch(new EmbeddedElasticsearch.Settings(
                        zip, dir, 0, System.getProperty("hepstack.test.esHeap", "768m"), null,
                        Duration.ofSeconds(180), List.of()));
                Runtime.getRuntime().addShutdownHook(new Thread(es::stop, "test-es-stop"));
                es.start();
                node = es;
            } catch (IOException | RuntimeException e) {
                startFailure = e;
                throw new IllegalStateException("Elasticsearch for the integration tests could not start: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                startFailure = e;
                throw new IllegalStateException("interrupted while starting Elasticsearch", e);
            }
        }
        return node.url();
    }

    public static synchronized EmbeddedElasticsearch node() {
        url();
        return node;
    }

    private static Path distributionZip() {
        String prop = System.getProperty("hepstack.elasticsearch.zip");
        if (prop != null) {
            return Path.of(prop);
        }
        try (var s = Files.list(Path.of("target"))) {
            return s.filter(p -> p.getFileName().toString().matches("elasticsearch-.*\\.zip")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no elasticsearch-*.zip in target/: run 'mvn -B verify' (the build fetches it)"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
