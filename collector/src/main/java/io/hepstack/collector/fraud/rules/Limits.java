package io.hepstack.collector.fraud.rules;

/**
 * Memory and timing bounds of the engine.
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
public record Limits(long userIdleSeconds, long sourceIdleSeconds, int maxUsers, int maxSources,
                     long setupTimeoutSeconds, long callTimeoutSeconds, long alertWindowSeconds,
                     long alertUpdateSeconds, int recentAlerts, int maxOpenAlerts) {

    public Limits {
        positive("userIdleTimeout", userIdleSeconds);
        positive("sourceIdleTimeout", sourceIdleSeconds);
        positive("maxUsers", maxUsers);
        positive("maxSources", maxSources);
        positive("setupTimeout", setupTimeoutSeconds);
        positive("callTimeout", callTimeoutSeconds);
        positive("alerts.window", alertWindowSeconds);
        if (alertUpdateSeconds < 0) {
            throw new IllegalArgumentException("alerts.updateInterval must be >= 0: " + alertUpdateSeconds);
        }
        positive("alerts.recent", recentAlerts);
        positive("alerts.maxOpen", maxOpenAlerts);
    }

    public static Limits defaults() {
        return new Limits(86_400, 3_600, 1_000_000, 1_000_000, 300, 21_600, 300, 10, 1_000, 100_000);
    }

    private static void positive(String name, long v) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be > 0: " + v);
        }
    }
}
