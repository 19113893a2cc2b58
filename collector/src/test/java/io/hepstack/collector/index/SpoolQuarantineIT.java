package io.hepstack.collector.index;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.collector.es.ElasticsearchClients;
import io.hepstack.collector.testing.EsHttp;
import io.hepstack.collector.testing.TestElasticsearch;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A damaged spool segment is moved aside and counted; its intact documents and every other segment are replayed. */
class SpoolQuarantineIT {

    private static byte[] doc(int i) {
        return ("{\"@timestamp\":\"2004-04-04T00:00:00.000001Z\",\"sip\":{\"call_id\":\"q-" + i + "\"}}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aCorruptSegmentIsQuarantinedAndReplayGoesOn(@TempDir Path dir) throws Exception {
        EsHttp es = EsHttp.shared();
        String index = "hep-sip-2004.04.04";
        DiskSpool spool = new DiskSpool(dir, 1 << 20);
        for (int s = 0; s < 3; s++) { // three segments of 10 documents, as an outage would leave them
            List<IndexRequest> batch = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                batch.add(IndexRequest.create(index, "q-" + (s * 10 + i), doc(s * 10 + i)));
            }
            assertThat(spool.append(batch)).isTrue();
            Thread.sleep(2); // names sort by creation time
        }
        Path damaged = spool.segments().get(1);
        long size = Files.size(damaged);
        try (RandomAccessFile f = new RandomAccessFile(damaged.toFile(), "rw")) {
            f.seek(size - 20); // inside the last document of the middle segment
            f.write(0x7f);
        }
        MetricRegistry metrics = new MetricRegistry();
        try (RestClient rest = ElasticsearchClients.restClient(new ElasticsearchClients.Connection(
                List.of(TestElasticsearch.url()), null, null, null, null))) {
            new TemplateInstaller(rest, new ObjectMapper(), new TemplateInstaller.IndexSettings(1, 0, "1s")).install();
            BulkIndexer indexer = new BulkIndexer(rest, new BulkIndexer.Settings(100, 1 << 20, Duration.ofMillis(100), 1, 2,
                    Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofHours(1)), spool, () -> true, metrics);
            indexer.replaySpool();
            await().atMost(Duration.ofSeconds(30)).until(() -> indexer.inFlight() == 0 && spool.segments().isEmpty());
            indexer.close();
        }
        assertThat(metrics.meter("index.spool.quarantined").getCount()).isEqualTo(1);
        assertThat(spool.quarantined()).isEqualTo(1);
        assertThat(dir.resolve("quarantine").resolve(damaged.getFileName())).exists();
        assertThat(es.count(index, null)).as("29 of 30: only the damaged record is missing").isEqualTo(29);
        assertThat(es.count(index, "{\"query\":{\"ids\":{\"values\":[\"q-19\"]}}}")).isZero();
        assertThat(spool.bytes()).isZero();
        es.delete("/" + index);
    }
}
