package io.hepstack.collector.index;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.collector.es.ElasticsearchClients;
import io.hepstack.collector.testing.EsHttp;
import io.hepstack.collector.testing.TestElasticsearch;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Accepted means stored: what Elasticsearch refuses ends in the dead-letter index, with its reason and its bytes. */
class DeadLetterIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void aDocumentElasticsearchRefusesEndsInTheDeadLetterIndex(@TempDir Path spoolDir) throws Exception {
        EsHttp es = EsHttp.shared();
        String index = "hep-sip-2003.03.03";
        // a message document as the writer makes it, with a value its mapping refuses (hep.ip_family is a byte)
        String refused = "{\"@timestamp\":\"2003-03-03T10:00:00.000001Z\",\"event\":{\"dataset\":\"hep.sip\",\"original\":\"INVITE sip:bob@example.com SIP/2.0\"},"
                + "\"source\":{\"ip\":\"10.1.2.3\",\"port\":5060},\"destination\":{\"ip\":\"10.1.2.4\",\"port\":5080},"
                + "\"hep\":{\"version\":3,\"proto_type\":1,\"capture_id\":2001,\"ip_family\":200,\"node\":\"edge-1\"}}";
        String fine = refused.replace("\"ip_family\":200", "\"ip_family\":2");
        MetricRegistry metrics = new MetricRegistry();
        try (RestClient rest = ElasticsearchClients.restClient(new ElasticsearchClients.Connection(
                List.of(TestElasticsearch.url()), null, null, null, null))) {
            new TemplateInstaller(rest, MAPPER, new TemplateInstaller.IndexSettings(1, 0, "1s")).install();
            BulkIndexer indexer = new BulkIndexer(rest, new BulkIndexer.Settings(100, 1 << 20, Duration.ofMillis(100), 1, 2,
                    Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(1)), new DiskSpool(spoolDir, 1 << 20), () -> true, metrics);
            indexer.accept(IndexRequest.create(index, "refused-1", refused.getBytes(StandardCharsets.UTF_8)));
            indexer.accept(IndexRequest.create(index, "fine-1", fine.getBytes(StandardCharsets.UTF_8)));
            await().atMost(Duration.ofSeconds(30)).until(() -> metrics.meter("index.deadletter.written").getCount() == 1
                    && indexer.inFlight() == 0);
            indexer.close();
        }
        assertThat(metrics.meter("index.sip.failed").getCount()).isEqualTo(1);
        assertThat(es.count(index, null)).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> es.count("hep-deadletter-*", null) >= 1);
        JsonNode hits = es.post("/hep-deadletter-*/_search", "{\"query\":{\"term\":{\"deadletter.id\":\"refused-1\"}}}")
                .path("hits").path("hits");
        assertThat(hits).hasSize(1);
        JsonNode letter = hits.get(0).path("_source");
        assertThat(letter.path("deadletter").path("index").asText()).isEqualTo(index);
        assertThat(letter.path("deadletter").path("status").asInt()).isEqualTo(400);
        assertThat(letter.path("error").path("type").asText()).isEqualTo("document_parsing_exception");
        assertThat(letter.path("error").path("message").asText()).contains("hep.ip_family");
        assertThat(new String(Base64.getDecoder().decode(letter.path("raw").asText()), StandardCharsets.UTF_8)).isEqualTo(refused);
        assertThat(letter.path("header").path("hep").path("ip_family").asInt()).isEqualTo(200);
        // the header fields are searchable (flattened keywords), whatever their type was
        assertThat(es.count("hep-deadletter-*", "{\"query\":{\"term\":{\"header.hep.node\":\"edge-1\"}}}")).isGreaterThanOrEqualTo(1);
        es.delete("/" + index);
    }
}
