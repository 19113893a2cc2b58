package io.hepstack.bench;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.jackson.Jackson;
import io.hepstack.tools.hepgen.HepTrafficModel;
import io.hepstack.tools.hepgen.TrafficConfig;
import io.hepstack.collector.es.ElasticsearchClients;
import io.hepstack.collector.hep.HepDecoder;
import io.hepstack.collector.hep.HepEncoder;
import io.hepstack.collector.index.BulkIndexer;
import io.hepstack.collector.index.DiskSpool;
import io.hepstack.collector.index.IndexRequest;
import io.hepstack.collector.index.MessageDocumentWriter;
import io.hepstack.collector.index.TemplateInstaller;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.Stages;
import io.hepstack.collector.pipeline.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.elasticsearch.client.RestClient;

/**
 * Elasticsearch's own bulk ceiling for our documents, part (a) of the end-to-end benchmark.
 *
 * <p>It installs the collector's index templates (1 shard, 0 replicas, the given refresh
 * interval), turns hepgen traffic (default mix, the given seed, HEP times now) into the documents
 * the collector would index (decode, the collector's parse, enrich and correlation stages, the real
 * {@link MessageDocumentWriter}), and sends them as fast as Elasticsearch takes them through the
 * collector's own {@link BulkIndexer} with the collector's default bulk settings (5000 documents or
 * 5 MiB per request, 2 requests at once). The documents are made before the clock starts, so the
 * figure is Elasticsearch's alone; they are sent in rounds, each round with its own id suffix so
 * no document is a duplicate. A warm-up round is not counted.
 *
 * <p>With {@code mix=collector} the TDR upserts the correlation stage writes for the same traffic
 * (external versions, several versions of a call's record) are sent too, after the messages of
 * the batch that made them, as the collector sends them: the ceiling for the collector's whole
 * document mix, also given in messages per second.
 *
 * <p>With {@code mix=reference} every message becomes a {@value #REFERENCE_BYTES}-byte SIP document
 * instead (time, addresses, Call-ID, method or code, and the raw message cut to fit): the reference
 * the issue measured Elasticsearch with, so that our documents' ceiling can be read against a
 * light document's on the same node in the same run.
 *
 * <p>Prints one JSON object: documents indexed, seconds, documents per second, mean document size.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.hepstack.bench.EsCeiling URL SECONDS [DOCUMENTS] [SEED] [REFRESH] [messages|collector|reference]</pre>
 */
public final class EsCeiling {

