package io.hepstack.collector.pipeline;

import com.codahale.metrics.MetricRegistry;
import io.hepstack.collector.hep.HepPacket;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The queue is bounded by the bytes it holds, not only by the count: big packets fill it sooner. */
class QueueBytesTest {

    @Test
    void bigPacketsAreRefusedOnceTheByteBudgetIsUsedAndAcceptedAgainWhenItDrains() throws Exception {
        MetricRegistry metrics = new MetricRegistry();
        PipelineConfig config = new PipelineConfig();
        config.queueBytes = 10 * (512 + 60_000); // ten 60 KB packets
        AtomicInteger processed = new AtomicInteger();
        Pipeline p = Pipeline.builder(metrics).config(config)
                .add("count", ctx -> batch -> processed.addAndGet(batch.messages().size())).build();
        try {
            int accepted = 0;
            for (int i = 0; i < 20; i++) {
                accepted += p.offer(message(60_000)) ? 1 : 0;
            }
            assertThat(accepted).as("not started: the queue only fills").isEqualTo(10);
            assertThat(p.queued()).isEqualTo(10).isLessThan(config.queueCapacity);
            assertThat(metrics.getGauges().get("pipeline.queued_bytes").getValue()).isEqualTo(10L * (512 + 60_000));
            assertThat(p.offer(message(60_000), Duration.ofMillis(50))).as("TCP waits, then gives up").isFalse();
            assertThat(p.offer(message(0))).as("a small packet does not fit either: 512 B of overhead").isFalse();

            p.start();
            assertThat(p.awaitDrained(Duration.ofSeconds(10))).isTrue();
            assertThat(processed.get()).isEqualTo(10);
            assertThat(metrics.getGauges().get("pipeline.queued_bytes").getValue()).isEqualTo(0L);
            assertThat(p.offer(message(60_000))).as("room again").isTrue();
        } finally {
            p.close();
        }
    }

    @Test
    void theDefaultBudgetIsATenthOfTheHeapAndCapsAreDerivedFromIt() {
        MetricRegistry metrics = new MetricRegistry();
        Pipeline.builder(metrics).build();
        assertThat((Long) metrics.getGauges().get("pipeline.capacity_bytes").getValue())
                .isEqualTo(Runtime.getRuntime().maxMemory() / 10);
        long heap = 512L << 20;
        assertThat(HeapBudget.entries(heap, 0.20, 12_288, 1_000, 200_000)).isEqualTo(8_738);
        assertThat(HeapBudget.entries(heap, 0.20, 12_288, 10_000, 200_000)).as("the floor").isEqualTo(10_000);
        assertThat(HeapBudget.entries(64L << 30, 0.20, 12_288, 1_000, 200_000)).as("the ceiling").isEqualTo(200_000);
    }

    private static CapturedMessage message(int payload) {
        HepPacket h = new HepPacket();
        h.payload = new byte[payload];
        return new CapturedMessage(h, Transport.UDP, null);
    }
}
