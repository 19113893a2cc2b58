package io.hepstack.collector.retry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failsafe.Execution;
import dev.failsafe.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The delays and retry counts the Failsafe policies give (what the hand-written loops did). */
class BackoffTest {

    private static List<Duration> delays(int maxRetries, Duration initial, Duration max) {
        RetryPolicy<Void> p = Backoff.exponential(RetryPolicy.<Void>builder().withMaxRetries(maxRetries), initial, max).build();
        Execution<Void> e = Execution.of(p);
        List<Duration> out = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            e.recordException(new Exception("refused"));
            if (e.isComplete()) {
                break;
            }
            out.add(e.getDelay());
        }
        return out;
    }

    @Test
    void doublesUpToTheMaximumThenStopsAfterMaxRetries() {
        assertThat(delays(5, Duration.ofMillis(200), Duration.ofSeconds(1))).containsExactly(Duration.ofMillis(200),
                Duration.ofMillis(400), Duration.ofMillis(800), Duration.ofSeconds(1), Duration.ofSeconds(1));
    }

    @Test
    void noRetriesMeansOneAttempt() {
        assertThat(delays(0, Duration.ofMillis(200), Duration.ofSeconds(1))).isEmpty();
    }

    @Test
    void aDelayNotBelowTheMaximumIsConstantAndZeroMeansAtOnce() {
        assertThat(delays(3, Duration.ofSeconds(1), Duration.ofSeconds(1))).containsOnly(Duration.ofSeconds(1)).hasSize(3);
        assertThat(delays(2, Duration.ZERO, Duration.ofSeconds(1))).containsOnly(Duration.ZERO).hasSize(2);
    }
}
