package io.hepstack.collector.fraud;

import io.hepstack.collector.fraud.rules.FraudConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static io.hepstack.collector.fraud.FraudTestSupport.at;
import static io.hepstack.collector.fraud.FraudTestSupport.call;
import static io.hepstack.collector.fraud.FraudTestSupport.config;
import static io.hepstack.collector.fraud.FraudTestSupport.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bounded memory, the sliding windows and heap underneath, and reads from another thread. */
class EngineStateTest {

    @TempDir
    Path dir;

    private final long t0 = at("2026-01-05T10:00:00Z");

    @Test
    void slidingCounterIsExactPerSecondUpTo120Seconds() {
        SlidingCounter c = new SlidingCounter(10);
        assertThat(c.add(100)).isEqualTo(1);
        assertThat(c.add(105)).isEqualTo(2);
        assertThat(c.count(109)).isEqualTo(2);
        assertThat(c.count(110)).as("second 100 left the window").isEqualTo(1);
        assertThat(c.add(103)).as("late, but still in the window").isEqualTo(2);
        assertThat(c.add(99)).as("too late: not counted").isEqualTo(2);
        assertThat(c.count(1000)).isZero();
        SlidingCounter hour = new SlidingCounter(3600); // 120 buckets of 30 s
        hour.add(0);
        assertThat(hour.count(3599)).isEqualTo(1);
        assertThat(hour.count(3600)).isZero();
        assertThatThrownBy(() -> new SlidingCounter(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eventWindowKeepsNoMoreThanItsCapacity() {
        EventWindow w = new EventWindow(60, 3);
        assertThat(w.add(seconds(0))).isEqualTo(1);
        assertThat(w.add(seconds(10))).isEqualTo(2);
        assertThat(w.add(seconds(20))).isEqualTo(3);
        assertThat(w.add(seconds(30))).as("saturates at the capacity").isEqualTo(3);
        assertThat(w.count(seconds(79))).isEqualTo(2);
        assertThat(w.count(seconds(90))).isZero();
    }

    @Test
    void callHeapOrdersByDeadlineAndRemovesFromTheMiddle() {
        CallHeap h = new CallHeap();
        Random r = new Random(7);
        List<LiveCall> calls = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            LiveCall c = new LiveCall("c" + i, null, null, null, 0, null, null, null, null, Double.NaN);
            c.deadlineMicros = r.nextInt(10_000);
            calls.add(c);
            h.update(c);
        }
        for (int i = 0; i < 500; i += 3) {
            h.remove(calls.get(i));
        }
        calls.get(1).deadlineMicros = -1;
        h.update(calls.get(1));
        assertThat(h.peek()).isSameAs(calls.get(1));
        long last = Long.MIN_VALUE;
        int n = 0;
        while (h.peek() != null) {
            LiveCall c = h.peek();
            assertThat(c.deadlineMicros).isGreaterThanOrEqualTo(last);
            last = c.deadlineMicros;
            h.remove(c);
            n++;
        }
        assertThat(n).isEqualTo(500 - 167);
    }

    @Test
    void idleUsersAndSourcesExpireButNotWhileACallIsUp() {
        FraudConfig c = config(dir, "defaultProfile: 1\nstate: {userIdleTimeout: 10m, sourceIdleTimeout: 5m, callTimeout: 2h}\n"
                + "rules:\n  - {ruleid: 1, profileid: 1, prefix: \"\", start_hour: \"00:00\", end_hour: \"24:00\"}\n");
        FraudEngine e = new FraudEngine(c);
        for (int i = 0; i < 100; i++) {
            e.onCallStarted(call("c" + i, t0 + i, "user" + i, "1").build());
            e.onCallEnded(CallEnded.answered("c" + i, t0 + seconds(10) + i, 10));
            e.onSip(SipSeen.request(t0 + i, "192.0.2." + i, "OPTIONS", null, null, null, "o" + i));
        }
        e.onCallStarted(call("long", t0, "talker", "1").build());
        e.onCallAnswered(new CallAnswered("long", t0 + seconds(1)));
        assertThat(e.metrics().liveUsers()).isEqualTo(101);
        assertThat(e.metrics().liveSources()).isEqualTo(100);
        e.tick(t0 + seconds(5 * 60 + 1));
        assertThat(e.metrics().liveSources()).isZero();
        assertThat(e.metrics().expiredSources()).isEqualTo(100);
        assertThat(e.metrics().liveUsers()).isEqualTo(101);
        e.tick(t0 + seconds(11 * 60));
        assertThat(e.metrics().liveUsers()).as("only the user with a live call is left").isEqualTo(1);
        assertThat(e.metrics().expiredUsers()).isEqualTo(100);
        assertThat(e.statsFor("talker").liveCalls()).isEqualTo(1);
        assertThat(e.statsFor("user5")).isNull();
        e.onCallEnded(CallEnded.answered("long", t0 + seconds(3000), 2999));
        e.tick(t0 + seconds(3000 + 601));
        assertThat(e.metrics().liveUsers()).isZero();
    }

    @Test
    void theUserCapEvictsTheLeastRecentlyActive() {
        FraudEngine e = new FraudEngine(config(dir, "state: {maxUsers: 10}\n"));
        for (int i = 0; i < 25; i++) {
            e.onCallStarted(call("c" + i, t0 + i, "u" + i, "1").build());
            e.onCallEnded(CallEnded.failed("c" + i, t0 + i));
        }
        assertThat(e.metrics().liveUsers()).isEqualTo(10);
        assertThat(e.metrics().evictedUsers()).isEqualTo(15);
        assertThat(e.statsFor("u24")).isNotNull();
        assertThat(e.statsFor("u14")).isNull();
    }

    @Test
    void eventsWithoutUserOrWithUnknownCallIdsAreCountedNotFatal() {
        FraudEngine e = new FraudEngine(FraudConfig.defaults());
        e.onCallStarted(CallStarted.builder("anon", t0).calledNumber("1").build());
        e.onCallStarted(CallStarted.builder("anon", t0).calledNumber("1").build());
        e.onCallAnswered(new CallAnswered("nope", t0));
        e.onCallEnded(CallEnded.failed("nope", t0));
        e.onCallEnded(CallEnded.failed("anon", t0));
        e.onSip(SipSeen.request(t0, null, "INVITE", null, null, null, null));
        FraudMetrics m = e.metrics();
        assertThat(m.duplicateStarts()).isEqualTo(1);
        assertThat(m.unknownCalls()).isEqualTo(2);
        assertThat(m.liveCalls()).isZero();
        assertThat(m.events()).isEqualTo(6);
        assertThatThrownBy(() -> CallStarted.builder(null, 0).build()).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new SipSeen(0, "1.2.3.4", null, 0, null, null, null, null))
                .hasMessageContaining("status code");
    }

    @Test
    void theRestApiCanReadWhileThePipelineWrites() throws Exception {
        FraudEngine e = new FraudEngine(config(dir, "defaultProfile: 1\nalerts: {updateInterval: 0}\nrules:\n"
                + "  - {ruleid: 1, profileid: 1, prefix: \"\", start_hour: \"00:00\", end_hour: \"24:00\", cpm_warning: 5}\n"));
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                while (!done.get()) {
                    UserFraudStats s = e.statsFor("u1");
                    if (s != null) {
                        assertThat(s.rules()).allSatisfy(r -> assertThat(r.cpm()).isBetween(0L, 60L * 1000));
                    }
                    e.recentAlerts(50);
                    e.metrics();
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        reader.start();
        for (int i = 0; i < 20_000; i++) {
            long t = t0 + i * 10_000L;
            e.onCallStarted(call("c" + i, t, "u" + (i % 7), "1").build());
            e.onCallEnded(CallEnded.answered("c" + i, t + 5000, 0));
            if (i % 100 == 0) {
                e.tick(t);
            }
        }
        done.set(true);
        reader.join();
        assertThat(failure.get()).isNull();
        assertThat(e.metrics().callsStarted()).isEqualTo(20_000);
        assertThat(e.metrics().liveCalls()).isZero();
    }
}
