package io.hepstack.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hepstack.collector.api.CallLoader;
import io.hepstack.collector.api.ElasticsearchCallStore;
import io.hepstack.collector.api.SearchGuard;
import io.hepstack.collector.api.callview.CallView;
import io.hepstack.collector.api.callview.CallViewResource;
import io.hepstack.collector.api.callview.LadderLayout;
import io.hepstack.collector.api.search.SearchParams;
import io.hepstack.collector.api.search.SearchService;
import io.hepstack.collector.api.search.Tier;
import io.hepstack.collector.document.IndexNames;
import io.hepstack.collector.document.Timestamps;
import io.hepstack.collector.es.ElasticsearchClients;
import io.hepstack.collector.es.EmbeddedElasticsearch;
import io.hepstack.collector.hep.HepDecoder;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.index.MessageDocumentWriter;
import io.hepstack.collector.index.TemplateInstaller;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.Transport;
import io.hepstack.collector.security.DataScope;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The web UI's two speed goals, measured (not asserted): the call view of a 200-message call and the
 * first page of a message search over many stored messages, both as the API computes them
 * (Elasticsearch queries + ladder + JSON), in-process against a real single-node Elasticsearch.
 *
 * <p>Seeding: the documents the collector writes for hepgen's calls ({@link BenchData} HEPGEN, parsed,
 * enriched and correlated by {@link PipelineFixture}, written by {@link MessageDocumentWriter}) are
 * copied with new Call-IDs and times until {@code messages} are stored (bulk, refresh), plus one call
 * of 200 SIP messages. Then each query runs {@code warm-up} times, then {@code runs} times measured.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.hepstack.bench.UiApiBench ES_ZIP DATA_DIR HEAP MESSAGES</pre>
 */
public final class UiApiBench {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final long T0 = 1_772_323_200_000_000L; // 2026-03-01T00:00:00Z
    static final String BIG_CALL = "bench-200-messages@10.0.0.1";