    private EsCeiling() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: EsCeiling es-url seconds [documents-per-round=100000] [seed=7001] [refresh=30s]");
            System.exit(2);
        }
        String url = args[0];
        double seconds = Double.parseDouble(args[1]);
        int perRound = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 7001;
        String refresh = args.length > 4 ? args[4] : "30s";
        String mix = args.length > 5 ? args[5] : "messages";
        boolean withRecords = mix.equals("collector");
        ObjectMapper mapper = Jackson.newObjectMapper();

        List<IndexRequest> documents = documents(perRound, seed, withRecords);
        if (mix.equals("reference")) {
            documents = reference(documents, mapper);
        }
        long messages = documents.stream().filter(IndexRequest::create).count();
        long bytes = 0;
        for (IndexRequest r : documents) {
            bytes += r.source().length;
        }

        RestClient rest = ElasticsearchClients.restClient(new ElasticsearchClients.Connection(List.of(url), null, null, null, null));
        new TemplateInstaller(rest, mapper, new TemplateInstaller.IndexSettings(1, 0, refresh)).install();
        MetricRegistry metrics = new MetricRegistry();
        Path spoolDir = Files.createTempDirectory("es-ceiling-spool");
        BulkIndexer.Settings settings = BulkIndexer.Settings.defaults();
        BulkIndexer indexer = new BulkIndexer(rest, settings, new DiskSpool(spoolDir, 1L << 30), () -> true, metrics);

        send(indexer, documents, "w"); // warm-up: JIT, index creation, first merges
        if (!indexer.awaitIdle(Duration.ofMinutes(5))) {
            throw new IllegalStateException("warm-up round did not finish in 5 minutes");
        }
        long before = stored(metrics);
        long failedBefore = problems(metrics);
        long start = System.nanoTime();
        int rounds = 0;
        while (rounds == 0 || (System.nanoTime() - start) / 1e9 < seconds) {
            send(indexer, documents, Integer.toString(rounds++));
        }
        if (!indexer.awaitIdle(Duration.ofMinutes(5))) {
            throw new IllegalStateException("documents still in flight after 5 minutes");
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long indexed = stored(metrics) - before;
        long failed = problems(metrics) - failedBefore;
        indexer.close();
        rest.close();

        ObjectNode out = mapper.createObjectNode();
        out.put("mix", mix);
        out.put("documents", (long) rounds * documents.size());
        out.put("records_per_message", Math.round(1000.0 * (documents.size() - messages) / messages) / 1000.0);
        out.put("messages_per_s", Math.round(indexed / elapsed * messages / documents.size()));
        out.put("indexed", indexed);
        out.put("failed_or_spooled", failed);
        out.put("seconds", Math.round(elapsed * 1000) / 1000.0);
        out.put("docs_per_s", Math.round(indexed / elapsed));
        out.put("mean_doc_bytes", Math.round((double) bytes / documents.size()));
        out.put("distinct_documents", documents.size());
        out.put("rounds", rounds);
        out.put("bulk_max_actions", settings.maxOperations());
        out.put("bulk_max_bytes", settings.maxBytes());
        out.put("bulk_concurrent_requests", settings.maxConcurrentRequests());
        out.put("refresh_interval", refresh);
        System.out.println(mapper.writeValueAsString(out));
    }

    /**
     * Documents of hepgen's default mix, as the collector makes them (messages of complete calls, in
     * time order), with the TDR upserts of each batch after its messages when {@code withRecords}.
     */
    static List<IndexRequest> documents(int count, long seed, boolean withRecords) {
        int calls = Math.max(10, count / 10); // about ten packets per call with RTCP and LOG
        HepTrafficModel model = new HepTrafficModel(TrafficConfig.builder().seed(seed).calls(calls).registrations(calls / 5)
                .callsPerSecond(100).registrationsPerSecond(20).startMicros(System.currentTimeMillis() * 1000).build());
        HepEncoder encoder = new HepEncoder();
        HepDecoder decoder = new HepDecoder();
        InetSocketAddress agent = new InetSocketAddress("127.0.0.1", 40000);
        List<IndexRequest> out = new ArrayList<>(count);
        try (PipelineFixture fixture = new PipelineFixture(true)) {
            List<IndexRequest> records = new ArrayList<>();
            fixture.sink.keptRecords = records;
            Stages stages = fixture.prepare();
            MessageDocumentWriter writer = fixture.documentWriter();
            List<CapturedMessage> batch = new ArrayList<>(512);
            while (model.hasNext() && out.size() < count) {
                byte[] b = encoder.encode(model.next().hep());
                batch.add(new CapturedMessage(decoder.decode(b, 0, b.length), Transport.UDP, agent));
                if (batch.size() == 512 || !model.hasNext() || out.size() + batch.size() == count) {
                    stages.process(batch);
                    for (CapturedMessage m : batch) {
                        out.add(IndexRequest.create(m.index, m.id, writer.write(m)));
                    }
                    if (withRecords) {
                        out.addAll(records);
                    }
                    records.clear();
                    batch.clear();
                }
            }
        }
        return out;
    }

    static final int REFERENCE_BYTES = 642;

    /** Each message as a {@value #REFERENCE_BYTES}-byte document of the hep-sip index family (see the class comment). */
    static List<IndexRequest> reference(List<IndexRequest> messages, ObjectMapper mapper) throws IOException {
        List<IndexRequest> out = new ArrayList<>(messages.size());
        for (IndexRequest r : messages) {
            if (!r.create()) {
                continue;
            }
            JsonNode d = mapper.readTree(r.source());
            ObjectNode doc = mapper.createObjectNode();
            doc.put("@timestamp", d.path("@timestamp").asText());
            doc.putObject("source").put("ip", d.path("source").path("ip").asText()).put("port", d.path("source").path("port").asInt());
            doc.putObject("destination").put("ip", d.path("destination").path("ip").asText())
                    .put("port", d.path("destination").path("port").asInt());
            ObjectNode sip = doc.putObject("sip");
            sip.put("call_id", d.path("sip").path("call_id").asText(d.path("call").path("id").asText("-")));
            sip.put("method", d.path("sip").path("method").asText(d.path("sip").path("cseq").path("method").asText("-")));
            String raw = d.path("event").path("original").asText("") + "x".repeat(REFERENCE_BYTES);
            ObjectNode event = doc.putObject("event");
            event.put("original", "");
            String fit = raw.substring(0, Math.max(0, REFERENCE_BYTES - mapper.writeValueAsBytes(doc).length));
            event.put("original", fit);
            while (!fit.isEmpty() && mapper.writeValueAsBytes(doc).length > REFERENCE_BYTES) {
                fit = fit.substring(0, fit.length() - 1); // escaped characters (\r, \n) take two bytes
                event.put("original", fit);
            }
            String index = "hep-sip-" + r.index().substring(r.index().lastIndexOf('-') + 1);
            out.add(IndexRequest.create(index, r.id(), mapper.writeValueAsBytes(doc)));
        }
        return out;
    }

    private static void send(BulkIndexer indexer, List<IndexRequest> documents, String round) {
        for (IndexRequest r : documents) {
            String id = r.id() + "-" + round;
            indexer.accept(r.create() ? IndexRequest.create(r.index(), id, r.source())
                    : IndexRequest.upsert(r.index(), id, r.source(), r.externalVersion()));
        }
        indexer.flush();
    }

    /** Documents Elasticsearch stored: index.*.indexed (duplicates would be index.duplicates). */
    private static long stored(MetricRegistry metrics) {
        long n = 0;
        for (Map.Entry<String, Meter> e : metrics.getMeters().entrySet()) {
            if (e.getKey().startsWith("index.") && e.getKey().endsWith(".indexed")) {
                n += e.getValue().getCount();
            }
        }
        return n + metrics.meter("index.duplicates").getCount() + metrics.meter("index.stale_versions").getCount();
    }

    /** Anything not stored: permanent failures, spooled or lost batches. */
    private static long problems(MetricRegistry metrics) {
        long n = metrics.meter("index.spool.written").getCount() + metrics.meter("index.spool.lost").getCount();
        for (Map.Entry<String, Meter> e : metrics.getMeters().entrySet()) {
            if (e.getKey().startsWith("index.") && e.getKey().endsWith(".failed")) {
                n += e.getValue().getCount();
            }
        }
        return n;
    }
}
