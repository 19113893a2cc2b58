package io.hepstack.collector.correlate;

import com.fasterxml.jackson.databind.JsonNode;
import io.hepstack.collector.fraud.Alert;
import io.hepstack.collector.fraud.AlertListener;
import io.hepstack.collector.fraud.AlertRule;
import io.hepstack.collector.fraud.FraudEngine;
import io.hepstack.collector.fraud.rules.FraudConfigLoader;
import io.hepstack.collector.index.IndexRequest;
import io.hepstack.collector.ingest.CaptureClock;
import io.hepstack.collector.pipeline.CapturedMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attacks on the clocks, as a live collector runs them (capture clock stage first, the wall clock
 * held by the test): a packet dated 2106 and an old capture replayed beside live traffic must move
 * no state, create no index of their claimed day and raise no alert, while the fraud checks keep
 * firing on the real traffic.
 */
class SpoofedTimeTest {

    private static final long NOW = micros("2026-12-07T05:00:00Z");
    private static final String TODAY = "2026.12.07";

    @TempDir
    Path dir;

    private final AtomicLong wall = new AtomicLong(NOW);
    private final List<Alert> alerts = new ArrayList<>();
    private FraudEngine engine;
    private Harness h;

    @BeforeEach
    void collector() throws Exception {
        Path rules = dir.resolve("fraud.yml");
        Files.writeString(rules, """
                timeZone: UTC
                defaultProfile: 1
                alerts: {updateInterval: 0}
                rules:
                  - {ruleid: 1, profileid: 1, prefix: "", start_hour: "00:00", end_hour: "24:00", daysoftheweek: "", cpm_warning: 3, call_duration_warning: 100, call_duration_critical: 150}
                """);
        engine = new FraudEngine(new FraudConfigLoader().load(rules), (AlertListener) alerts::add);
        h = new Harness(new CorrelationConfig(), null, engine, wall::get, new CaptureClock.Config());
    }

    @Test
    void aPacketDated2106CreatesNoIndexAndNoAlertWhileRealTrafficStillAlerts() {
        TestSip.Dialog spoof = live("spoof-2106@test", "mallory");
        spoof.t0 = micros("2106-02-07T00:00:00Z");
        // the agent's offset is learnt from real traffic first
        List<CapturedMessage> in = new ArrayList<>(h.batch(live("warm-up@test", "alice").invite(0)));
        in.addAll(h.batch(spoof.invite(0), spoof.reply(200, "OK", 100)));
        // mallory's call "ends" 80 years later: a BYE dated 2106 for a call that started now
        TestSip.Dialog spoofEnd = live("end-2106@test", "mallory");
        TestSip.Msg bye = spoofEnd.inDialog("BYE", true, 2, "z9hG4bK-bye", 0);
        bye.micros = micros("2106-02-07T00:00:00Z");
        in.addAll(h.each(spoofEnd.invite(0), spoofEnd.reply(200, "OK", 100), bye, spoofEnd.answer(bye, 200, "OK", 0).at(0)));
        wall.addAndGet(5_000_000);
        h.tick(wall.get());

        // then real traffic: alice makes 3 calls in a minute, which the cpm rule must still catch
        for (int i = 0; i < 3; i++) {
            wall.addAndGet(10_000_000);
            TestSip.Dialog d = live("real-" + i + "@test", "alice");
            in.addAll(h.batch(d.invite(0)));
            h.tick(wall.get());
        }

        assertThat(in).extracting(m -> m.index).as("every message in today's index")
                .allMatch(ix -> ix.endsWith(TODAY));
        assertThat(h.sink.requests).extracting(IndexRequest::index).as("TDR indices").allMatch(ix -> ix.endsWith(TODAY));
        // (the reorder stage may hand a batch's messages on in a later batch: look the INVITE up)
        assertThat(in).filteredOn(m -> new String(m.hep.payload, java.nio.charset.StandardCharsets.UTF_8)
                        .matches("(?s)INVITE .*Call-ID: spoof-2106@test.*"))
                .singleElement().extracting(CapturedMessage::timestampMicros).as("the document keeps the time it claims")
                .isEqualTo(micros("2106-02-07T00:00:00Z"));
        assertThat(engine.nowMicros()).as("the fraud engine's clock stays near the wall clock")
                .isBetween(NOW, wall.get() + 10_000_000);
        assertThat(h.stage.correlator().clock()).isLessThanOrEqualTo(wall.get() + 10_000_000);
        assertThat(alerts).extracting(Alert::rule).as("cpm fires on real traffic, nothing on the spoofed times")
                .isNotEmpty().containsOnly(AlertRule.CALLS_PER_MINUTE);
        assertThat(alerts).extracting(Alert::user).containsOnly("alice");
        assertThat(alerts).allMatch(a -> a.windowStartMicros() < wall.get() + 10_000_000);
        assertThat(h.gauge("clock.clamped")).as("the spoofed packets were clamped").isEqualTo(3L);
    }

