package io.hepstack.tools.hepgen;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** replay's progress: rewritten in place on a terminal, a line every 10 s in a log. */
class ReplayProgressTest {

    @Test
    void onATerminalTheLineIsRewrittenAndEndsWithTheTotal() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong clock = new AtomicLong();
        ReplayProgress p = new ReplayProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), 1000, true, clock::get);
        clock.set(100_000_000L);
        p.sent(10); // too soon: nothing
        clock.set(250_000_000L);
        p.sent(500);
        clock.set(1_000_000_000L);
        p.sent(1000);
        p.done();
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).isEqualTo("\rreplay: 500/1000 packets (50%), 2000 packets/s"
                + "\rreplay: 1000/1000 packets (100%), 1000 packets/s"
                + "\rreplay: 1000/1000 packets (100%), 1000 packets/s\n");
    }

    @Test
    void inALogALineEveryTenSeconds() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong clock = new AtomicLong();
        ReplayProgress p = new ReplayProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), 100, false, clock::get);
        clock.set(5_000_000_000L);
        p.sent(40);
        clock.set(10_000_000_000L);
        p.sent(80);
        clock.set(12_000_000_000L);
        p.sent(100);
        p.done();
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "replay: 80/100 packets (80%), 8 packets/s", "replay: 100/100 packets (100%), 8 packets/s");
        ByteArrayOutputStream quiet = new ByteArrayOutputStream();
        ReplayProgress short1 = new ReplayProgress(new PrintStream(quiet, true, StandardCharsets.UTF_8), 5, false, () -> 0L);
        short1.sent(5);
        short1.done();
        assertThat(quiet.size()).as("a replay shorter than 10 s prints no progress in a log").isZero();
    }
}
