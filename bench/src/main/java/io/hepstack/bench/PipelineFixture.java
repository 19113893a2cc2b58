package io.hepstack.bench;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dropwizard.jackson.Jackson;
import io.hepstack.collector.StageChain;
import io.hepstack.collector.correlate.CorrelationConfig;
import io.hepstack.collector.fraud.FraudEngine;
import io.hepstack.collector.fraud.rules.FraudConfig;
import io.hepstack.collector.fraud.rules.FraudConfigLoader;
import io.hepstack.collector.document.JsonDocument;
import io.hepstack.collector.index.DocumentSink;
import io.hepstack.collector.index.IndexRequest;
import io.hepstack.collector.document.MessageFields;
import io.hepstack.collector.index.MessageDocumentWriter;
import io.hepstack.collector.index.IndexStage;
import io.hepstack.collector.parse.Protocols;
import io.hepstack.collector.pipeline.Pipeline;
import io.hepstack.collector.pipeline.Stages;
import io.hepstack.enricher.Enricher;
import io.hepstack.enricher.EnricherConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The collector's per-message stages wired as {@code CollectorApplication} wires them, without I/O:
 * the enricher from the {@code enricher:} section of {@code collector/config.yml} (sample GeoIP
 * databases, number analysis, rating, blacklists from {@code samples/}), the correlator from its
 * {@code correlation:} section (TDRs go to the sink), the fraud engine with
 * {@code samples/fraud/fraud-rules.yml} fed by the correlator's call events, the document writer
 * with {@code storeRawSip} as configured (true), and a sink that only counts documents and bytes.
 *
 * <p>The stage list comes from the collector's own {@code StageChain}, so a new stage reaches the
 * benchmarks by construction.
 */
final class PipelineFixture implements AutoCloseable {

    /** Counts message documents (created) and records (upserted TDRs) and their bytes; keeps nothing. */
    static final class CountingSink implements DocumentSink {
        long documents;
        long bytes;
        long records;
        /** When not null, upserted records (TDRs) are kept here too (for {@link DocumentDump}). */
        List<IndexRequest> keptRecords;

        @Override
        public void accept(IndexRequest request) {
            if (!request.create() && keptRecords != null) {
                keptRecords.add(request);
            }
            if (request.create()) {
                documents++;
                bytes += request.source().length;
            } else {
                records++;
            }
        }

        /** Counts the lent document where it lies (as the index stage hands it), copying only the records it keeps. */
        @Override
        public void accept(String index, String id, boolean create, long version, JsonDocument document) {
            if (create) {
                documents++;
                bytes += document.length();
            } else if (keptRecords != null) {
                accept(IndexRequest.upsert(index, id, document.toByteArray(), version));
            } else {
                records++;
            }
        }
    }

    final ObjectMapper mapper = Jackson.newObjectMapper();
    final Enricher enricher;
    final CorrelationConfig correlation;
    final FraudConfig fraudRules;
    final CountingSink sink = new CountingSink();
    final LongAdder alerts = new LongAdder();
    private final boolean storeRawSip;
    /** pipeline.messageFields of collector/config.yml, or -Dhepstack.messageFields (lean, full). */
    final MessageFields messageFields;
    /** The metrics of the stages built last (their counters and gauges). */
    MetricRegistry metrics;

    /**
     * @param ipAndNumberCache false: the enricher's address and number caches are off (every
     *                         lookup goes to the databases, the blacklists and libphonenumber)
     */
    PipelineFixture(boolean ipAndNumberCache) {
        Path repo = BenchData.repository();
        try {
            JsonNode config = readYaml(repo.resolve("collector/config.yml"));
            EnricherConfig c = enricherConfig(config, repo);
            if (!ipAndNumberCache) {
                c.ipCacheSize = 0;
                c.numbers.cacheSize = 0;
            }
            List<String> problems = c.validate();
            if (!problems.isEmpty()) {
                throw new IllegalStateException("enricher section of collector/config.yml: " + problems);
            }
            this.enricher = Enricher.build(c);
            this.correlation = Jackson.newObjectMapper(new YAMLFactory()).treeToValue(config.path("correlation"),
                    CorrelationConfig.class);
            List<String> bad = correlation.validate();
            if (!bad.isEmpty()) {
                throw new IllegalStateException("correlation section of collector/config.yml: " + bad);
            }
            this.fraudRules = new FraudConfigLoader().load(repo.resolve("samples/fraud/fraud-rules.yml"));
            this.storeRawSip = config.path("pipeline").path("storeRawSip").asBoolean(true);
            this.messageFields = MessageFields.of(System.getProperty("hepstack.messageFields",
                    config.path("pipeline").path("messageFields").asText("lean")));
        } catch (Exception e) {
            throw new IllegalStateException("cannot build the pipeline fixture: " + e, e);
        }
    }

    /**
     * The stages in the collector's order, as CollectorApplication.run builds them with the default
     * configuration (correlation, rating and fraud on), with fresh state and metrics, indexing into
     * the counting sink.
     */
    Stages stages() {
        metrics = new MetricRegistry();
        return chain().addTo(Pipeline.builder(metrics))
                .add("index", ctx -> new IndexStage(ctx, documentWriter(), sink)).buildStages();
    }

    /**
     * The stages before the index stage (what a message's document is made from), then an index
     * stage that writes only the TDRs into the sink: the caller writes the message documents, right
     * after the messages went through, so without the reorder stage (which would still hold them).
     */
    Stages prepare() {
        metrics = new MetricRegistry();
        return chain().withoutReorder().addTo(Pipeline.builder(metrics))
                .add("index", ctx -> new IndexStage(ctx, null, sink)).buildStages();
    }

    /** The collector's chain (StageChain) with this fixture's enricher, correlation and a fresh fraud engine. */
    private StageChain chain() {
        return new StageChain(Protocols.standard(mapper, storeRawSip))
                .enricher(enricher)
                .correlation(correlation)
                .fraud(newFraudEngine(), null);
    }

    MessageDocumentWriter documentWriter() {
        return documentWriter(messageFields);
    }

    static MessageDocumentWriter documentWriter(MessageFields fields) {
        return new MessageDocumentWriter(fields);
    }

    FraudEngine newFraudEngine() {
        return new FraudEngine(fraudRules, a -> alerts.increment());
    }

    @Override
    public void close() {
        enricher.close();
    }

    /** The enricher: section of collector/config.yml, its relative paths resolved against the repository. */
    private static EnricherConfig enricherConfig(JsonNode config, Path repo) throws IOException {
        JsonNode section = config.path("enricher");
        if (!section.isObject()) {
            throw new IllegalStateException("collector/config.yml has no enricher: section");
        }
        resolvePaths((ObjectNode) section, repo);
        return Jackson.newObjectMapper(new YAMLFactory()).treeToValue(section, EnricherConfig.class);
    }

    private static JsonNode readYaml(Path file) {
        try {
            return Jackson.newObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Values that name files under samples/ become absolute, so the benchmark runs from any folder. */
    private static void resolvePaths(JsonNode node, Path repo) {
        if (node instanceof ObjectNode o) {
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isTextual() && e.getValue().asText().startsWith("samples/")) {
                    e.setValue(TextNode.valueOf(repo.resolve(e.getValue().asText()).toString()));
                } else {
                    resolvePaths(e.getValue(), repo);
                }
            }
        } else if (node.isArray()) {
            for (JsonNode child : node) {
                resolvePaths(child, repo);
            }
        }
    }
}
