package io.hepstack.collector.reorder;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.util.Duration;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.pipeline.Batch;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.StageContext;
import io.hepstack.collector.pipeline.Transport;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The reorder stage alone: what it holds, when and in which order it lets go, what it counts. */
class ReorderStageTest {

    private static final long S = 1_000_000;
    /** Capture times around 2026-01-01; the wall clock an hour later. */
    private static final long T0 = 1_767_225_600L * S;

    private final MetricRegistry metrics = new MetricRegistry();
    private long wall = T0 + 3600 * S;

    private ReorderStage stage(long windowSeconds) {
        ReorderConfig c = new ReorderConfig();
        c.window = Duration.seconds(windowSeconds);
        return new ReorderStage(new StageContext("reorder", metrics), c, () -> wall);
    }

    private static CapturedMessage at(long micros, String id) {
        HepPacket p = new HepPacket();
        p.timeSeconds = micros / S;
        p.timeMicros = micros % S;
        p.payload = new byte[100];
        CapturedMessage m = new CapturedMessage(p, Transport.UDP, null);
        m.id = id;
        return m;
    }

    private static List<String> ids(List<CapturedMessage> ms) {
        return ms.stream().map(m -> m.id).toList();
    }

    private static Batch batch(CapturedMessage... ms) {
        return new Batch(new ArrayList<>(List.of(ms)));
    }

    private long meter(String name) {
        return metrics.meter("reorder." + name).getCount();
    }

    @Test
    void messagesWithinTheWindowGoOnInCaptureOrderOnceTheClockIsAWindowPastThem() {
        ReorderStage s = stage(2);
        Batch b1 = batch(at(T0 + 1_000_000, "c"), at(T0, "a"), at(T0 + 500_000, "b"));
        s.process(b1);
        assertThat(b1.messages()).as("all held: the clock (t0+1s) is not 2 s past any").isEmpty();
        assertThat(s.held()).isEqualTo(3);
        Batch b2 = batch(at(T0 + 2_600_000, "d"), at(T0 + 200_000, "a2"));
        s.process(b2);
        assertThat(ids(b2.messages())).as("clock t0+2.6 s: what was captured up to t0+0.6 s, in order")
                .containsExactly("a", "a2", "b");
        assertThat(meter("out_of_order")).isEqualTo(3);
        assertThat(meter("late")).isZero();
        Batch tick = Batch.empty();
        s.tick(T0 + 3_000_000, tick);
        assertThat(ids(tick.messages())).containsExactly("c");
        Batch flush = Batch.empty();
        s.flush(flush);
        assertThat(ids(flush.messages())).containsExactly("d");
        assertThat(s.held()).isZero();
        assertThat(metrics.getGauges().get("reorder.held").getValue()).isEqualTo(0);
    }

    @Test
    void equalCaptureTimesGoInMessageIdOrderWhateverTheirArrival() {
        ReorderStage s = stage(1);
        s.process(batch(at(T0, "z"), at(T0, "m")));
        Batch b = batch(at(T0, "a"), at(T0 + 5 * S, "later"));
        s.process(b);
        assertThat(ids(b.messages())).containsExactly("a", "m", "z");
    }

    @Test
    void aMessageLaterThanTheWindowStillGoesOnAtOnceAndIsCountedLate() {
        ReorderStage s = stage(2);
        Batch b1 = batch(at(T0, "a"), at(T0 + 10 * S, "b"));
        s.process(b1);
        assertThat(ids(b1.messages())).containsExactly("a");
        Batch b2 = batch(at(T0 + S, "late"));
        s.process(b2);
        assertThat(ids(b2.messages())).containsExactly("late");
        assertThat(meter("late")).isEqualTo(1);
    }

    @Test
    void hostileOrMissingTimesCannotHoldTheOthersBackNorFlushThemOut() {
        ReorderStage s = stage(2);
        Batch b = batch(at(T0, "a"), at(wall + 3600 * S, "future"), at(0, "untimed"));
        s.process(b);
        assertThat(ids(b.messages())).as("the future and the untimed go on at once, the clock stays at t0")
                .containsExactly("future", "untimed");
        assertThat(s.held()).isEqualTo(1);
        assertThat(meter("future")).isEqualTo(1);
        assertThat(meter("untimed")).isEqualTo(1);
        // a tick from a pipeline clock that a future message pushed ahead is held to the wall clock plus the lead
        Batch tick = Batch.empty();
        s.tick(Long.MAX_VALUE / 2, tick);
        assertThat(ids(tick.messages())).containsExactly("a");
        Batch next = batch(at(wall + 9 * S, "soon"));
        s.process(next);
        assertThat(next.messages()).as("the clock went no further than the wall clock plus the 10 s lead").isEmpty();
    }

    @Test
    void moreThanTheBoundsLetTheEarliestGoBeforeTheirTime() {
        ReorderConfig c = new ReorderConfig();
        c.maxMessages = 2;
        ReorderStage s = new ReorderStage(new StageContext("reorder", metrics), c, () -> wall);
        Batch b = batch(at(T0 + 3, "c"), at(T0 + 1, "a"), at(T0 + 2, "b"));
        s.process(b);
        assertThat(ids(b.messages())).containsExactly("a");
        assertThat(meter("overflow")).isEqualTo(1);

        ReorderConfig small = new ReorderConfig();
        small.maxBytes = 1500; // a held message counts its payload plus about 512 bytes
        ReorderStage bytes = new ReorderStage(new StageContext("bytes", metrics), small, () -> wall);
        Batch b2 = batch(at(T0 + 1, "x"), at(T0 + 2, "y"), at(T0 + 3, "z"));
        bytes.process(b2);
        assertThat(ids(b2.messages())).containsExactly("x");
        assertThat(bytes.held()).isEqualTo(2);
    }

    @Test
    void badSettingsAreRefusedWithTheirNames() {
        ReorderConfig c = new ReorderConfig();
        c.maxMessages = 0;
        assertThatThrownBy(() -> new ReorderStage(new StageContext("reorder", metrics), c))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxMessages");
        assertThat(new ReorderConfig().enabled()).isTrue();
        ReorderConfig off = new ReorderConfig();
        off.window = Duration.seconds(0);
        assertThat(off.enabled()).isFalse();
    }
}
