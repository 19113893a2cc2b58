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
import io.hepstack.collector.es.StoredTail;
import io.hepstack.collector.es.TdrRecovery;
import io.hepstack.collector.fraud.AlertsToBatch;
import io.hepstack.collector.fraud.AlertListener;
import io.hepstack.collector.fraud.FraudCheckpoint;
import io.hepstack.collector.fraud.FraudEngine;
import io.hepstack.collector.fraud.LoggingAlertListener;
import io.hepstack.collector.fraud.WebhookNotifier;
import io.hepstack.collector.fraud.rules.FraudConfig;
import io.hepstack.collector.fraud.rules.FraudConfigLoader;
import io.hepstack.collector.health.CorrelationCapacityHealthCheck;
import io.hepstack.collector.health.ElasticsearchHealthCheck;
import io.hepstack.collector.health.EnricherHealthCheck;
import io.hepstack.collector.health.IngestLossHealthCheck;
import io.hepstack.collector.health.UdpKernelDrops;
import io.hepstack.collector.health.ReloadableFileHealthCheck;
import io.hepstack.collector.health.ListenersHealthCheck;
import io.hepstack.collector.index.MessageDocumentWriter;
import io.hepstack.collector.ingest.CaptureClockStage;
import io.hepstack.collector.ingest.HepListeners;
import io.hepstack.collector.ingest.IngestMetrics;
import io.hepstack.collector.index.IndexStage;
import io.hepstack.collector.parse.Protocols;
import io.hepstack.collector.journal.DiskBuffer;
import io.hepstack.collector.security.ApiSecurity;
import io.hepstack.collector.security.CredentialCommands;
import io.hepstack.collector.ui.UiResource;
import io.hepstack.collector.pipeline.Pipeline;
import io.hepstack.collector.pipeline.PipelineConfig;
import io.hepstack.enricher.Enricher;
import io.hepstack.enricher.reload.FileWatcher;
import io.hepstack.enricher.reload.ReloadableFile;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * hepstack's collector: HEP in (UDP, TCP, TLS), decode, parse, enrich, correlate, fraud, index.
 * {@link #run} is a flat wiring script; every part is built from its config and registered with
 * the lifecycle in start order (Elasticsearch, then the listeners with the pipeline: listeners bound,
 * live state taken back, worker started; stopped the other way round, so a clean stop drains the
 * listeners into the pipeline and the pipeline into Elasticsearch).
 */
public class CollectorApplication extends Application<CollectorConfiguration> {

    private static final Logger LOG = LoggerFactory.getLogger(CollectorApplication.class);
    /** The collector's wall clock in microseconds (packet times are held near it). */
    private static final java.util.function.LongSupplier WALL_MICROS = () -> System.currentTimeMillis() * 1000;

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
        CredentialCommands.all().forEach(bootstrap::addCommand); // hash-password, new-token
        // the tools (hepgen, replay, watchers, kibana-import/-export) when on the classpath, as in collector.jar
        for (CommandProvider provider : ServiceLoader.load(CommandProvider.class)) {
            provider.commands().forEach(bootstrap::addCommand);
        }
    }

    @Override
    public void run(CollectorConfiguration config, Environment env) throws Exception {
        ObjectMapper mapper = env.getObjectMapper();
        MetricRegistry metrics = env.metrics();
        for (String host : config.adminOnLoopbackUnlessConfigured()) {
            if (!host.startsWith("127.") && !host.equals("localhost") && !host.equals("::1")) {
                LOG.warn("the admin port listens on {}: its health checks and metrics need no login (tasks do);"
                        + " keep it behind a firewall or bind it to 127.0.0.1", host);
            }
        }

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

        // the pipeline, one stage per step: listener → (clock) → parse → enrich → reorder → correlate → rate → fraud → index
        Pipeline.Builder stages = new StageChain(Protocols.standard(mapper, config.pipeline.storeRawSip, config.pipeline.redactCredentials))
                .captureClock(config.hep.clock.enabled ? config.hep.clock : null) // claimed times kept out of state and index names
                .wallClock(WALL_MICROS)
                .enricher(enricher)
                .correlation(config.correlation)
                .fraud(config.fraud.enabled ? fraud : null, alertsToIndex)
                .addTo(Pipeline.builder(metrics).config(config.pipeline).spillTo(diskBuffer(config.pipeline.spill))
                        .storedBy(elasticsearch));
        stages.add("index", ctx -> new IndexStage(ctx, new MessageDocumentWriter(config.pipeline.messageFields), elasticsearch));
        pipeline = stages.build();
        CorrelateStage correlate = config.correlation.enabled ? pipeline.stage("correlate", CorrelateStage.class) : null;
        TdrRecovery recovery = correlate == null || !config.correlation.resumeAfterRestart ? null
                : new TdrRecovery(elasticsearch::rest, mapper, new TdrRecovery.Timeouts(
                        duration(config.correlation.answeredTimeout), duration(config.correlation.setupTimeout),
                        duration(config.correlation.transactionTimeout), duration(config.correlation.sweepMargin)));
        StoredTail tail = recovery == null || config.correlation.resumeTail.toMicroseconds() == 0 ? null
                : new StoredTail(elasticsearch::rest, mapper, new StoredTail.Settings(duration(config.correlation.resumeTail),
                        duration(config.correlation.answeredTimeout), duration(config.correlation.maxClockLead)));
        FraudCheckpoint fraudState = config.fraud.enabled && config.fraud.checkpoint.enabled
                ? new FraudCheckpoint(Path.of(config.fraud.checkpoint.file), metrics) : null;
        IngestMetrics ingest = new IngestMetrics(metrics);
        listeners = new HepListeners(config.hep, pipeline, ingest, Duration.ofMillis(config.pipeline.tcpBackpressureMillis));
        // the listeners take traffic first (it waits in the queue and the disk buffer), so a restart
        // loses only what is sent before they are bound, not the time the resume takes; then the calls
        // live before the restart, the fraud counters and the calls whose messages the previous run
        // stored but whose TDR it never wrote are taken back before the first message is processed.
        // At a stop the listeners close first, then the pipeline drains and the fraud counters are saved
        env.lifecycle().manage(managed(() -> {
            listeners.start();
            if (recovery != null) {
                resume(recovery, correlate, config.correlation.maxCalls);
            }
            if (fraudState != null) {
                fraudState.restore(fraud);
            }
            if (tail != null) {
                replayTail(tail, pipeline, config.correlation.maxCalls - correlate.liveCalls());
            }
            pipeline.start();
        }, () -> {
            listeners.close();
            pipeline.close();
            if (fraudState != null) {
                fraudState.save(fraud);
            }
        }));
        if (recovery != null) {
            ScheduledExecutorService sweeper = env.lifecycle().scheduledExecutorService("tdr-sweep", true).threads(1).build();
            long every = config.correlation.sweepInterval.toSeconds();
            sweeper.scheduleWithFixedDelay(() -> sweep(recovery), every, every, TimeUnit.SECONDS);
        }


        if (config.kibana.enabled()) {
            env.lifecycle().manage(config.kibana.buildImporter()); // retried in the background until Kibana answers
        }

        env.healthChecks().register("elasticsearch", new ElasticsearchHealthCheck(elasticsearch));
        UdpKernelDrops udpDrops = new UdpKernelDrops(listeners::udpPort, metrics, Duration.ofSeconds(5));
        env.lifecycle().manage(managed(null, udpDrops::close));
        env.healthChecks().register("hep-listeners", new ListenersHealthCheck(listeners, config.hep, pipeline,
                config.pipeline.queueCapacity, udpDrops)); // spilling: degraded but healthy; loss: unhealthy
        env.healthChecks().register("ingest-loss", new IngestLossHealthCheck(pipeline));
        if (correlate != null) {
            env.healthChecks().register("correlation-capacity", new CorrelationCapacityHealthCheck(
                    metrics.meter("correlate.evictions"), config.correlation.maxCalls, config.correlation.maxTransactions,
                    Duration.ofMinutes(5)));
        }
        env.healthChecks().register("udp-kernel-drops", udpDrops);
        env.healthChecks().register("enricher", new EnricherHealthCheck(enricher));
        if (fraudRules != null) {
            env.healthChecks().register("fraud-rules", new ReloadableFileHealthCheck("fraud rules", "rules", fraudRules));
        }

        // every /api/** path needs a user (session or token) and a role; audited (docs/security.md)
        ApiSecurity security = ApiSecurity.install(config.security, env, elasticsearch, elasticsearch::rest, mapper);
        env.healthChecks().register("users-file", new ReloadableFileHealthCheck("users", "users and tokens", security.users()));
        ElasticsearchCallStore callStore = new ElasticsearchCallStore(elasticsearch::rest, mapper);
        env.jersey().register(new CallsResource(callStore, mapper));
        // the web UI's API (issue #12): search, call view, exports, overview, imports, OpenAPI
        SearchGuard guard = new SearchGuard(callStore, mapper, java.time.Duration.ofMillis(config.api.searchTimeout.toMilliseconds()));
        SearchService searches = new SearchService(guard);
        env.jersey().register(new SearchResource(searches));
        env.jersey().register(new CallViewResource(guard));
        env.jersey().register(new MessageResource(guard, enricher));
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

    /** Takes back the calls live before a restart, then closes what an earlier run left live for good. */
    private static void resume(TdrRecovery recovery, CorrelateStage correlate, int maxCalls) {
        long started = System.nanoTime();
        try {
            var live = recovery.liveCalls(Instant.now(), maxCalls);
            int taken = correlate.resume(live);
            LOG.info("resumed {} calls live before the restart ({} live TDRs found) in {} ms", taken, live.size(),
                    (System.nanoTime() - started) / 1_000_000);
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not resume the calls live before the restart: {}", e.toString());
        }
        sweep(recovery);
    }

    /**
     * Runs the stored messages of the calls whose TDR the previous run had not written through the
     * stages (their documents are not written again), so their BYE after the restart ends them.
     */
    private static void replayTail(StoredTail tail, Pipeline pipeline, int room) {
        long started = System.nanoTime();
        try {
            StoredTail.Result r = tail.replay(Instant.now(), room, pipeline::replay);
            pipeline.endReplay();
            LOG.info("replayed {} messages of {} calls whose TDR the previous run had not written, in {} ms", r.messages(),
                    r.calls(), (System.nanoTime() - started) / 1_000_000);
            if (r.callsSkipped() > 0 || r.messagesSkipped() > 0 || r.unreadable() > 0 || r.outOfTime()) {
                LOG.warn("not replayed: {} calls over the cap, {} messages (over the cap of {} or the {} s budget{}),"
                                + " {} stored messages that could not be rebuilt (no raw SIP or addresses)", r.callsSkipped(),
                        r.messagesSkipped(), StoredTail.MAX_MESSAGES, StoredTail.BUDGET.toSeconds(),
                        r.outOfTime() ? ", used up" : "", r.unreadable());
            }
        } catch (IOException | RuntimeException e) {
            pipeline.endReplay(); // what was replayed before the failure still reaches the correlator
            LOG.warn("could not replay the calls whose TDR the previous run had not written: {}", e.toString());
        }
    }

    private static void sweep(TdrRecovery recovery) {
        try {
            recovery.sweep(Instant.now());
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not close the TDRs an earlier run left live: {}", e.toString());
        }
    }

    private static Duration duration(io.dropwizard.util.Duration d) {
        return Duration.ofNanos(d.toNanoseconds());
    }

    /** The disk buffer behind the pipeline's memory queue, or null when spilling is off. */
    private static DiskBuffer diskBuffer(PipelineConfig.Spill spill) throws java.io.IOException {
        return spill.enabled ? new DiskBuffer(Path.of(spill.dir), spill.maxSize.toBytes(), spill.segmentSize.toBytes(),
                spill.durability(), spill.writeAhead) : null;
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
