package io.hepstack.collector.health;

import com.codahale.metrics.Meter;
import com.codahale.metrics.health.HealthCheck;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Unhealthy for a while after the correlator had to evict live calls or transactions to stay within
 * {@code correlation.maxCalls} / {@code maxTransactions} (derived from the heap, docs/limits.md): an
 * evicted call's TDR is written as it stood and its later messages (the BYE) become records of their
 * own, so the operator must give the collector more heap (or raise the limits) before the TDRs can
 * be trusted again. Counted in {@code correlate.evictions}.
 */
public final class CorrelationCapacityHealthCheck extends HealthCheck {

    private final Meter evictions;
    private final int maxCalls;
    private final int maxTransactions;
    private final long recentNanos;
    private final LongSupplier nanoTime;
    private long seen;
    private long lastIncrease = Long.MIN_VALUE;

    public CorrelationCapacityHealthCheck(Meter evictions, int maxCalls, int maxTransactions, Duration recent) {
        this(evictions, maxCalls, maxTransactions, recent, System::nanoTime);
    }

    CorrelationCapacityHealthCheck(Meter evictions, int maxCalls, int maxTransactions, Duration recent, LongSupplier nanoTime) {
        this.evictions = evictions;
        this.maxCalls = maxCalls;
        this.maxTransactions = maxTransactions;
        this.recentNanos = recent.toNanos();
        this.nanoTime = nanoTime;
    }

    @Override
    protected synchronized Result check() {
        long now = nanoTime.getAsLong();
        long count = evictions.getCount();
        if (count > seen) {
            seen = count;
            lastIncrease = now;
        }
        if (lastIncrease != Long.MIN_VALUE && now - lastIncrease < recentNanos) {
            return Result.unhealthy("live calls or transactions were evicted (%d so far) because the correlator is at its "
                    + "capacity (correlation.maxCalls %d, maxTransactions %d): their TDRs are incomplete; give the collector "
                    + "more heap or raise the limits (docs/limits.md)", count, maxCalls, maxTransactions);
        }
        return Result.builder().healthy().withDetail("evictions", count).withDetail("max_calls", maxCalls)
                .withDetail("max_transactions", maxTransactions).build();
    }
}
