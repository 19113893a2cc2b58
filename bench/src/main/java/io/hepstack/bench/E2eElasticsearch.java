package io.hepstack.bench;

import io.hepstack.collector.es.EmbeddedElasticsearch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Starts the single-node Elasticsearch of the end-to-end benchmark the way the collector's
 * embedded mode does ({@link EmbeddedElasticsearch}: the integ-test distribution, daemonised, as an
 * unprivileged user when run as root), on a free port, and prints {@code url=... pid=...}. The node
 * keeps running after this program exits; {@code bench/e2e.py} stops it by that pid.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.hepstack.bench.E2eElasticsearch ZIP DATA_DIR HEAP</pre>
 */
public final class E2eElasticsearch {

    private E2eElasticsearch() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: E2eElasticsearch distribution.zip data-dir heap(e.g. 1g)");
            System.exit(2);
        }
        EmbeddedElasticsearch es = new EmbeddedElasticsearch(new EmbeddedElasticsearch.Settings(
                Path.of(args[0]), Path.of(args[1]), 0, args[2], null, Duration.ofMinutes(4), List.of()));
        es.start();
        System.out.println("url=" + es.url() + " pid=" + es.pid());
    }
}
