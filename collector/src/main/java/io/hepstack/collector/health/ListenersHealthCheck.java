package io.hepstack.collector.health;

import com.codahale.metrics.health.HealthCheck;
import io.hepstack.collector.ingest.HepListenerConfig;
import io.hepstack.collector.ingest.HepListeners;
import io.hepstack.collector.pipeline.Pipeline;

/**
 * Whether HEP gets in and stays in. Unhealthy only when it does not, or when messages are really
 * being lost: a configured socket is not bound; the disk buffer refuses messages (its budget is used
 * up or its disk is full); the kernel dropped datagrams within the last minute ({@link UdpKernelDrops});
 * without a disk buffer, the memory queue is nearly full (beyond it UDP messages are dropped).
 *
 * <p>A pipeline that is behind while it spills to disk loses nothing (overload is lag, not loss): the
 * check stays healthy, says "degraded" with the spill depth in its message, and sets the details
 * {@code degraded}, {@code queued} (in memory) and {@code spilled_bytes} (on disk), so a load
 * balancer keeps sending while an operator sees the lag.
 */
public final class ListenersHealthCheck extends HealthCheck {

    private final HepListeners listeners;
    private final HepListenerConfig config;
    private final Pipeline pipeline;
    private final int capacity;
    private final HealthCheck kernelDrops;

    /**
     * @param capacity    the memory queue's capacity ({@code pipeline.queueCapacity})
     * @param kernelDrops the UDP listener's kernel drop check, or null for none
     */
    public ListenersHealthCheck(HepListeners listeners, HepListenerConfig config, Pipeline pipeline, int capacity,
                                HealthCheck kernelDrops) {
        this.listeners = listeners;
        this.config = config;
        this.pipeline = pipeline;
        this.capacity = capacity;
        this.kernelDrops = kernelDrops;
    }

    @Override
    protected Result check() {
        StringBuilder down = new StringBuilder();
        if (config.udp.enabled && !listeners.udpBound()) {
            down.append("udp ");
        }
        if (config.tcp.enabled && !listeners.tcpBound()) {
            down.append("tcp ");
        }
        if (config.tls.enabled && !listeners.tlsBound()) {
            down.append("tls ");
        }
        if (down.length() > 0) {
            return Result.unhealthy("not listening: " + down.toString().trim());
        }
        String loss = pipeline.lossProblem();
        if (loss != null) {
            return Result.unhealthy("messages are being lost: " + loss);
        }
        if (kernelDrops != null) {
            Result drops = kernelDrops.execute();
            if (!drops.isHealthy()) {
                return Result.unhealthy("messages are being lost: " + drops.getMessage());
            }
        }
        int queued = pipeline.queued();
        long spilled = pipeline.spilledBytes();
        boolean nearlyFull = queued > capacity * 0.9;
        if (nearlyFull && !pipeline.spills()) {
            return Result.unhealthy("pipeline queue nearly full: " + queued + " of " + capacity
                    + " (no disk buffer: UDP messages beyond it are dropped)");
        }
        ResultBuilder healthy = Result.builder().healthy()
                .withDetail("udp_port", listeners.udpPort())
                .withDetail("tcp_port", listeners.tcpPort())
                .withDetail("native_transport", listeners.nativeTransport())
                .withDetail("queued", queued)
                .withDetail("spilled_bytes", spilled)
                .withDetail("degraded", spilled > 0 || nearlyFull);
        if (spilled > 0) {
            healthy.withMessage("degraded: the pipeline is behind, " + spilled + " bytes spilled to disk and " + queued
                    + " messages in memory wait to be processed in order (lag, not loss)");
        } else if (nearlyFull) {
            healthy.withMessage("degraded: pipeline queue nearly full (" + queued + " of " + capacity
                    + "); what does not fit spills to disk (lag, not loss)");
        }
        return healthy.build();
    }
}
