package io.hepstack.collector;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import io.hepstack.collector.api.CallsResource;
import io.hepstack.collector.api.ElasticsearchCallStore;
import io.hepstack.collector.api.EnricherResource;
import io.hepstack.collector.api.FraudResource;
import io.hepstack.collector.api.ReloadTask;
import io.hepstack.collector.api.SearchGuard;
import io.hepstack.collector.api.callview.CallViewResource;
import io.hepstack.collector.api.callview.MessageResource;
import io.hepstack.collector.api.export.CallExportResource;
import io.hepstack.collector.api.export.SearchExportResource;
import io.hepstack.collector.api.imports.ImportsResource;
import io.hepstack.collector.api.imports.PcapImports;
import io.hepstack.collector.api.openapi.OpenApiResource;
import io.hepstack.collector.api.overview.OverviewResource;
import io.hepstack.collector.api.search.SearchResource;
import io.hepstack.collector.api.search.SearchService;
import io.hepstack.collector.config.LineNumberingConfigurationFactory;
import io.hepstack.collector.correlate.CorrelateStage;
import io.hepstack.collector.es.ElasticsearchService;
import io.hepstack.collector.fraud.AlertsToBatch;
import io.hepstack.collector.fraud.AlertListener;
import io.hepstack.collector.fraud.FraudEngine;
import io.hepstack.collector.fraud.LoggingAlertListener;
import io.hepstack.collector.fraud.WebhookNotifier;
import io.hepstack.collector.fraud.rules.FraudConfig;
import io.hepstack.collector.fraud.rules.FraudConfigLoader;
import io.hepstack.collector.health.ElasticsearchHealthCheck;
import io.hepstack.collector.health.EnricherHealthCheck;
import io.hepstack.collector.health.FraudRulesHealthCheck;
import io.hepstack.collector.health.ListenersHealthCheck;
import io.hepstack.collector.index.MessageDocumentWriter;
import io.hepstack.collector.ingest.HepListeners;
import io.hepstack.collector.ingest.IngestMetrics;
import io.hepstack.collector.enrich.EnrichStage;
import io.hepstack.collector.fraud.FraudStage;
import io.hepstack.collector.index.IndexStage;
import io.hepstack.collector.parse.ParseStage;
import io.hepstack.collector.parse.Protocols;
import io.hepstack.collector.rate.RateStage;
import io.hepstack.collector.ui.UiResource;
import io.hepstack.collector.pipeline.Pipeline;
import io.hepstack.enricher.Enricher;
import io.hepstack.enricher.reload.FileWatcher;
import io.hepstack.enricher.reload.ReloadableFile;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * hepstack's collector: HEP in (UDP, TCP, TLS), decode, parse, enrich, correlate, fraud, index.
 * {@link #run} is a flat wiring script; every part is built from its config and registered with
 * the lifecycle in start order (Elasticsearch, pipeline, listeners — stopped in reverse, so a clean
 * stop drains the listeners into the pipeline and the pipeline into Elasticsearch).
 */
public class CollectorApplication extends Application<CollectorConfiguration> {

    // kept for tests and embedding: what run() built
    private HepListeners listeners;
    private Pipeline pipeline;
    private ElasticsearchService elasticsearch;

    public static void main(String[] args) throws Exception {
        new CollectorApplication().run(args);
    }

    @Override
    public String getName() {
        return "hepstack-collector";
    }

    @Override
    public void initialize(Bootstrap<CollectorConfiguration> bootstrap) {
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
        bootstrap.setConfigurationFactoryFactory(LineNumberingConfigurationFactory::new);
        // the tools (hepgen, replay, watchers, kibana-import/-export) when on the classpath, as in collector.jar
        for (CommandProvider provider : ServiceLoader.load(CommandProvider.class)) {
            provider.commands().forEach(bootstrap::addCommand);
        }
    }

    @Override
    public void run(CollectorConfiguration config, Environment env) throws Exception {
        ObjectMapper mapper = env.getObjectMapper();
        MetricRegistry metrics = env.metrics();

        Enricher enricher = Enricher.build(config.enricher);
        env.lifecycle().manage(managed(null, enricher::close));

        elasticsearch = new ElasticsearchService(config.elasticsearch, mapper, metrics);
        env.lifecycle().manage(elasticsearch);

        AlertsToBatch alertsToIndex = new AlertsToBatch(); // alerts reach Elasticsearch through the index stage
        List<AlertListener> alertListeners = new ArrayList<>(List.of(alertsToIndex, new LoggingAlertListener()));
        if (config.fraud.webhooks != null && config.fraud.webhooks.endpoints() != null && !config.fraud.webhooks.endpoints().isEmpty()) {
            WebhookNotifier webhooks = new WebhookNotifier(config.fraud.webhooks, metrics);
            alertListeners.add(webhooks);
            env.lifecycle().manage(managed(null, webhooks::close));
        }
        ReloadableFile<FraudConfig> fraudRules = null;
        FraudEngine fraud;
        if (config.fraud.rules != null && !config.fraud.rules.isBlank()) {
            fraudRules = new ReloadableFile<>("fraud-rules", Path.of(config.fraud.rules), new FraudConfigLoader()).loadInitial();
            FileWatcher watcher = new FileWatcher(Duration.ofMillis(config.enricher.reloadInterval.toMilliseconds()));
            watcher.watch(fraudRules);
            env.lifecycle().manage(managed(null, watcher::close));
            fraud = new FraudEngine(fraudRules::current, alertListeners);
        } else {
            fraud = new FraudEngine(FraudConfig.defaults(), alertListeners.toArray(new AlertListener[0]));
        }

        // the pipeline, one stage per step: listener → parse → enrich → correlate → rate → fraud → index
        Protocols protocols = Protocols.standard(mapper, config.pipeline.storeRawSip);
        Pipeline.Builder stages = Pipeline.builder(metrics).config(config.pipeline)
                .add("parse", ctx -> new ParseStage(ctx, protocols))
                .add("enrich", ctx -> new EnrichStage(ctx, enricher));
        if (config.correlation.enabled) {
            stages.add("correlate", ctx -> new CorrelateStage(ctx, config.correlation));
            if (config.correlation.rating) {
                stages.add("rate", ctx -> new RateStage(ctx, enricher::rate));
            }
        }
        if (config.fraud.enabled) {
            stages.add("fraud", ctx -> new FraudStage(ctx, fraud, alertsToIndex));
        }
        stages.add("index", ctx -> new IndexStage(ctx, new MessageDocumentWriter(), elasticsearch));
        pipeline = stages.build();
        env.lifecycle().manage(managed(pipeline::start, pipeline::close));

        IngestMetrics ingest = new IngestMetrics(metrics);
        listeners = new HepListeners(config.hep, pipeline, ingest, Duration.ofMillis(config.pipeline.tcpBackpressureMillis));
        env.lifecycle().manage(managed(listeners::start, listeners::close));

        if (config.kibana.enabled()) {
            env.lifecycle().manage(config.kibana.buildImporter()); // retried in the background until Kibana answers
        }

        env.healthChecks().register("elasticsearch", new ElasticsearchHealthCheck(elasticsearch));
        env.healthChecks().register("hep-listeners", new ListenersHealthCheck(listeners, config.hep, pipeline, config.pipeline.queueCapacity));
        env.healthChecks().register("enricher", new EnricherHealthCheck(enricher));
        if (fraudRules != null) {
            env.healthChecks().register("fraud-rules", new FraudRulesHealthCheck(fraudRules));
        }

        ElasticsearchCallStore callStore = new ElasticsearchCallStore(elasticsearch::rest, mapper);
        env.jersey().register(new CallsResource(callStore, mapper));
        // the web UI's API (issue #12): search, call view, exports, overview, imports, OpenAPI
        SearchGuard guard = new SearchGuard(callStore, mapper, java.time.Duration.ofMillis(config.api.searchTimeout.toMilliseconds()));
        SearchService searches = new SearchService(guard);
        env.jersey().register(new SearchResource(searches));
        env.jersey().register(new CallViewResource(guard));
        env.jersey().register(new MessageResource(guard));
        env.jersey().register(new CallExportResource(guard));
        env.jersey().register(new SearchExportResource(searches, config.api.exportLimit));
        env.jersey().register(new OverviewResource(guard));
        PcapImports imports = new PcapImports(pipeline, config.api.importsKept);
        env.lifecycle().manage(managed(null, imports::close));
        env.jersey().register(new ImportsResource(imports, config.api.importMaxSize.toBytes(),
                config.api.importDir.isBlank() ? null : Path.of(config.api.importDir)));
        env.jersey().register(new OpenApiResource());
        env.jersey().register(new EnricherResource(enricher));
        env.jersey().register(new FraudResource(fraud, fraudRules));
        env.jersey().register(new UiResource()); // the web UI at /, its assets at /ui/
        env.admin().addTask(new ReloadTask(enricher, fraudRules));

        PrometheusRegistry prometheus = new PrometheusRegistry();
        prometheus.register(new DropwizardExports(metrics));
        env.admin().addServlet("prometheus", new PrometheusMetricsServlet(prometheus)).addMapping("/prometheus");
    }

    public HepListeners listeners() {
        return listeners;
    }

    public Pipeline pipeline() {
        return pipeline;
    }

    public ElasticsearchService elasticsearch() {
        return elasticsearch;
    }

    /** A lifecycle hook from two method references (either may be null). */
    private static Managed managed(Starter start, Runnable stop) {
        return new Managed() {
            @Override
            public void start() throws Exception {
                if (start != null) {
                    start.start();
                }
            }

            @Override
            public void stop() {
                if (stop != null) {
                    stop.run();
                }
            }
        };
    }

    @FunctionalInterface
    private interface Starter {
        void start() throws Exception;
    }
}
