package io.hepstack.collector.protocol.sip;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared Strings always equal a fresh UTF-8 decode; repeats of short ASCII runs are the same instance. */
class RecentStringsTest {

    private static String of(String padded, int from, int to) {
        return RecentStrings.of(padded.getBytes(StandardCharsets.UTF_8), from, to);
    }

    @Test
    void equalsAFreshDecodeOfItsRange() {
        assertThat(of("xxhost.example.comyy", 2, 18)).isEqualTo("host.example.com");
        assertThat(of("abc", 1, 1)).isEqualTo("");
        assertThat(of("a\tb c", 0, 5)).isEqualTo("a\tb c");
        // not ASCII: decoded as UTF-8 (Latin-1 would give two chars for ü)
        assertThat(of("Müller", 0, 7)).isEqualTo("Müller");
        byte[] broken = {'a', (byte) 0xff, 'b'};
        assertThat(RecentStrings.of(broken, 0, 3)).isEqualTo(new String(broken, StandardCharsets.UTF_8));
    }

    @Test
    void aRepeatedShortAsciiRunIsTheSameString() {
        byte[] first = "SIP/2.0/UDP 10.0.0.1".getBytes(StandardCharsets.US_ASCII);
        byte[] again = "..10.0.0.1".getBytes(StandardCharsets.US_ASCII);
        String a = RecentStrings.of(first, 12, 20);
        String b = RecentStrings.of(again, 2, 10);
        assertThat(b).isEqualTo("10.0.0.1").isSameAs(a);
    }

    @Test
    void longOrNonAsciiRunsAreNotShared() {
        String longer = "x".repeat(RecentStrings.MAX_LENGTH + 1);
        byte[] b = longer.getBytes(StandardCharsets.US_ASCII);
        String one = RecentStrings.of(b, 0, b.length);
        assertThat(one).isEqualTo(longer);
        assertThat(RecentStrings.of(b, 0, b.length)).isEqualTo(longer).isNotSameAs(one);

        byte[] u = "Zoë".getBytes(StandardCharsets.UTF_8);
        assertThat(RecentStrings.of(u, 0, u.length)).isNotSameAs(RecentStrings.of(u, 0, u.length)).isEqualTo("Zoë");
        byte[] broken = {'x', (byte) 0xc3, 'y'};
        assertThat(RecentStrings.of(broken, 0, 3)).isEqualTo(new String(broken, StandardCharsets.UTF_8));
    }

    /** Random bytes (invalid UTF-8 included) at every length and offset: always a fresh decode's text, slots in range. */
    @Test
    void randomRangesEqualAFreshDecode() {
        java.util.Random random = new java.util.Random(42);
        byte[] symbols = {'a', 'b', '.', ':', ' ', (byte) 0xc3, (byte) 0xa9, (byte) 0xff, (byte) 0x80};
        for (int i = 0; i < 200_000; i++) {
            int n = random.nextInt(RecentStrings.MAX_LENGTH + 8);
            byte[] buf = new byte[n + 10];
            // a few symbols only, so equal ranges come back and hit
            for (int k = 0; k < buf.length; k++) {
                buf[k] = symbols[random.nextInt(symbols.length)];
            }
            int from = random.nextInt(10);
            int to = Math.min(buf.length, from + n);
            String got = RecentStrings.of(buf, from, to);
            assertThat(got).isEqualTo(new String(buf, from, to - from, StandardCharsets.UTF_8));
            if (to > from && to - from <= RecentStrings.MAX_LENGTH) {
                assertThat(RecentStrings.slot(buf, from, to)).isBetween(0, RecentStrings.SLOTS - 1);
            }
        }
    }

    /** Many distinct values share the slots: whatever a slot held before, the answer is the value asked for. */
    @Test
    void collisionsNeverAnswerAnotherValue() {
        Map<String, String> firstSeen = new HashMap<>();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 4 * RecentStrings.SLOTS; i++) {
                String v = "u" + i;
                byte[] b = ("<" + v + ">").getBytes(StandardCharsets.US_ASCII);
                String got = RecentStrings.of(b, 1, b.length - 1);
                assertThat(got).isEqualTo(v);
                firstSeen.putIfAbsent(v, got);
            }
        }
        assertThat(firstSeen).hasSize(4 * RecentStrings.SLOTS);
    }
}
