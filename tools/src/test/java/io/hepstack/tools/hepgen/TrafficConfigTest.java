package io.hepstack.tools.hepgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TrafficConfigTest {

    @Test
    void badValuesAreRejectedWithTheValueInTheMessage() {
        TrafficConfig.Builder b = TrafficConfig.builder();
        assertThatThrownBy(() -> b.users(0)).hasMessageContaining("users must be 1..60000: 0");
        assertThatThrownBy(() -> b.destinations(90_001)).hasMessageContaining("90001");
        assertThatThrownBy(() -> b.calls(-2)).hasMessageContaining("-2");
        assertThatThrownBy(() -> b.callsPerSecond(0)).hasMessageContaining("callsPerSecond must be in (0, 1000000]: 0.0");
        assertThatThrownBy(() -> b.callsPerSecond(Double.NaN)).hasMessageContaining("NaN");
        assertThatThrownBy(() -> b.captureId(1L << 32)).hasMessageContaining("4294967296");
        assertThatThrownBy(() -> b.callerIps(List.of("81.2.69.142", "2001:db8::1::2"))).hasMessageContaining("'2001:db8::1::2'");
        assertThatThrownBy(() -> b.callerIps(List.of("[2001:db8::1]"))).hasMessageContaining("'[2001:db8::1]'");
        assertThatThrownBy(() -> b.sbcIp6("192.0.2.10")).hasMessageContaining("'192.0.2.10'");
        assertThatThrownBy(() -> b.callerIps(List.of("256.1.1.1"))).hasMessageContaining("'256.1.1.1'");
        assertThatThrownBy(() -> b.callerIps(List.of("1.2.3"))).hasMessageContaining("'1.2.3'");
        assertThatThrownBy(() -> b.destinationNumbers(List.of("004412345678"))).hasMessageContaining("'004412345678'");
        assertThatThrownBy(() -> b.callerNumbers(List.of("+44"))).hasMessageContaining("'+44'");
        assertThatThrownBy(() -> b.sbc("192.0.2.10", 70000, "x")).hasMessageContaining("70000");
        assertThatThrownBy(() -> b.sbc("192.0.2.10", 5060, "a b")).hasMessageContaining("'a b'");
        assertThatThrownBy(() -> b.callWeight(CallOutcome.BUSY, -1)).hasMessageContaining("busy must be >= 0: -1");
        assertThatThrownBy(() -> b.rtcpIntervalSeconds(-5)).hasMessageContaining("-5");
        assertThatThrownBy(() -> b.nodeName("")).hasMessageContaining("nodeName");
        assertThatThrownBy(() -> b.startMicros(-1)).hasMessageContaining("-1");
        assertThatThrownBy(() -> TrafficConfig.builder().callMix(Map.of()).build()).hasMessageContaining("call mix");
        // no calls: an empty call mix is fine
        assertThat(TrafficConfig.builder().calls(0).callMix(Map.of()).build().calls()).isZero();
    }

    @Test
    void expectedPacketsPerCallFollowsTheMix() {
        // answered only, one RTCP report per side, fixed 60 s: INVITE 100 180 200 ACK BYE 200 + 2 RTCP + LOG
        TrafficConfig answered = TrafficConfig.builder().callMix(Map.of(CallOutcome.ANSWERED, 1))
                .callDuration(DurationDistribution.parse("fixed:60")).build();
        assertThat(answered.expectedPacketsPerCall()).isEqualTo(10.0);
        // every 10 s for 60 s: reports at 10..50 s, 5 per side
        TrafficConfig every10 = TrafficConfig.builder().callMix(Map.of(CallOutcome.ANSWERED, 1))
                .callDuration(DurationDistribution.parse("fixed:60")).rtcpIntervalSeconds(10).build();
        assertThat(every10.expectedPacketsPerCall()).isEqualTo(18.0);
        // half busy (INVITE 100 486 ACK + LOG = 5), half cancelled (7 + LOG = 8)
        TrafficConfig mixed = TrafficConfig.builder().callMix(Map.of(CallOutcome.BUSY, 1, CallOutcome.CANCELLED, 1)).build();
        assertThat(mixed.expectedPacketsPerCall()).isEqualTo(6.5);
        // registrations: 85 % × 5 + 10 % × 5 + 5 % × 3
        assertThat(TrafficConfig.builder().build().expectedPacketsPerRegistration()).isCloseTo(4.9, within(1e-9));
    }

    @Test
    void expectedPacketsMatchWhatTheModelMakes() {
        TrafficConfig c = TrafficConfig.builder().calls(2000).registrations(0).seed(5)
                .callDuration(DurationDistribution.parse("uniform:10-50")).rtcpIntervalSeconds(5).build();
        long packets = 0;
        HepTrafficModel m = new HepTrafficModel(c);
        while (m.hasNext()) {
            m.next();
            packets++;
        }
        assertThat(packets / 2000.0).isCloseTo(c.expectedPacketsPerCall(), within(0.5));
    }

    @Test
    void durationSpecs() {
        SplittableRandom rng = new SplittableRandom(1);
        assertThat(DurationDistribution.parse("fixed:45").sampleSeconds(rng)).isEqualTo(45);
        DurationDistribution u = DurationDistribution.parse("uniform:3-5");
        for (int i = 0; i < 1000; i++) {
            assertThat(u.sampleSeconds(rng)).isBetween(3L, 5L);
        }
        DurationDistribution e = DurationDistribution.parse("exp:90:5-600");
        double sum = 0;
        for (int i = 0; i < 200_000; i++) {
            long s = e.sampleSeconds(rng);
            assertThat(s).isBetween(5L, 600L);
            sum += s;
        }
        // E[clamp(Exp(90), 5, 600)] = 5 + 90 (e^(-5/90) - e^(-600/90)) = 90.02
        assertThat(e.approximateMeanSeconds()).isCloseTo(90.02, within(0.01));
        assertThat(sum / 200_000).isCloseTo(e.approximateMeanSeconds(), within(1.0));
        assertThat(DurationDistribution.parse("exp:30").sampleSeconds(rng)).isBetween(1L, 600L);
        assertThatThrownBy(() -> DurationDistribution.parse("gauss:3")).hasMessageContaining("'gauss:3'");
        assertThatThrownBy(() -> DurationDistribution.parse("uniform:9-3")).hasMessageContaining("9-3 is empty");
        assertThatThrownBy(() -> DurationDistribution.parse("fixed:0")).hasMessageContaining("1..86400: 0");
        assertThatThrownBy(() -> DurationDistribution.parse("fixed:x")).hasMessageContaining("'x'");
        assertThatThrownBy(() -> DurationDistribution.parse("60")).hasMessageContaining("expected fixed:S");
    }

    @Test
    void apportionByLargestRemainder() {
        assertThat(OutcomeDeck.apportion(new int[] {1, 1, 1}, 10)).containsExactly(4, 3, 3);
        assertThat(OutcomeDeck.apportion(new int[] {70, 8, 7, 3, 4, 3, 5}, 7)).containsExactly(5, 1, 1, 0, 0, 0, 0);
        assertThat(OutcomeDeck.apportion(new int[] {0, 5, 0}, 3)).containsExactly(0, 3, 0);
        assertThat(OutcomeDeck.apportion(new int[] {2, 1}, 1)).containsExactly(1, 0);
    }

    @Test
    void deckDealsExactCountsInShuffledOrder() {
        OutcomeDeck deck = new OutcomeDeck(new int[] {3, 1}, 400, 9);
        int[] counts = new int[2];
        int runs = 0;
        int last = -1;
        for (int i = 0; i < 400; i++) {
            int o = deck.next();
            counts[o]++;
            runs += o != last ? 1 : 0;
            last = o;
        }
        assertThat(counts).containsExactly(300, 100);
        assertThat(runs).as("shuffled, not sorted").isGreaterThan(50);
        assertThatThrownBy(deck::next).hasMessageContaining("all 400 outcomes were dealt");
        assertThatThrownBy(() -> new OutcomeDeck(new int[] {0, 0}, 5, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void numberVariantsKeepThePrefixAndDiffer() {
        assertThat(TrafficDirectory.variant("+442071838750", 0)).isEqualTo("+442071838750");
        // last four digits 8750 + 7919 = 16669 → 6669
        assertThat(TrafficDirectory.variant("+442071838750", 1)).isEqualTo("+442071836669");
        assertThat(TrafficDirectory.variant("+3727123456", 2)).isEqualTo("+3727129294"); // 3456 + 15838 = 19294
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int k = 0; k < 10_000; k++) {
            assertThat(seen.add(TrafficDirectory.variant("+12065550147", k))).isTrue();
        }
    }
}
