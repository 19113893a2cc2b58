package io.hepstack.collector.it;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import io.hepstack.collector.CollectorApplication;
import io.hepstack.collector.CollectorConfiguration;
import io.hepstack.collector.ingest.HepListeners;
import io.hepstack.collector.testing.TestElasticsearch;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The whole collector, started in-process against the test run's Elasticsearch. Its API needs a
 * login: {@link #api} builds requests carrying an admin API token from a users file written for the
 * tests ({@link TestUsers}, named by collector-test.yml); tests that check security itself pass their own
 * {@code security.usersFile}. (Overrides of one key must not compete: the test support applies them in no set order.)
 */
public final class Collector implements AutoCloseable {

    private final DropwizardTestSupport<CollectorConfiguration> support;
    private final HttpClient http = HttpClient.newHttpClient();

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
        TestUsers.file(); // collector-test.yml names it; a test may override security.usersFile

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

    /** A gauge's value, or null when there is none of that name. */
    public Object gauge(String name) {
        var g = metrics().getGauges().get(name);
        return g == null ? null : g.getValue();
    }

    public long meter(String name) {
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

    /** A request to the API ({@code pathAndQuery} like {@code /api/v1/calls?limit=5}) as the tests' admin. */
    public HttpRequest.Builder api(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + appPort() + pathAndQuery))
                .header("Authorization", "Bearer " + TestUsers.ADMIN_TOKEN);
    }

    /** GET {@code pathAndQuery} as the tests' admin. */
    public HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(api(pathAndQuery).build(), HttpResponse.BodyHandlers.ofString());
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