    private UiApiBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: UiApiBench es.zip data-dir heap messages");
            System.exit(2);
        }
        long messages = Long.parseLong(args[3]);
        EmbeddedElasticsearch es = new EmbeddedElasticsearch(new EmbeddedElasticsearch.Settings(
                Path.of(args[0]), Path.of(args[1]), 0, args[2], null, Duration.ofMinutes(4), List.of()));
        es.start();
        try (RestClient rest = ElasticsearchClients.restClient(new ElasticsearchClients.Connection(List.of(es.url()),
                null, null, null, null))) {
            new TemplateInstaller(rest, MAPPER, new TemplateInstaller.IndexSettings(1, 0, "-1")).install();
            long t = System.nanoTime();
            long stored = seed(rest, messages);
            rest.performRequest(new Request("POST", "/hep-*/_refresh"));
            rest.performRequest(new Request("POST", "/hep-*/_forcemerge?max_num_segments=8"));
            System.out.printf("seeded %d messages in %.1f s%n", stored, (System.nanoTime() - t) / 1e9);

            SearchGuard guard = new SearchGuard(new ElasticsearchCallStore(rest, MAPPER), MAPPER, Duration.ofSeconds(30));
            CallLoader loader = new CallLoader(guard);
            CallView view = new CallView(MAPPER);
            measure("call view of a 200-message call (load + ladder + JSON)", () -> {
                CallLoader.CallData c = loader.load(BIG_CALL, CallViewResource.MAX_MESSAGES, DataScope.UNRESTRICTED);
                if (c.messages().size() != 200) {
                    throw new IllegalStateException("the big call has " + c.messages().size() + " messages");
                }
                return MAPPER.writeValueAsBytes(view.build(c, LadderLayout.Grouping.IP, List.of())).length;
            });
            SearchService searches = new SearchService(guard);
            long now = T0 + 30L * 86_400_000_000L; // the end of the stored days: now-31d covers every message
            for (Map.Entry<String, Map<String, List<String>>> q : List.of(
                    Map.entry("first page of all messages (31 days, newest first, 50 rows)", Map.of("from", List.of("now-31d"))),
                    Map.entry("first page, quick search by Call-ID", Map.of("from", List.of("now-31d"), "q", List.of(BIG_CALL))),
                    Map.entry("first page, quick search by number", Map.of("from", List.of("now-31d"), "q", List.of("+4930901820"))),
                    Map.entry("first page, free text (user agent contains)", Map.of("from", List.of("now-31d"), "ua", List.of("hepgen"))))) {
                SearchParams p = SearchParams.parse(Tier.MESSAGES, q.getValue(), now, SearchParams.MAX_SIZE);
                measure(q.getKey(), () -> {
                    ObjectNode page = searches.page(p, DataScope.UNRESTRICTED);
                    return MAPPER.writeValueAsBytes(page).length + 0L * page.path("total").asLong();
                });
            }
        } finally {
            es.stop();
        }
    }

    interface Op {
        long run() throws Exception;
    }

    static void measure(String what, Op op) throws Exception {
        for (int i = 0; i < 5; i++) {
            op.run();
        }
        int runs = 20;
        long[] ns = new long[runs];
        long bytes = 0;
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            bytes = op.run();
            ns[i] = System.nanoTime() - t;
        }
        Arrays.sort(ns);
        System.out.printf("%-62s median %7.1f ms  p95 %7.1f ms  max %7.1f ms  (%d runs, %d bytes of JSON)%n", what,
                ns[runs / 2] / 1e6, ns[(int) (runs * 0.95) - 1] / 1e6, ns[runs - 1] / 1e6, runs, bytes);
    }

    /** The documents of hepgen's calls, copied with new Call-IDs and times; and the 200-message call. */
    static long seed(RestClient rest, long messages) throws Exception {
        PipelineFixture fixture = new PipelineFixture(true);
        HepDecoder decoder = new HepDecoder();
        InetSocketAddress agent = new InetSocketAddress("127.0.0.1", 40000);
        List<CapturedMessage> list = new ArrayList<>();
        for (byte[] b : BenchData.hepgenPackets(50)) {
            HepPacket p = decoder.decode(b, 0, b.length);
            list.add(new CapturedMessage(p, Transport.UDP, agent));
        }
        fixture.prepare().process(list);
        MessageDocumentWriter writer = fixture.documentWriter();
        List<ObjectNode> templates = new ArrayList<>();
        List<ObjectNode> sip = new ArrayList<>();
        for (CapturedMessage m : list) {
            ObjectNode doc = (ObjectNode) MAPPER.readTree(writer.write(m));
            templates.add(doc);
            if (doc.has("sip") && sip.size() < 200) {
                sip.add(doc);
            }
        }
        fixture.close();
        Timestamps ts = new Timestamps();
        IndexNames names = new IndexNames("sip");
        StringBuilder bulk = new StringBuilder();
        long stored = 0;
        long spacing = Math.max(1, 30L * 86_400_000_000L / Math.max(1, messages)); // spread over 30 days
        for (long i = 0; i < messages; i++) {
            ObjectNode d = templates.get((int) (i % templates.size())).deepCopy();
            long micros = T0 + i * spacing;
            String callId = "c" + (i / templates.size()) + "-" + callIdOf(d);
            rewrite(d, micros, callId, ts);
            bulk.append("{\"index\":{\"_index\":\"").append(indexOf(d, micros)).append("\"}}\n").append(d).append('\n');
            stored++;
            if (stored % 5_000 == 0) {
                send(rest, bulk);
            }
        }
        // the big call: 200 SIP messages of one Call-ID, 10 ms apart
        for (int i = 0; i < 200; i++) {
            ObjectNode d = sip.get(i % sip.size()).deepCopy();
            long micros = T0 + 86_400_000_000L + i * 10_000L;
            rewrite(d, micros, BIG_CALL, ts);
            bulk.append("{\"index\":{\"_index\":\"").append(names.forMicros(micros)).append("\"}}\n").append(d).append('\n');
            stored++;
        }
        send(rest, bulk);
        return stored;
    }

    private static String callIdOf(JsonNode d) {
        String id = d.path("sip").path("call_id").asText(null);
        return id != null ? id : d.path("call").path("id").asText("x");
    }

    private static String indexOf(JsonNode d, long micros) {
        String dataset = d.path("event").path("dataset").asText("hep.sip");
        String family = switch (dataset) {
            case "hep.rtcp", "hep.qos_report" -> "rtcp";
            case "hep.sip" -> "sip";
            default -> "log";
        };
        return IndexNames.name(family, Math.floorDiv(micros, 86_400_000_000L));
    }

    private static void rewrite(ObjectNode d, long micros, String callId, Timestamps ts) {
        d.put("@timestamp", ts.iso(micros));
        if (d.has("sip")) {
            ((ObjectNode) d.get("sip")).put("call_id", callId);
        }
        if (d.has("call")) {
            ((ObjectNode) d.get("call")).put("id", callId);
        }
        if (d.path("hep").has("correlation_id")) {
            ((ObjectNode) d.get("hep")).put("correlation_id", callId);
        }
    }

    private static void send(RestClient rest, StringBuilder bulk) throws Exception {
        if (bulk.length() == 0) {
            return;
        }
        Request r = new Request("POST", "/_bulk");
        r.setJsonEntity(bulk.toString());
        JsonNode answer = MAPPER.readTree(rest.performRequest(r).getEntity().getContent());
        if (answer.path("errors").asBoolean()) {
            throw new IllegalStateException("bulk errors: " + answer.path("items").path(0));
        }
        bulk.setLength(0);
    }
}
