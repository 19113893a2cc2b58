package io.hepstack.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.util.Duration;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.pipeline.Batch;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.StageContext;
import io.hepstack.collector.pipeline.Transport;
import io.hepstack.collector.reorder.ReorderConfig;
import io.hepstack.collector.reorder.ReorderStage;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The capture clock measures an agent against when the listener received its packets, so a worker
 * that gets to a backlog late (messages spilled to disk while it lagged) runs the backlog at the pace
 * it arrived, not at its own.
 */
class CaptureClockBacklogTest {

    private static final long S = 1_000_000;
    /** The agent's clock is 3 s behind ours. */
    private static final long SKEW = 3 * S;
    private static final long T0 = 1_767_225_600L * S;
    private static final InetSocketAddress AGENT = new InetSocketAddress("127.0.0.1", 9060);

    private long wall = T0;

    private static CapturedMessage received(long receivedMicros, int n) {
        HepPacket p = new HepPacket();
        long hep = receivedMicros - SKEW;
        p.timeSeconds = hep / S;
        p.timeMicros = hep % S;
        p.captureId = 7;
        p.payload = new byte[200];
        CapturedMessage m = new CapturedMessage(p, Transport.UDP, AGENT);
        m.receivedMicros = receivedMicros;
        m.id = String.format("m%06d", n);
        return m;
    }

    /** 10 s of an agent's traffic at 1,000 messages/s, received from T0 on. */
    private static List<CapturedMessage> tenSeconds() {
        List<CapturedMessage> all = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            all.add(received(T0 + i * 1_000L, i));
        }
        return all;
    }

    @Test
    void aBacklogKeepsTheTimingItArrivedWithWhenTheWorkerGetsToItLate() {
        CaptureClock clock = new CaptureClock(new CaptureClock.Config(), () -> wall);
        List<CapturedMessage> all = tenSeconds();
        wall = T0 + 18 * S; // the worker reads them 8 s after the last arrived, all within a moment
        for (CapturedMessage m : all) {
            clock.stamp(m);
        }
        for (int i = 0; i < all.size(); i++) {
            assertThat(all.get(i).stateMicros).as("message %d runs at its arrival time", i).isEqualTo(T0 + i * 1_000L);
        }
    }

    @Test
    void aMessageWithoutAReceiveTimeOrFromThePreviousRunRunsAtTheWorkersClock() {
        CaptureClock clock = new CaptureClock(new CaptureClock.Config(), () -> wall);
        wall = T0 + 18 * S;
        CapturedMessage unknown = received(T0, 0);
        unknown.receivedMicros = -1;
        clock.stamp(unknown);
        assertThat(unknown.stateMicros).isEqualTo(wall);
        CapturedMessage previousRun = received(T0 + 1_000, 1);
        previousRun.previousRun = true;
        clock.stamp(previousRun);
        assertThat(previousRun.stateMicros).as("the offset learned from the worker's clock, as before").isBetween(wall, wall + 1_000);
    }

    @Test
    void aClaimedTimeFarFromItsArrivalIsHeldToTheArrivalNotToTheWorkersClock() {
        CaptureClock clock = new CaptureClock(new CaptureClock.Config(), () -> wall);
        List<CapturedMessage> all = tenSeconds();
        wall = T0 + 30 * S;
        for (CapturedMessage m : all.subList(0, 100)) {
            clock.stamp(m);
        }
        CapturedMessage spoofed = received(T0 + 100_000, 100);
        spoofed.hep.timeSeconds += 3600; // an hour ahead of when it came
        clock.stamp(spoofed);
        assertThat(spoofed.stateMicros).as("at most maxLead (10 s) after its arrival").isEqualTo(T0 + 100_000 + 10 * S);
    }

    @Test
    void theReorderWindowHoldsTwoSecondsOfArrivalsWhileTheWorkerCatchesUp() {
        CaptureClock clock = new CaptureClock(new CaptureClock.Config(), () -> wall);
        ReorderConfig config = new ReorderConfig();
        config.window = Duration.seconds(2);
        ReorderStage reorder = new ReorderStage(new StageContext("reorder", new MetricRegistry()), config, () -> wall);
        List<CapturedMessage> all = tenSeconds();
        wall = T0 + 18 * S;
        int maxHeld = 0;
        int out = 0;
        for (int from = 0; from < all.size(); from += 500) {
            Batch b = new Batch(new ArrayList<>(all.subList(from, from + 500)));
            for (CapturedMessage m : b.messages()) {
                clock.stamp(m);
            }
            reorder.process(b);
            out += b.messages().size();
            maxHeld = Math.max(maxHeld, reorder.held());
        }
        // measured against the worker's clock, the whole backlog had one state time and stayed held
        assertThat(maxHeld).as("2 s of arrivals at 1,000/s, plus a batch").isLessThanOrEqualTo(2_500);
        assertThat(out + reorder.held()).isEqualTo(10_000);
    }
}
