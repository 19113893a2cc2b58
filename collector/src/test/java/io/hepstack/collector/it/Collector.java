package io.hepstack.collector.it;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import io.hepstack.collector.CollectorApplication;
import io.hepstack.collector.CollectorConfiguration;
import io.hepstack.collector.ingest.HepListeners;
import io.hepstack.collector.testing.TestElasticsearch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The whole collector, started in-process against the test run's Elasticsearch. */
public final class Collector implements AutoCloseable {

    private final DropwizardTestSupport<CollectorConfiguration> support;

    /** Starts the collector with the test configuration ({@code collector-test.yml}) and {@code overrides}. */
    public Collector(ConfigOverride... overrides) throws Exception {
        this(ResourceHelpers.resourceFilePath("collector-test.yml"), overrides);
    }

    /** Starts the collector with {@code configFile} and {@code overrides}. */
    public Collector(String configFile, ConfigOverride... overrides) throws Exception {
        this(TestElasticsearch.url(), configFile, overrides);
    }

    /**
     * Starts the collector with the test configuration against the Elasticsearch at {@code url}
     * (e.g. a TcpProxy in front of the test node). Overrides are a set: a second
     * {@code elasticsearch.hosts} in {@code overrides} would not reliably win.
     */
    public static Collector withElasticsearch(String url, ConfigOverride... overrides) throws Exception {
        return new Collector(url, ResourceHelpers.resourceFilePath("collector-test.yml"), overrides);
    }

    private Collector(String elasticsearchUrl, String configFile, ConfigOverride[] overrides) throws Exception {
        List<ConfigOverride> all = new ArrayList<>();
        all.add(ConfigOverride.config("elasticsearch.hosts", elasticsearchUrl));
        all.addAll(Arrays.asList(overrides));
        support = new DropwizardTestSupport<>(CollectorApplication.class, configFile, all.toArray(new ConfigOverride[0]));
        support.before();
    }

    DropwizardTestSupport<CollectorConfiguration> support() {
        return support;
    }

    com.codahale.metrics.MetricRegistry metrics() {
        return support.getEnvironment().metrics();
    }

    long meter(String name) {
        var m = metrics().getMeters().get(name);
        return m == null ? 0 : m.getCount();
    }

    /** The port of the HEP UDP listener. */
    public int udpPort() {
        return listeners().udpPort();
    }

    int tcpPort() {
        return listeners().tcpPort();
    }

    int adminPort() {
        return support.getAdminPort();
    }

    /** The port of the application (REST API) connector. */
    public int appPort() {
        return support.getLocalPort();
    }

    CollectorApplication app() {
        return (CollectorApplication) support.getApplication();
    }

    private HepListeners listeners() {
        return app().listeners();
    }

    @Override
    public void close() {
        support.after();
    }
}
