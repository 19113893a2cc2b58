package io.hepstack.collector.index;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.hepstack.collector.document.JsonDocument;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.collector.es.ElasticsearchClients;
import io.hepstack.collector.testing.EsHttp;
import io.hepstack.collector.testing.TcpProxy;
import io.hepstack.collector.testing.TestElasticsearch;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class BulkIndexerIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static EsHttp es;

    @BeforeAll
    static void templates() throws Exception {
        es = EsHttp.shared();
        try (RestClient rest = rest(TestElasticsearch.url())) {
            new TemplateInstaller(rest, MAPPER, new TemplateInstaller.IndexSettings(1, 0, "1s")).install();
        }
    }

    private static RestClient rest(String url) {
        return ElasticsearchClients.restClient(new ElasticsearchClients.Connection(List.of(url), null, null, null, null));
    }

    private static byte[] doc(int i) {
        return ("{\"@timestamp\":\"2001-01-01T00:00:00.000001Z\",\"sip\":{\"call_id\":\"call-" + i + "\"},\"source\":{\"ip\":\"10.0.0."
                + (i % 250) + "\"}}").getBytes(StandardCharsets.UTF_8);
    }

    private static BulkIndexer.Settings fast() {
        return new BulkIndexer.Settings(500, 1 << 20, Duration.ofMillis(100), 2, 3, Duration.ofMillis(50),
                Duration.ofMillis(500), Duration.ofMillis(300));
    }

    @Test
    void indexesEverythingOnceAndCountsDuplicatesAndRejections(@TempDir Path spoolDir) throws Exception {
        String index = "hep-sip-2001.01.01";
        MetricRegistry metrics = new MetricRegistry();
        try (RestClient rest = rest(TestElasticsearch.url())) {
            BulkIndexer indexer = new BulkIndexer(rest, fast(), new DiskSpool(spoolDir, 1 << 20), () -> true, metrics);
            for (int i = 0; i < 1237; i++) {
                indexer.accept(IndexRequest.create(index, "id-" + i, doc(i)));
            }
            // the same ids again: a replay must not duplicate
            for (int i = 0; i < 100; i++) {
                indexer.accept(IndexRequest.create(index, "id-" + i, doc(i)));
            }
            // a document Elasticsearch refuses (not an IP in an ip field) is counted, with its reason
            indexer.accept(IndexRequest.create(index, "bad", "{\"source\":{\"ip\":\"not-an-ip\"}}".getBytes(StandardCharsets.UTF_8)));
            assertThat(indexer.awaitIdle(Duration.ofSeconds(30))).isTrue();
            indexer.close();
        }
        assertThat(es.count(index, null)).isEqualTo(1237);
        assertThat(metrics.meter("index.sip.indexed").getCount()).isEqualTo(1237);
        assertThat(metrics.meter("index.duplicates").getCount()).isEqualTo(100);
        assertThat(metrics.meter("index.sip.failed").getCount()).isEqualTo(1);
        assertThat(metrics.meter("index.accepted").getCount()).isEqualTo(1338);
        es.delete("/" + index);
    }

    /** {@code elasticsearch.compression}: the same documents stored, in far fewer bytes on the wire. */
    @Test
    void compressedBulkBodiesStoreTheSameDocumentsInFewerBytes(@TempDir Path spoolDir) throws Exception {
        long[] wire = new long[2];
        for (boolean compression : new boolean[]{false, true}) {
            String index = "hep-sip-2001.01.0" + (compression ? 3 : 2);
            try (TcpProxy proxy = new TcpProxy(TestElasticsearch.node().port());
                 RestClient rest = ElasticsearchClients.restClient(new ElasticsearchClients.Connection(List.of(proxy.url()),
                         null, null, null, null, compression))) {
                BulkIndexer indexer = new BulkIndexer(rest, fast(), new DiskSpool(spoolDir.resolve(index), 1 << 20), () -> true,
                        new MetricRegistry());
                long before = proxy.bytesToTarget();
                for (int i = 0; i < 2000; i++) {
                    indexer.accept(IndexRequest.create(index, "id-" + i, doc(i)));
                }
                assertThat(indexer.awaitIdle(Duration.ofSeconds(30))).isTrue();
                indexer.close();
                wire[compression ? 1 : 0] = proxy.bytesToTarget() - before;
            }
            assertThat(es.count(index, null)).as("compression %s", compression).isEqualTo(2000);
            JsonNode stored = es.post("/" + index + "/_search", "{\"query\":{\"ids\":{\"values\":[\"id-7\"]}}}")
                    .path("hits").path("hits").get(0).path("_source");
            assertThat(stored.path("sip").path("call_id").asText()).isEqualTo("call-7");
            es.delete("/" + index);
        }
        assertThat(wire[0]).as("plain bodies").isGreaterThan(2000L * doc(0).length);
        assertThat(wire[1]).as("gzip bodies").isLessThan(wire[0] / 4);
    }

    @Test
    void anOlderVersionOfAnUpsertedRecordCannotOverwriteANewerOne(@TempDir Path spoolDir) throws Exception {
        String index = "hep-tdr-2001.01.02";
        MetricRegistry metrics = new MetricRegistry();
        try (RestClient rest = rest(TestElasticsearch.url())) {
            BulkIndexer indexer = new BulkIndexer(rest, fast(),
                    new DiskSpool(spoolDir, 1 << 20), () -> true, metrics);
            // one after the other: two writes in flight at once may land in either order (two
            // senders), which is what the versions are for, but this test counts the stale one
            indexer.accept(IndexRequest.upsert(index, "call", "{\"tdr\":{\"status\":\"RINGING\"}}".getBytes(StandardCharsets.UTF_8), 1));
            indexer.flush();
            assertThat(indexer.awaitIdle(Duration.ofSeconds(30))).isTrue();
            indexer.accept(IndexRequest.upsert(index, "call", "{\"tdr\":{\"status\":\"FINISHED\"}}".getBytes(StandardCharsets.UTF_8), 3));
            indexer.flush();
            assertThat(indexer.awaitIdle(Duration.ofSeconds(30))).isTrue();
            indexer.accept(IndexRequest.upsert(index, "call", "{\"tdr\":{\"status\":\"ANSWERED\"}}".getBytes(StandardCharsets.UTF_8), 2));
            assertThat(indexer.awaitIdle(Duration.ofSeconds(30))).isTrue();
            indexer.close();
        }
        es.refresh(index);
        JsonNode got = es.get("/" + index + "/_doc/call");
        assertThat(got.path("_source").path("tdr").path("status").asText()).isEqualTo("FINISHED");
        assertThat(got.path("_version").asLong()).isEqualTo(3);
        assertThat(metrics.meter("index.stale_versions").getCount()).isEqualTo(1);
        es.delete("/" + index);
    }

    @Test
    void aMarkIsReachedOnlyOnceEverythingAcceptedBeforeItIsStoredOrSpooled(@TempDir Path spoolDir) throws Exception {
        String index = "hep-sip-2001.01.05";
        MetricRegistry metrics = new MetricRegistry();
        try (TcpProxy proxy = new TcpProxy(TestElasticsearch.node().port()); RestClient rest = rest(proxy.url())) {
            DiskSpool spool = new DiskSpool(spoolDir, 64 << 20);
            BulkIndexer indexer = new BulkIndexer(rest, fast(), spool, () -> false, metrics); // no replay in this test
            proxy.down();
            for (int i = 0; i < 200; i++) {
                indexer.accept(IndexRequest.create(index, "down-" + i, doc(i)));
            }
            long down = indexer.mark();
            assertThat(indexer.reached(down)).as("refused and retried, not yet spooled").isFalse();
            await().atMost(Duration.ofSeconds(30)).until(() -> indexer.reached(down));
            assertThat(metrics.meter("index.spool.written").getCount()).as("reached once all 200 are in the spool").isEqualTo(200);

            proxy.up();
            for (int i = 0; i < 100; i++) {
                indexer.accept(IndexRequest.create(index, "up-" + i, doc(i)));
            }
            long up = indexer.mark();
            indexer.flush();
            await().atMost(Duration.ofSeconds(30)).until(() -> indexer.reached(up));
            es.refresh(index);
            assertThat(es.count(index, null)).as("reached once all 100 are stored").isEqualTo(100);
            assertThat(indexer.reached(down)).isTrue();
            indexer.close();
        }
        es.delete("/" + index);
    }

    @Test
    void anOutageSpoolsToDiskAndTheSpoolIsReplayedWhenElasticsearchIsBack(@TempDir Path spoolDir) throws Exception {
        String index = "hep-sip-2001.01.03";
        MetricRegistry metrics = new MetricRegistry();
        int esPort = TestElasticsearch.node().port();
        try (TcpProxy proxy = new TcpProxy(esPort); RestClient rest = rest(proxy.url())) {
            DiskSpool spool = new DiskSpool(spoolDir, 64 << 20);
            BulkIndexer indexer = new BulkIndexer(rest, fast(), spool,
                    () -> new EsHttp(proxy.url()).status("GET", "/_cluster/health") == 200, metrics);
            for (int i = 0; i < 300; i++) {
                indexer.accept(IndexRequest.create(index, "before-" + i, doc(i)));
            }
            assertThat(indexer.awaitIdle(Duration.ofSeconds(30))).isTrue();

            proxy.down();
            for (int i = 0; i < 700; i++) {
                indexer.accept(IndexRequest.create(index, "during-" + i, doc(i)));
            }
            assertThat(indexer.awaitIdle(Duration.ofSeconds(60))).isTrue();
            assertThat(metrics.meter("index.spool.written").getCount()).isEqualTo(700);
            assertThat(spool.segments()).isNotEmpty();
            assertThat(es.count(index, null)).isEqualTo(300);

            proxy.up();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(spool.segments()).isEmpty();
                assertThat(es.count(index, null)).isEqualTo(1000);
            });
            assertThat(metrics.meter("index.spool.replayed").getCount()).isEqualTo(700);
            assertThat(metrics.meter("index.spool.lost").getCount()).isZero();
            assertThat(spool.bytes()).isZero();
            indexer.close();
        }
        es.delete("/" + index);
    }

    /** A document as the pipeline's writers lend it: written into a reused buffer, copied by the sink. */
    private static void lend(BulkIndexer indexer, JsonDocument buffer, String index, String id, String callId, String ip) throws Exception {
        JsonGenerator g = buffer.begin();
        g.writeStringField("@timestamp", "2001-01-04T00:00:00.000001Z");
        g.writeObjectFieldStart("sip");
        g.writeStringField("call_id", callId);
        g.writeEndObject();
        g.writeObjectFieldStart("source");
        g.writeStringField("ip", ip);
        g.writeEndObject();
        indexer.accept(index, id, true, -1, buffer.finish());
    }

    @Test
    void lentDocumentsInPooledArraysAreStoredSpooledAndDeadLetteredWithTheirExactBytes(@TempDir Path spoolDir) throws Exception {
        String index = "hep-sip-2001.01.04";
        MetricRegistry metrics = new MetricRegistry();
        JsonDocument buffer = new JsonDocument();
        int esPort = TestElasticsearch.node().port();
        try (TcpProxy proxy = new TcpProxy(esPort); RestClient rest = rest(proxy.url())) {
            DiskSpool spool = new DiskSpool(spoolDir, 64 << 20);
            BulkIndexer indexer = new BulkIndexer(rest, fast(), spool,
                    () -> new EsHttp(proxy.url()).status("GET", "/_cluster/health") == 200, metrics);
            for (int i = 0; i < 200; i++) {
                lend(indexer, buffer, index, "up-" + i, "call-" + "x".repeat(i % 40), "10.0.0." + (i % 250));
            }
            // refused by Elasticsearch (not an IP): its dead letter keeps the document's own bytes, not the pooled array's
            lend(indexer, buffer, index, "refused", "call-refused", "not-an-ip");
            assertThat(indexer.awaitIdle(Duration.ofSeconds(30))).isTrue();
            assertThat(indexer.pooledIdleBytes()).as("the arrays of stored documents came back").isPositive();

            proxy.down();
            for (int i = 0; i < 300; i++) {
                lend(indexer, buffer, index, "down-" + i, "call-spooled-" + "y".repeat(i % 40), "10.0.1." + (i % 250));
            }
            assertThat(indexer.awaitIdle(Duration.ofSeconds(60))).isTrue();
            assertThat(metrics.meter("index.spool.written").getCount()).isEqualTo(300);
            proxy.up();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(spool.segments()).isEmpty();
                assertThat(es.count(index, null)).isEqualTo(500);
            });
            assertThat(indexer.awaitIdle(Duration.ofSeconds(30))).isTrue();
            indexer.close();
        }
        es.refresh("hep-*");
        for (int i : new int[] {0, 39, 199}) {
            JsonNode up = es.get("/" + index + "/_doc/up-" + i).path("_source");
            assertThat(up.path("sip").path("call_id").asText()).isEqualTo("call-" + "x".repeat(i % 40));
            assertThat(up.path("source").path("ip").asText()).isEqualTo("10.0.0." + (i % 250));
            JsonNode down = es.get("/" + index + "/_doc/down-" + i).path("_source");
            assertThat(down.path("sip").path("call_id").asText()).isEqualTo("call-spooled-" + "y".repeat(i % 40));
        }
        JsonNode dead = es.post("/hep-" + DeadLetters.FAMILY + "-*/_search", "{\"query\":{\"term\":{\"deadletter.id\":\"refused\"}}}")
                .path("hits").path("hits").path(0).path("_source");
        String raw = new String(java.util.Base64.getDecoder().decode(dead.path("raw").asText()), StandardCharsets.UTF_8);
        assertThat(raw).isEqualTo("{\"@timestamp\":\"2001-01-04T00:00:00.000001Z\",\"sip\":{\"call_id\":\"call-refused\"},"
                + "\"source\":{\"ip\":\"not-an-ip\"}}");
        assertThat(metrics.meter("index.sip.indexed").getCount()).isEqualTo(500);
        es.delete("/" + index);
    }
}
