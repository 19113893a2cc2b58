package io.hepstack.collector.pipeline;

import com.codahale.metrics.MetricRegistry;
import io.hepstack.collector.hep.HepPacket;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pipeline's promises, with stages that record what they were given. */
class PipelineTest {

    private final MetricRegistry metrics = new MetricRegistry();
    /** What every stage did, in order: "id:process:n", "id:tick", "id:event:x", ... */
    private final List<String> log = new CopyOnWriteArrayList<>();

    private static CapturedMessage message(long micros) {
        HepPacket p = new HepPacket();
        p.version = 3;
        p.timeSeconds = micros / 1_000_000;
        p.timeMicros = (int) (micros % 1_000_000);
        return new CapturedMessage(p, Transport.UDP, null);
    }

    /** A stage that records, and emits one event per message (and one per tick and flush). */
    private final class Recorder implements Stage {
        final String id;
        final boolean emits;

        Recorder(String id, boolean emits) {
            this.id = id;
            this.emits = emits;
        }

        @Override
        public void process(Batch batch) {
            log.add(id + ":process:" + batch.messages().size());
            for (PipelineEvent e : batch.events()) {
                log.add(id + ":sees:" + e);
            }
            if (emits) {
                for (int i = 0; i < batch.messages().size(); i++) {
                    batch.position(i);
                    batch.emit(new Named("m" + i));
                }
                batch.endOfMessages();
            }
        }

        @Override
        public void tick(long nowMicros, Batch batch) {
            log.add(id + ":tick");
            if (emits) {
                batch.emit(new Named("tick"));
            }
        }

        @Override
        public void flush(Batch batch) {
            log.add(id + ":flush");
            if (emits) {
                batch.emit(new Named("flush"));
            }
        }

        @Override
        public void stop() {
            log.add(id + ":stop");
        }

        @Override
        public boolean awaitStop(Duration timeout) {
            log.add(id + ":awaitStop");
            return true;
        }
    }

    private record Named(String name) implements PipelineEvent {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final class Failing implements Stage {
        @Override
        public void process(Batch batch) {
            throw new IllegalStateException("boom");
        }

        @Override
        public void tick(long nowMicros, Batch batch) {
            throw new IllegalStateException("boom on tick");
        }
    }

