package io.hepstack.collector.health;

import com.codahale.metrics.Meter;
import com.codahale.metrics.health.HealthCheck;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class CorrelationCapacityHealthCheckTest {

    @Test
    void evictionsMakeItUnhealthyUntilNoneHappenedForAWhile() {
        Meter evictions = new Meter();
        AtomicLong now = new AtomicLong();
        CorrelationCapacityHealthCheck check = new CorrelationCapacityHealthCheck(evictions, 8738, 5242,
                Duration.ofMinutes(5), now::get);
        assertThat(check.execute().isHealthy()).isTrue();

        evictions.mark(3);
        HealthCheck.Result r = check.execute();
        assertThat(r.isHealthy()).isFalse();
        assertThat(r.getMessage()).contains("3 so far").contains("maxCalls 8738").contains("more heap");

        now.addAndGet(Duration.ofMinutes(4).toNanos());
        assertThat(check.execute().isHealthy()).as("4 minutes after the last eviction").isFalse();
        evictions.mark();
        now.addAndGet(Duration.ofMinutes(4).toNanos());
        assertThat(check.execute().isHealthy()).as("another one meanwhile: 5 minutes from when it was seen").isFalse();
        now.addAndGet(Duration.ofMinutes(4).toNanos());
        assertThat(check.execute().isHealthy()).isFalse();
        now.addAndGet(Duration.ofMinutes(2).toNanos());
        HealthCheck.Result later = check.execute();
        assertThat(later.isHealthy()).isTrue();
        assertThat(later.getDetails()).containsEntry("evictions", 4L);
    }
}
