package io.hepstack.tools.hepgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PacerTest {

    /** A clock that moves only when slept on (or pushed), recording the sleeps. */
    static final class FakeClock implements Pacer.Clock {
        long now = 1_000;
        long sleeps;
        long overshoot;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleep(long nanos) {
            sleeps++;
            now += nanos + overshoot;
        }
    }

    @Test
    void dueTimesAreExactFromTheStart() {
        FakeClock clock = new FakeClock();
        Pacer p = new Pacer(3, clock);
        p.start();
        assertThat(p.dueNanos(0)).isEqualTo(1_000);
        assertThat(p.dueNanos(1)).isEqualTo(1_000 + 333_333_333);
        assertThat(p.dueNanos(2)).isEqualTo(1_000 + 666_666_666);
        assertThat(p.dueNanos(3)).isEqualTo(1_000 + 1_000_000_000);
        // whole seconds stay exact however far: no accumulated rounding
        Pacer seven = new Pacer(7, clock);
        seven.start();
        for (long k = 1; k < 1_000_000; k += 997) {
            assertThat(seven.dueNanos(7 * k) - seven.startNanos()).isEqualTo(k * 1_000_000_000L);
        }
        Pacer odd = new Pacer(12_345.678, clock);
        odd.start();
        assertThat(odd.dueNanos(12_345_678) - odd.startNanos()).isEqualTo(1_000_000_000_000L);
    }

    @Test
    void awaitNeverReturnsEarlyAndTheAverageIsExact() throws Exception {
        FakeClock clock = new FakeClock();
        clock.overshoot = 57_000; // parking overshoots by ~57 µs: the schedule must absorb it
        Pacer p = new Pacer(10_000, clock);
        p.start();
        long start = clock.now;
        for (long i = 0; i < 50_000; i++) {
            p.await(i);
            assertThat(clock.now).isGreaterThanOrEqualTo(p.dueNanos(i));
        }
        // 50,000 packets at 10,000/s: the last is due at 4.9999 s and went out within one overshoot of it
        assertThat(clock.now - start).isBetween(4_999_900_000L, 4_999_900_000L + 57_000);
        assertThat(p.maxLagNanos()).isLessThanOrEqualTo(57_000);
    }

    @Test
    void afterAStallItCatchesUpWithoutWaiting() throws Exception {
        FakeClock clock = new FakeClock();
        Pacer p = new Pacer(100, clock);
        p.start();
        p.await(0);
        clock.now += 1_000_000_000L; // the machine stalls for a second
        long sleepsBefore = clock.sleeps;
        for (long i = 1; i <= 100; i++) {
            p.await(i); // all overdue: sent back to back
        }
        assertThat(clock.sleeps).isEqualTo(sleepsBefore);
        assertThat(p.maxLagNanos()).isEqualTo(990_000_000L);
        p.await(101);
        assertThat(clock.sleeps).isEqualTo(sleepsBefore + 1);
        assertThat(clock.now - p.startNanos()).isEqualTo(1_010_000_000L);
    }

    @Test
    void untilDueReportsTheLag() {
        FakeClock clock = new FakeClock();
        Pacer p = new Pacer(1_000, clock);
        p.start();
        assertThat(p.untilDue(5)).isEqualTo(5_000_000);
        clock.now += 8_000_000;
        assertThat(p.untilDue(5)).isEqualTo(-3_000_000);
        assertThat(p.maxLagNanos()).isEqualTo(3_000_000);
    }

    @Test
    void rateZeroIsUnpacedAndBadRatesAreRejected() {
        assertThat(new Pacer(0, new FakeClock()).unpaced()).isTrue();
        assertThat(new Pacer(1, new FakeClock()).unpaced()).isFalse();
        assertThatThrownBy(() -> new Pacer(-1, new FakeClock())).hasMessageContaining("-1.0");
        assertThatThrownBy(() -> new Pacer(Double.NaN, new FakeClock())).hasMessageContaining("NaN");
        assertThatThrownBy(() -> new Pacer(Double.POSITIVE_INFINITY, new FakeClock())).hasMessageContaining("Infinity");
        assertThatThrownBy(() -> new Pacer(5, null)).hasMessageContaining("clock");
    }
}
