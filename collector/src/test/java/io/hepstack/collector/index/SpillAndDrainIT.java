package io.hepstack.collector.index;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.collector.es.ElasticsearchClients;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.journal.DiskBuffer;
import io.hepstack.collector.journal.Durability;
import io.hepstack.collector.parse.ParseStage;
import io.hepstack.collector.parse.Protocols;
import io.hepstack.collector.pipeline.Batch;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.Pipeline;
import io.hepstack.collector.pipeline.Stage;
import io.hepstack.collector.pipeline.Transport;
import io.hepstack.collector.testing.EsHttp;
import io.hepstack.collector.testing.TestElasticsearch;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Overload is lag, not loss, end to end: while the stages are held, 20,000 SIP messages overflow a
 * memory queue of 200 into the disk buffer; released, every one reaches the real Elasticsearch once.
 */
class SpillAndDrainIT {

    private static CapturedMessage sip(int i) {
        HepPacket p = new HepPacket();
        p.version = 3;
        p.ipFamily = HepPacket.AF_INET;
        p.ipProtocol = 17;
        p.srcIp = new byte[] {10, 9, 0, 1};
        p.dstIp = new byte[] {10, 9, 0, 2};
        p.srcPort = 5060;
        p.dstPort = 5060;
        p.timeSeconds = 1_054_512_000L + i / 1000; // 2003-06-02
        p.timeMicros = i % 1000;
        p.protoType = HepPacket.PROTO_SIP;
        p.captureId = 7;
        p.payload = ("OPTIONS sip:spill@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 10.9.0.1;branch=z9hG4bK-" + i
                + "\r\nFrom: <sip:a@example.com>;tag=" + i + "\r\nTo: <sip:spill@example.com>\r\nCall-ID: spill-" + i
                + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        return new CapturedMessage(p, Transport.UDP, null);
    }

    /** Holds the worker until opened: the pipeline is "slower than the traffic". */
    private static final class Hold implements Stage {
        final CountDownLatch open = new CountDownLatch(1);

        @Override
        public void process(Batch batch) {
            try {
                open.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void whatSpilledToDiskIsIndexedOnceWhenThePipelineCatchesUp(@TempDir Path dir) throws Exception {
        EsHttp es = EsHttp.shared();
        String index = "hep-sip-2003.06.02";
        MetricRegistry metrics = new MetricRegistry();
        int n = 20_000;
        try (RestClient rest = ElasticsearchClients.restClient(new ElasticsearchClients.Connection(
                List.of(TestElasticsearch.url()), null, null, null, null))) {
            ObjectMapper mapper = new ObjectMapper();
            new TemplateInstaller(rest, mapper, new TemplateInstaller.IndexSettings(1, 0, "1s")).install();
            BulkIndexer indexer = new BulkIndexer(rest, BulkIndexer.Settings.defaults(), new DiskSpool(dir.resolve("spool"), 1 << 26),
                    () -> true, metrics);
            Hold hold = new Hold();
            Protocols protocols = Protocols.standard(mapper, true);
            Pipeline pipeline = Pipeline.builder(metrics).capacity(200).batchSize(256)
                    .spillTo(new DiskBuffer(dir.resolve("buffer"), 1L << 30, 1 << 20, Durability.defaults()))
                    .add("hold", ctx -> hold)
                    .add("parse", ctx -> new ParseStage(ctx, protocols))
                    .add("index", ctx -> new IndexStage(ctx, new MessageDocumentWriter(), indexer))
                    .build().start();
            for (int i = 0; i < n; i++) {
                assertThat(pipeline.offer(sip(i))).isTrue();
            }
            assertThat(metrics.meter("pipeline.spill.written").getCount()).isGreaterThanOrEqualTo(n - 200 - 256);
            hold.open.countDown();
            assertThat(pipeline.awaitDrained(Duration.ofSeconds(120))).isTrue();
            pipeline.close();
            assertThat(indexer.awaitIdle(Duration.ofSeconds(60))).isTrue();
            indexer.close();
        }
        assertThat(metrics.meter("pipeline.spill.read").getCount()).isEqualTo(metrics.meter("pipeline.spill.written").getCount());
        assertThat(metrics.meter("pipeline.lost.disk_full").getCount()).isZero();
        assertThat(metrics.meter("index.sip.indexed").getCount()).isEqualTo(n);
        assertThat(metrics.meter("index.duplicates").getCount()).isZero();
        assertThat(es.count(index, null)).isEqualTo(n);
        es.delete("/" + index);
    }
}
