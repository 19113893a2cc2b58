package io.hepstack.collector.correlate;

import com.codahale.metrics.Meter;
import io.hepstack.collector.pipeline.StageContext;

/**
 * The correlator's metrics, under the stage's namespace ({@code correlate.*}): gauges of what is in memory, meters of
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
    /** Media reports, logs and SIP messages that arrived after their call closed and still joined it ({@link ClosedCalls}). */
    final Meter lateJoined;
    final Meter unmatched;
    final Meter orphansExpired;
    final Meter orphansDropped;
    final Meter errors;
    /** Messages not tracked because their Call-ID is longer than {@link Canonical#MAX_CHARS}. */
    final Meter oversized;
    /** In-dialog SIP read again after a crash whose call had ended before it: no orphan record made. */
    final Meter replayedAfterEnd;
    /** Media addresses of a call past its 64 not indexed; link keys too long or past a call's cap. */
    final Meter mediaKeysDropped;
    final Meter linkKeysDropped;

    private volatile int liveCalls;
    private volatile int liveTransactions;
    private volatile int waitingOrphans;

    CorrelationMetrics(StageContext context) {
        calls = context.meter("calls");
        transactions = context.meter("transactions");
        written = context.meter("tdr.written");
        duplicates = context.meter("duplicates");
        evictions = context.meter("evictions");
        expired = context.meter("expired");
        late = context.meter("late");
        lateJoined = context.meter("late.joined");
        unmatched = context.meter("unmatched");
        orphansExpired = context.meter("orphans.expired");
        orphansDropped = context.meter("orphans.dropped");
        errors = context.meter("errors");
        oversized = context.meter("oversized_call_id");
        replayedAfterEnd = context.meter("replayed_after_end");
        mediaKeysDropped = context.meter("media.keys_dropped");
        linkKeysDropped = context.meter("links.keys_dropped");
        context.gauge("calls.live", () -> liveCalls);
        context.gauge("transactions.live", () -> liveTransactions);
        context.gauge("orphans.waiting", () -> waitingOrphans);
    }

    void publish(int calls, int transactions, int orphans) {
        liveCalls = calls;
        liveTransactions = transactions;
        waitingOrphans = orphans;
    }
}
