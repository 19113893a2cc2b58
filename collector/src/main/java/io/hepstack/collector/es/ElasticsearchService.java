package io.hepstack.collector.es;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import io.dropwizard.lifecycle.Managed;
import io.hepstack.collector.document.JsonDocument;
import io.hepstack.collector.es.ElasticsearchConfig;
import io.hepstack.collector.index.BulkIndexer;
import io.hepstack.collector.index.DeadLetters;
import io.hepstack.collector.index.DiskSpool;
import io.hepstack.collector.index.DocumentSink;
import io.hepstack.collector.index.IndexRequest;
import io.hepstack.collector.index.TemplateInstaller;
import io.hepstack.collector.pipeline.StoredMark;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Everything Elasticsearch for the collector: provisions the embedded node (embedded mode),
 * connects, installs the index templates (retrying in the background while an external cluster
 * is unreachable, with documents waiting in the spool meanwhile) and owns the bulk indexer.
 * Start order: node, client, indexer, templates. Stop order: indexer (flushes), client, node.
 */
public final class ElasticsearchService implements Managed, DocumentSink, StoredMark {

    private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchService.class);

    private final ElasticsearchConfig config;
    private final ObjectMapper mapper;
    private final MetricRegistry metrics;
    private EmbeddedElasticsearch embedded;
    private RestClient rest;
    private BulkIndexer indexer;
    private Thread templateThread;
    private ScheduledExecutorService retentionJob;
    private volatile boolean templatesInstalled;
    private volatile String lastTemplateError;

    public ElasticsearchService(ElasticsearchConfig config, ObjectMapper mapper, MetricRegistry metrics) {
        this.config = config;
        this.mapper = mapper;
        this.metrics = metrics;
    }

    @Override
    public void start() throws Exception {
        List<String> hosts = config.hosts;
        if (config.mode == ElasticsearchConfig.Mode.embedded) {
            embedded = new EmbeddedElasticsearch(config.embedded.settings());
            embedded.start();
            hosts = List.of(embedded.url());
        }
        rest = ElasticsearchClients.restClient(new ElasticsearchClients.Connection(hosts, config.username, config.password,
                config.apiKey, config.caCertificate == null ? null : Path.of(config.caCertificate), config.compression));
        DiskSpool spool = new DiskSpool(Path.of(config.spool.dir), config.spool.maxSize.toBytes());
        indexer = new BulkIndexer(rest, config.bulk.settings(config.spool.replayInterval), spool, this::reachable, metrics);
        if (config.templates.install) {
            indexer.ready(false);
            if (!installTemplates()) {
                templateThread = new Thread(this::installUntilDone, "template-installer");
                templateThread.setDaemon(true);
                templateThread.start();
            }
        } else {
            templatesInstalled = true;
        }
        metrics.gauge("elasticsearch.templates_installed", () -> () -> templatesInstalled ? 1 : 0);
        if (config.retention.enabled) {
            startRetention();
        }
    }

    /** Deletes expired daily indices now and every {@code retention.interval} (failures are logged and retried next time). */
    private void startRetention() {
        Retention retention = new Retention(rest, mapper, config.retention.days, config.retention.defaultDays);
        List<String> families = new ArrayList<>(TemplateInstaller.FAMILIES);
        families.add(DeadLetters.FAMILY);
        com.codahale.metrics.Meter deleted = metrics.meter("elasticsearch.retention.deleted_indices");
        retentionJob = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "retention");
            t.setDaemon(true);
            return t;
        });
        long every = config.retention.interval.toMilliseconds();
        retentionJob.scheduleWithFixedDelay(() -> {
            try {
                deleted.mark(retention.run(LocalDate.now(ZoneOffset.UTC), families).size());
            } catch (IOException | RuntimeException e) {
                LOG.warn("retention run failed ({}); tried again in {} ms", e.toString(), every);
            }
        }, 0, every, TimeUnit.MILLISECONDS);
    }

    private boolean installTemplates() {
        try {
            new TemplateInstaller(rest, mapper, config.templates.settings()).install();
            templatesInstalled = true;
            lastTemplateError = null;
            indexer.ready(true);
            return true;
        } catch (IOException | RuntimeException e) {
            lastTemplateError = e.getMessage();
            LOG.warn("cannot install index templates yet ({}); documents wait in the spool and installation is retried", e.getMessage());
            return false;
        }
    }

    /**
     * Retries the template installation with backoff (1 s doubling to 30 s, no end) until it succeeds
     * or the thread is interrupted. The failed installation in {@link #start} counts as the first attempt.
     */
    private void installUntilDone() {
        RetryPolicy<Boolean> untilInstalled = RetryPolicy.<Boolean>builder()
                .handleIf((installed, failure) -> failure == null && !installed)
                .withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30))
                .withMaxRetries(-1)
                .abortIf(installed -> Thread.currentThread().isInterrupted())
                .build();
        try {
            Failsafe.with(untilInstalled).get(ctx -> ctx.isFirstAttempt() ? templatesInstalled : installTemplates());
        } catch (FailsafeException interrupted) { // stop() interrupted the wait
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        if (retentionJob != null) {
            retentionJob.shutdownNow();
        }
        if (templateThread != null) {
            templateThread.interrupt();
        }
        if (indexer != null) {
            indexer.close();
        }
        if (rest != null) {
            try {
                rest.close();
            } catch (IOException e) {
                LOG.warn("closing the Elasticsearch client: {}", e.toString());
            }
        }
        if (embedded != null) {
            embedded.stop();
        }
    }

    @Override
    public void accept(IndexRequest request) {
        indexer.accept(request);
    }

    /** Lent documents go to the indexer as lent (it copies them into pooled arrays); the default would copy each into a new array first. */
    @Override
    public void accept(String index, String id, boolean create, long version, JsonDocument document) {
        indexer.accept(index, id, create, version, document);
    }

    @Override
    public void flush() {
        indexer.flush();
    }

    @Override
    public long mark() {
        return indexer.mark();
    }

    @Override
    public boolean reached(long mark) {
        return indexer.reached(mark);
    }

    public BulkIndexer indexer() {
        return indexer;
    }

    public RestClient rest() {
        return rest;
    }

    public boolean templatesInstalled() {
        return templatesInstalled;
    }

    public String lastTemplateError() {
        return lastTemplateError;
    }

    /** Base URL of the embedded node, or null in external mode. */
    public String embeddedUrl() {
        return embedded == null ? null : embedded.url();
    }

    /** Cluster health JSON (status, nodes ...). */
    public JsonNode clusterHealth() throws IOException {
        Request r = new Request("GET", "/_cluster/health");
        r.addParameter("timeout", "5s");
        Response resp = rest.performRequest(r);
        return mapper.readTree(resp.getEntity().getContent());
    }

    private boolean reachable() {
        try {
            String status = clusterHealth().path("status").asText();
            return "green".equals(status) || "yellow".equals(status);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
