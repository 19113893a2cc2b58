package io.hepstack.collector.fraud.rules;

import io.hepstack.collector.pipeline.HeapBudget;

import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

/**
 * Memory and timing bounds of the engine. The bounds are Bean Validation constraints, checked by
 * {@link FraudConfigLoader} (which names the file and line of the setting).
 *
 * @param userIdleSeconds     a user's counters are dropped after this long without events (and no live call)
 * @param sourceIdleSeconds   the same for a source IP's counters
 * @param maxUsers            hard cap on tracked users; the least recently active is evicted beyond it
 * @param maxSources          hard cap on tracked source IPs
 * @param setupTimeoutSeconds a call neither answered nor ended after this long is expired
 * @param callTimeoutSeconds  an answered call not ended after this long is expired (lost BYE)
 * @param alertWindowSeconds  de-duplication window of alerts (aligned to the epoch); total-calls uses its rule interval
 * @param alertUpdateSeconds  a repeated alert is re-published at most this often (and once more when its window closes)
 * @param recentAlerts        size of the recent-alerts ring the API shows
 * @param maxOpenAlerts       alerts whose window is still open (for de-duplication); the oldest is closed beyond it
 */
public record Limits(@Positive long userIdleSeconds, @Positive long sourceIdleSeconds, @Positive int maxUsers,
                     @Positive int maxSources, @Positive long setupTimeoutSeconds, @Positive long callTimeoutSeconds,
                     @Positive long alertWindowSeconds, @PositiveOrZero long alertUpdateSeconds,
                     @Positive int recentAlerts, @Positive int maxOpenAlerts) {

    public static Limits defaults() {
        // users and sources: as many as fit in 8 % and 4 % of the heap (docs/limits.md), at most a million
        return new Limits(86_400, 3_600, HeapBudget.entries(0.08, 2_048, 1_000, 1_000_000),
                HeapBudget.entries(0.04, 1_024, 1_000, 1_000_000), 300, 21_600, 300, 10, 1_000, 100_000);
    }
}
