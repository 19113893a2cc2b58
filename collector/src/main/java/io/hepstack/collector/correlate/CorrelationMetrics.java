package io.hepstack.collector.correlate;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;

import java.util.function.IntSupplier;

/**
 * The correlator's metrics, under {@code correlate.*}: gauges of what is in memory, meters of
 * what happened. Gauges read values the worker publishes after each batch and tick.
 */
final class CorrelationMetrics {

    final Meter calls;
    final Meter transactions;
    final Meter written;
    final Meter duplicates;
    final Meter evictions;
    final Meter expired;
    final Meter late;
    final Meter unmatched;
    final Meter orphansExpired;
    final Meter orphansDropped;
    final Meter listenerErrors;
    final Meter errors;

    private volatile int liveCalls;
    private volatile int liveTransactions;
    private volatile int waitingOrphans;

    CorrelationMetrics(MetricRegistry registry) {
        calls = registry.meter("correlate.calls");
        transactions = registry.meter("correlate.transactions");
        written = registry.meter("correlate.tdr.written");
        duplicates = registry.meter("correlate.duplicates");
        evictions = registry.meter("correlate.evictions");
        expired = registry.meter("correlate.expired");
        late = registry.meter("correlate.late");
        unmatched = registry.meter("correlate.unmatched");
        orphansExpired = registry.meter("correlate.orphans.expired");
        orphansDropped = registry.meter("correlate.orphans.dropped");
        listenerErrors = registry.meter("correlate.listener.errors");
        errors = registry.meter("correlate.errors");
        gauge(registry, "correlate.calls.live", () -> liveCalls);
        gauge(registry, "correlate.transactions.live", () -> liveTransactions);
        gauge(registry, "correlate.orphans.waiting", () -> waitingOrphans);
    }

    private static void gauge(MetricRegistry registry, String name, IntSupplier value) {
        registry.gauge(name, () -> value::getAsInt);
    }

    void publish(int calls, int transactions, int orphans) {
        liveCalls = calls;
        liveTransactions = transactions;
        waitingOrphans = orphans;
    }
}
