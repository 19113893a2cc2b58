package io.hepstack.collector.health;

import com.codahale.metrics.health.HealthCheck;
import io.hepstack.collector.pipeline.Pipeline;

/**
 * Unhealthy while the pipeline refuses messages because its disk buffer's budget is used up or its
 * disk is full (they are counted as {@code pipeline.lost.disk_full} and logged); healthy again as
 * soon as the buffer takes messages again. Reports what waits in memory and on disk.
 */
public final class IngestLossHealthCheck extends HealthCheck {

    private final Pipeline pipeline;

    public IngestLossHealthCheck(Pipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    protected Result check() {
        String problem = pipeline.lossProblem();
        if (problem != null) {
            return Result.unhealthy("messages are being lost: " + problem);
        }
        return Result.builder().healthy().withDetail("queued", pipeline.queued())
                .withDetail("spilled_bytes", pipeline.spilledBytes()).build();
    }
}