    @Test
    void anOldCaptureReplayedBesideLiveTrafficGivesCorrectCallsAndNoDurationAlert() {
        TestSip.Dialog old = new TestSip.Dialog("replayed@2002");
        old.captureId = 2002; // the replaying agent; its capture is from 2002
        old.fromUser = "bob";
        TestSip.Dialog now = live("live@test", "carol");
        TestSip.Msg oldBye = old.inDialog("BYE", true, 2, "z9hG4bK-bye", 97_000);
        TestSip.Msg nowBye = now.inDialog("BYE", true, 2, "z9hG4bK-bye", 30_000);
        // both arrive at real pace, interleaved, second by second
        step(0, old.invite(0), now.invite(0));
        step(1, old.reply(200, "OK", 1_000), now.reply(200, "OK", 1_000));
        step(30, nowBye, now.answer(nowBye, 200, "OK", 30_050));
        step(97, oldBye, old.answer(oldBye, 200, "OK", 97_050));
        wall.addAndGet(5_000_000);
        h.tick(wall.get());

        assertThat(alerts).as("no duration alert: the replayed call lasted 96 s, not 24 years").isEmpty();
        JsonNode replayed = h.sink.call("replayed@2002");
        assertThat(replayed.path("tdr").path("status").asText()).isEqualTo("FINISHED");
        assertThat(replayed.path("tdr").path("duration_s").asLong()).isEqualTo(96);
        assertThat(replayed.path("@timestamp").asText()).as("the TDR keeps the capture's time").startsWith("2002-01-01");
        assertThat(h.sink.call("live@test").path("tdr").path("duration_s").asLong()).isEqualTo(29);
        assertThat(engine.metrics().callsEnded()).isEqualTo(2);
    }

    @Test
    void aLongReplayedCallStillRaisesItsTrueDurationAlert() {
        TestSip.Dialog old = new TestSip.Dialog("long-replayed@2002");
        old.captureId = 2002;
        old.fromUser = "dave";
        TestSip.Msg bye = old.inDialog("BYE", true, 2, "z9hG4bK-bye", 200_000);
        step(0, old.invite(0));
        step(1, old.reply(200, "OK", 1_000));
        step(102);
        step(152);
        step(200, bye, old.answer(bye, 200, "OK", 200_050));
        assertThat(alerts).extracting(Alert::rule).as("199 s up: warning and critical, on the replay's own timing")
                .containsOnly(AlertRule.CALL_DURATION).hasSize(2);
        assertThat(alerts).extracting(Alert::severity).as("raised while the call was up, then critical")
                .containsExactly(io.hepstack.collector.fraud.Severity.WARNING, io.hepstack.collector.fraud.Severity.CRITICAL);
    }

    /** Sets the wall clock to {@code second} s after the start, sends the messages, ticks. */
    private void step(long second, TestSip.Msg... msgs) {
        wall.set(NOW + second * 1_000_000);
        h.batch(msgs);
        h.tick(wall.get());
    }

    /** A dialog captured now by the live agent (capture id 1001). */
    private TestSip.Dialog live(String callId, String user) {
        TestSip.Dialog d = new TestSip.Dialog(callId);
        d.t0 = wall.get();
        d.fromUser = user;
        return d;
    }

    private static long micros(String iso) {
        Instant i = Instant.parse(iso);
        return i.getEpochSecond() * 1_000_000L;
    }
}
