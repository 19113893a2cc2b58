package io.hepstack.collector.health;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.health.HealthCheck;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.ingest.HepListenerConfig;
import io.hepstack.collector.ingest.HepListeners;
import io.hepstack.collector.ingest.IngestMetrics;
import io.hepstack.collector.journal.DiskBuffer;
import io.hepstack.collector.journal.Durability;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.Pipeline;
import io.hepstack.collector.pipeline.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code hep-listeners} health check on real listeners (free loopback ports) and a real pipeline
 * whose worker is not started, so what is offered stays queued: spilling to disk is degraded but
 * healthy, with the spill depth in the message; a full disk budget, kernel drops of the last minute,
 * or a full memory queue without a disk buffer are unhealthy (messages are lost).
 */
class ListenersHealthCheckTest {

    private static final int CAPACITY = 20;

    @TempDir
    Path dir;

    private final MetricRegistry metrics = new MetricRegistry();
    private final HepListenerConfig config = new HepListenerConfig();
    private Pipeline pipeline;
    private HepListeners listeners;

    private HealthCheck check(DiskBuffer disk, HealthCheck kernelDrops) throws InterruptedException {
        config.udp.bind = "127.0.0.1";
        config.udp.port = 0;
        config.tcp.bind = "127.0.0.1";
        config.tcp.port = 0;
        config.tls.enabled = false;
        pipeline = Pipeline.builder(metrics).capacity(CAPACITY).spillTo(disk).add("idle", ctx -> batch -> {
        }).build(); // not started: what is offered waits
        listeners = new HepListeners(config, pipeline, new IngestMetrics(metrics), Duration.ofSeconds(1));
        listeners.start();
        return new ListenersHealthCheck(listeners, config, pipeline, CAPACITY, kernelDrops);
    }

    @AfterEach
    void stop() {
        listeners.close();
        pipeline.close();
    }

    private static CapturedMessage message(int i) {
        HepPacket p = new HepPacket();
        p.version = 3;
        p.ipFamily = HepPacket.AF_INET;
        p.ipProtocol = 17;
        p.srcIp = new byte[] {10, 0, 0, 1};
        p.dstIp = new byte[] {10, 0, 0, 2};
        p.timeSeconds = 1_700_000_000L + i;
        p.timeMicros = 0;
        p.protoType = HepPacket.PROTO_SIP;
        p.payload = ("OPTIONS sip:" + i + "@example.com SIP/2.0\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        return new CapturedMessage(p, Transport.UDP, null);
    }

    private int offer(int n) {
        int kept = 0;
        for (int i = 0; i < n; i++) {
            kept += pipeline.offer(message(i)) ? 1 : 0;
        }
        return kept;
    }

    @Test
    void idleIsHealthyAndNotDegraded() throws Exception {
        HealthCheck.Result r = check(new DiskBuffer(dir, 64 << 20, 64 << 10, Durability.defaults()), null).execute();
        assertThat(r.isHealthy()).as(r.toString()).isTrue();
        assertThat(r.getDetails()).containsEntry("degraded", false).containsEntry("spilled_bytes", 0L);
    }

    @Test
    void spillingToDiskIsDegradedButHealthyWithTheSpillDepth() throws Exception {
        HealthCheck health = check(new DiskBuffer(dir, 64 << 20, 64 << 10, Durability.defaults()), null);
        assertThat(offer(500)).as("nothing lost").isEqualTo(500);
        long spilled = pipeline.spilledBytes();
        assertThat(spilled).isPositive();

        HealthCheck.Result r = health.execute();
        assertThat(r.isHealthy()).as(r.toString()).isTrue();
        assertThat(r.getMessage()).startsWith("degraded").contains(spilled + " bytes spilled to disk")
                .contains(CAPACITY + " messages in memory").contains("lag, not loss");
        assertThat(r.getDetails()).containsEntry("degraded", true).containsEntry("spilled_bytes", spilled);
    }

    @Test
    void aFullDiskBudgetIsUnhealthy() throws Exception {
        HealthCheck health = check(new DiskBuffer(dir, 20_000, 4_000, Durability.defaults()), null);
        assertThat(offer(1000)).as("some are lost").isLessThan(1000);

        HealthCheck.Result r = health.execute();
        assertThat(r.isHealthy()).isFalse();
        assertThat(r.getMessage()).startsWith("messages are being lost").contains("budget");
    }

    @Test
    void aFullQueueWithoutADiskBufferIsUnhealthy() throws Exception {
        HealthCheck health = check(null, null);
        assertThat(offer(CAPACITY + 5)).isEqualTo(CAPACITY);

        HealthCheck.Result r = health.execute();
        assertThat(r.isHealthy()).isFalse();
        assertThat(r.getMessage()).contains("nearly full").contains("no disk buffer");
    }

    @Test
    void kernelDropsOfTheLastMinuteAreUnhealthy() throws Exception {
        try (DatagramSocket unread = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             DatagramSocket sender = new DatagramSocket();
             UdpKernelDrops drops = new UdpKernelDrops(unread::getLocalPort, metrics, Duration.ofHours(1))) {
            unread.setReceiveBufferSize(2048);
            HealthCheck health = check(new DiskBuffer(dir, 64 << 20, 64 << 10, Durability.defaults()), drops);
            drops.poll();
            assertThat(health.execute().isHealthy()).isTrue();
            byte[] data = new byte[1000];
            for (int i = 0; i < 500; i++) { // a socket nobody reads: the kernel drops what does not fit
                sender.send(new DatagramPacket(data, data.length, InetAddress.getLoopbackAddress(), unread.getLocalPort()));
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                drops.poll();
                assertThat(drops.total()).isPositive();
            });

            HealthCheck.Result r = health.execute();
            assertThat(r.isHealthy()).isFalse();
            assertThat(r.getMessage()).startsWith("messages are being lost").contains("kernel dropped");
        }
    }
}
