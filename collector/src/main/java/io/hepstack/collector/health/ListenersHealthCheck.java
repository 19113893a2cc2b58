package io.hepstack.collector.health;

import com.codahale.metrics.health.HealthCheck;
import io.hepstack.collector.ingest.HepListenerConfig;
import io.hepstack.collector.ingest.HepListeners;
import io.hepstack.collector.pipeline.Pipeline;

/** Healthy when every configured HEP socket is bound and the pipeline queue is not nearly full. */
public final class ListenersHealthCheck extends HealthCheck {

    private final HepListeners listeners;
    private final HepListenerConfig config;
    private final Pipeline pipeline;
    private final int capacity;

    public ListenersHealthCheck(HepListeners listeners, HepListenerConfig config, Pipeline pipeline, int capacity) {
        this.listeners = listeners;
        this.config = config;
        this.pipeline = pipeline;
        this.capacity = capacity;
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
        int queued = pipeline.queued();
        if (queued > capacity * 0.9) {
            return Result.unhealthy("pipeline queue nearly full: " + queued + " of " + capacity);
        }
        return Result.builder().healthy()
                .withDetail("udp_port", listeners.udpPort())
                .withDetail("tcp_port", listeners.tcpPort())
                .withDetail("native_transport", listeners.nativeTransport())
                .withDetail("queued", queued).build();
    }
}
