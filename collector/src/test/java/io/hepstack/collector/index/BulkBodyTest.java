package io.hepstack.collector.index;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** The bulk request body, built in the sender's reused buffer: action line, document, newline, for each request. */
class BulkBodyTest {

    private static String text(BulkIndexer.BulkBody body) {
        return new String(body.bytes(), 0, body.length(), StandardCharsets.UTF_8);
    }

    @Test
    void createsUpsertsAndOddIdsAreWrittenAsElasticsearchReadsThem() {
        BulkIndexer.BulkBody body = new BulkIndexer.BulkBody(1 << 20);
        List<IndexRequest> requests = List.of(
                IndexRequest.create("hep-sip-2026.12.07", "AbC-_09xyzAbC-_09xyzAb", "{\"a\":1}".getBytes(StandardCharsets.UTF_8)),
                IndexRequest.upsert("hep-tdr-2026.12.07", "call\"1\\x", "{\"b\":\"ü\"}".getBytes(StandardCharsets.UTF_8), 42),
                IndexRequest.create("hep-log-2026.12.07", "caf\u00e9\u0001\uD83D\uDE00", "{}".getBytes(StandardCharsets.UTF_8)));
        body.fill(requests, Function.identity());
        assertThat(text(body)).isEqualTo(
                "{\"create\":{\"_index\":\"hep-sip-2026.12.07\",\"_id\":\"AbC-_09xyzAbC-_09xyzAb\"}}\n{\"a\":1}\n"
                + "{\"index\":{\"_index\":\"hep-tdr-2026.12.07\",\"_id\":\"call\\\"1\\\\x\",\"version\":42,\"version_type\":\"external\"}}\n"
                + "{\"b\":\"ü\"}\n"
                + "{\"create\":{\"_index\":\"hep-log-2026.12.07\",\"_id\":\"caf\u00e9\\u0001\uD83D\uDE00\"}}\n{}\n");
    }

    @Test
    void theBufferIsReusedAndOneGrownByHugeDocumentsIsLetGo() {
        BulkIndexer.BulkBody body = new BulkIndexer.BulkBody(1000);
        byte[] first = body.bytes();
        body.fill(List.of(IndexRequest.create("i", "a", new byte[100])), Function.identity());
        assertThat(body.bytes()).isSameAs(first);
        body.fill(List.of(IndexRequest.create("i", "b", new byte[50_000])), Function.identity());
        assertThat(body.length()).isEqualTo("{\"create\":{\"_index\":\"i\",\"_id\":\"b\"}}\n".length() + 50_001);
        assertThat(body.bytes().length).isGreaterThan(2000);
        body.fill(List.of(IndexRequest.create("i", "c", new byte[10])), Function.identity());
        assertThat(body.bytes().length).as("a buffer grown past twice the request size is not kept").isLessThanOrEqualTo(2000);
        assertThat(text(body)).startsWith("{\"create\":{\"_index\":\"i\",\"_id\":\"c\"}}\n");
    }
}
