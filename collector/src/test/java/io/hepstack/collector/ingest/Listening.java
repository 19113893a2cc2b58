package io.hepstack.collector.ingest;

import com.codahale.metrics.MetricRegistry;
import io.hepstack.collector.hep.HepEncoder;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.Pipeline;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Real HEP listeners on free loopback ports, handing what they accept to a pipeline that only
 * records it: for attacks on the listeners themselves (no Elasticsearch needed).
 */
final class Listening implements AutoCloseable {

    final MetricRegistry metrics = new MetricRegistry();
    final List<CapturedMessage> accepted = new CopyOnWriteArrayList<>();
    final Pipeline pipeline;
    final IngestMetrics ingest = new IngestMetrics(metrics);
    final HepListeners listeners;

    Listening(HepListenerConfig config) throws InterruptedException {
        config.udp.bind = "127.0.0.1";
        config.udp.port = 0;
        config.tcp.bind = "127.0.0.1";
        config.tcp.port = 0;
        config.tls.bind = "127.0.0.1";
        config.tls.port = 0;
        pipeline = Pipeline.builder(metrics).add("record", ctx -> batch -> accepted.addAll(batch.messages())).build().start();
        listeners = new HepListeners(config, pipeline, ingest, Duration.ofSeconds(1));
        listeners.start();
    }

    long meter(String name) {
        return metrics.meter(name).getCount();
    }

    Object gauge(String name) {
        return metrics.getGauges().get(name).getValue();
    }

    /** Waits until {@code n} messages were accepted (or 10 s passed). */
    List<CapturedMessage> awaitAccepted(int n) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (accepted.size() < n && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        pipeline.awaitDrained(Duration.ofSeconds(5));
        return accepted;
    }

    @Override
    public void close() {
        listeners.close();
        pipeline.close();
    }

    /** A HEP3 SIP packet of this capture id, with this auth key (null: none). */
    static byte[] sip(long captureId, String authKey) {
        return new HepEncoder().encode(packet(captureId, authKey,
                "OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.UTF_8)));
    }

    static HepPacket packet(long captureId, String authKey, byte[] payload) {
        HepPacket p = new HepPacket();
        p.version = 3;
        p.ipFamily = HepPacket.AF_INET;
        p.ipProtocol = 17;
        p.srcIp = new byte[]{10, 0, 0, 1};
        p.dstIp = new byte[]{10, 0, 0, 2};
        p.srcPort = 5060;
        p.dstPort = 5060;
        p.timeSeconds = System.currentTimeMillis() / 1000;
        p.timeMicros = 0;
        p.protoType = HepPacket.PROTO_SIP;
        p.captureId = captureId;
        p.authKey = authKey;
        p.payload = payload;
        return p;
    }
}