    @Test
    void storedMessagesAreReplayedThroughTheStagesBeforeTheStartAndNeverAfter() throws Exception {
        Pipeline p = Pipeline.builder(metrics)
                .add("first", ctx -> new Recorder("first", true))
                .add("last", ctx -> new Recorder("last", false))
                .build();
        List<CapturedMessage> page = List.of(message(1_000_000), message(2_000_000)); // immutable: the stages get a copy
        p.replay(page);
        p.endReplay();
        assertThat(log).containsExactly("first:process:2", "last:process:2", "last:sees:m0", "last:sees:m1",
                "first:process:0", "first:flush", "last:process:0", "last:sees:flush", "last:flush");
        assertThat(log).as("no tick: no timer fires on the replayed times").noneMatch(s -> s.endsWith(":tick"));

        p.start();
        assertThatThrownBy(() -> p.replay(page)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(p::endReplay).isInstanceOf(IllegalStateException.class);
        p.close();
        assertThat(log).as("the stop flushes again").containsSubsequence("first:flush", "first:flush");
    }

    @Test
    void aFailingStageIsCountedAndTheLaterStagesStillRun() {
        Stages stages = Pipeline.builder(metrics)
                .add("first", ctx -> new Recorder("first", true))
                .add("broken", ctx -> new Failing())
                .add("last", ctx -> new Recorder("last", false))
                .buildStages();
        stages.process(List.of(message(1_000_000), message(2_000_000)));
        stages.tick(3_000_000);

        assertThat(metrics.meter("pipeline.stage.broken.errors").getCount()).isEqualTo(2);
        assertThat(metrics.meter("pipeline.stage.last.errors").getCount()).isZero();
        assertThat(log).containsSubsequence("first:process:2", "last:process:2", "last:sees:m0", "last:sees:m1");
        assertThat(log).containsSubsequence("first:tick", "last:tick");
        assertThat(metrics.timer("pipeline.stage.last").getCount()).isEqualTo(1);
    }

    @Test
    void whatATickOrFlushEmitsGoesThroughTheLaterStagesOnly() {
        Stages stages = Pipeline.builder(metrics)
                .add("a", ctx -> new Recorder("a", false))
                .add("b", ctx -> new Recorder("b", true))
                .add("c", ctx -> new Recorder("c", false))
                .buildStages();
        Batch tick = stages.tick(5_000_000);
        assertThat(tick.tickMicros()).isEqualTo(5_000_000);
        assertThat(log).containsExactly("a:process:0", "a:tick", "b:process:0", "b:tick", "c:process:0", "c:sees:tick", "c:tick");
        log.clear();
        stages.flush();
        stages.stop();
        assertThat(log).containsExactly("a:process:0", "a:flush", "b:process:0", "b:flush", "c:process:0", "c:sees:flush", "c:flush",
                "a:stop", "b:stop", "c:stop", "a:awaitStop", "b:awaitStop", "c:awaitStop");
    }

    @Test
    void eventsAreVisitedAtTheMessageThatCausedThem() {
        List<CapturedMessage> in = List.of(message(1), message(2), message(3));
        Batch b = new Batch(in);
        b.position(1);
        b.emit(new Named("at-1"));
        b.position(0);
        b.emit(new Named("at-0"));
        b.endOfMessages();
        b.emit(new Named("end"));
        List<String> order = new ArrayList<>();
        b.forEachInOrder(new Batch.Visitor() {
            @Override
            public void message(CapturedMessage m) {
                order.add("m" + in.indexOf(m));
            }

            @Override
            public void event(PipelineEvent e) {
                order.add(e.toString());
            }
        });
        // events keep their emission order: at-0, emitted after at-1, comes with it (positions only hold events back)
        assertThat(order).containsExactly("m0", "at-1", "at-0", "m1", "m2", "end");
        assertThat(b.positionOf(0)).isEqualTo(1);
        assertThat(b.positionOf(2)).isEqualTo(3);
    }

    @Test
    void aSmallBatchWaitsTheLingerForMoreAndABatchNeverGrowsPastItsSize() throws Exception {
        List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
        Pipeline p = Pipeline.builder(metrics).capacity(10_000).batchSize(64).linger(Duration.ofMillis(300))
                .add("count", ctx -> new Stage() {
                    @Override
                    public void process(Batch batch) {
                        seen.add(batch.messages().size());
                    }
                })
                .build()
                .start();
        assertThat(p.offer(message(1_700_000_000_000_000L))).isTrue();
        Thread.sleep(50); // the worker has taken the one message and lingers
        for (int i = 1; i < 8; i++) {
            assertThat(p.offer(message(1_700_000_000_000_000L + i))).isTrue();
        }
        assertThat(p.awaitDrained(Duration.ofSeconds(10))).isTrue();
        assertThat(seen).as("the first message waited for the seven after it").containsExactly(8);
        seen.clear();
        List<CapturedMessage> many = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            many.add(message(1_700_000_000_001_000L + i));
        }
        assertThat(p.offerAll(many)).isEqualTo(200);
        assertThat(p.awaitDrained(Duration.ofSeconds(10))).isTrue();
        assertThat(seen.stream().mapToInt(Integer::intValue).sum()).isEqualTo(200);
        assertThat(seen).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(64));
        p.close();
        assertThatThrownBy(() -> Pipeline.builder(metrics).linger(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theWorkerTicksWithTheCaptureClockAndDrainsEverythingOnClose() throws Exception {
        List<Long> ticks = Collections.synchronizedList(new ArrayList<>());
        List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
        Pipeline p = Pipeline.builder(metrics).capacity(10_000).batchSize(7).tickEvery(Duration.ofMillis(20))
                .add("count", ctx -> new Stage() {
                    @Override
                    public void process(Batch batch) {
                        seen.add(batch.messages().size());
                    }

                    @Override
                    public void tick(long nowMicros, Batch batch) {
                        ticks.add(nowMicros);
                    }

                    @Override
                    public void flush(Batch batch) {
                        seen.add(-1);
                    }
                })
                .build();
        for (int i = 0; i < 1000; i++) {
            assertThat(p.offer(message(1_700_000_000_000_000L + i))).isTrue();
        }
        p.start();
        assertThat(p.awaitDrained(Duration.ofSeconds(10))).isTrue();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (ticks.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(ticks).as("ticks come while idle, on the capture clock").isNotEmpty();
        // "now" is the newest capture time seen when it ticked plus the wall time since: never before the traffic
        assertThat(ticks.get(0)).isBetween(1_700_000_000_000_000L, 1_700_000_000_000_999L + 60_000_000L);
        for (int i = 0; i < 500; i++) {
            p.offer(message(1_700_000_000_001_000L + i));
        }
        p.close();
        assertThat(p.offer(message(1))).as("no messages after close").isFalse();
        int processed = seen.stream().filter(n -> n > 0).mapToInt(Integer::intValue).sum();
        assertThat(processed).as("every queued message processed before the flush").isEqualTo(1500);
        assertThat(seen.get(seen.size() - 1)).as("flush last").isEqualTo(-1);
        assertThat(seen.stream().filter(n -> n > 0)).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(7));
        assertThat(metrics.meter("pipeline.processed").getCount()).isEqualTo(1500);
        p.close(); // twice is harmless
    }

    @Test
    void stagesGetTheirOwnMetricNamespace() {
        Stages stages = Pipeline.builder(metrics)
                .add("enrich", ctx -> {
                    ctx.meter("lookups").mark(3);
                    ctx.gauge("cache.size", () -> 42);
                    assertThat(ctx.child("geo").name("hits")).isEqualTo("enrich.geo.hits");
                    return new Recorder("enrich", false);
                })
                .buildStages();
        assertThat(stages.ids()).containsExactly("enrich");
        assertThat(metrics.meter("enrich.lookups").getCount()).isEqualTo(3);
        assertThat(metrics.getGauges().get("enrich.cache.size").getValue()).isEqualTo(42);
    }

    @Test
    void badStageIdsAndSizesAreRefused() {
        assertThatThrownBy(() -> Pipeline.builder(metrics).add("Index Stage", ctx -> new Recorder("x", false)).buildStages())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Index Stage");
        assertThatThrownBy(() -> Pipeline.builder(metrics).add("a", ctx -> null).add("a", ctx -> null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two stages named a");
        assertThatThrownBy(() -> Pipeline.builder(metrics).capacity(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pipeline.builder(metrics).batchSize(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
