package io.hepstack.collector.correlate;

import io.hepstack.collector.pipeline.CapturedMessage;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Non-SIP messages (RTCP, QoS reports, logs) that name a call not seen yet: they wait by Call-ID
 * until its first message arrives ({@link #adopt}), for at most {@code orphanTimeout} on the
 * capture clock and {@code maxOrphans} messages in all (oldest dropped first). A message naming a
 * call closed already is late, one naming nothing unmatched (docs/tdr.md, "Correlation rules",
 * "Other protocols").
 *
 * <p>Not thread-safe: the correlator's worker owns it.
 */
final class OrphanBuffer {

    private final CorrelationConfig config;
    private final CorrelationConfig.Timers timers;
    private final CorrelationMetrics metrics;
    private final CallTable table;
    private final CorrelationIds ids;
    private final LongSupplier clock;

    private final LinkedHashMap<String, List<CapturedMessage>> orphans = new LinkedHashMap<>(64, 0.75f, false);
    private final Map<CapturedMessage, Long> orphanSince = new IdentityHashMap<>();
    private int orphanCount;

    OrphanBuffer(CorrelationConfig config, CorrelationMetrics metrics, CallTable table, CorrelationIds ids,
                 LongSupplier clock) {
        this.config = config;
        this.timers = config.timers();
        this.metrics = metrics;
        this.table = table;
        this.ids = ids;
        this.clock = clock;
    }

    /** Messages waiting. */
    int count() {
        return orphanCount;
    }

    /** A non-SIP message that names a call we do not have: late, waiting, or unmatched. */
    void unattached(CapturedMessage m, String named) {
        if (named == null) {
            metrics.unmatched.mark();
            return;
        }
        String callId = ids.stripSuffix(named);
        m.callId = callId;
        if (table.isClosedCall(callId)) {
            metrics.late.mark(); // indexed, not counted in any TDR
            return;
        }
        if (timers.orphan() <= 0) {
            metrics.unmatched.mark();
            return;
        }
        orphans.computeIfAbsent(callId, k -> new ArrayList<>(2)).add(m);
        orphanSince.put(m, clock.getAsLong());
        orphanCount++;
        while (orphanCount > config.maxOrphans) {
            dropOldestOrphan();
            metrics.orphansDropped.mark();
        }
    }

    /** RTCP, QoS reports and logs that named this call before it was seen: attached to it now, in arrival order. */
    void adopt(CallRecord call, MediaAttachment attachment) {
        List<CapturedMessage> waiting = orphans.remove(call.callId);
        if (waiting != null) {
            for (CapturedMessage o : waiting) {
                orphanCount--;
                orphanSince.remove(o);
                attachment.attachNonSip(call, o);
            }
        }
    }

    /** Drops the messages that waited {@code orphanTimeout} (oldest first). */
    void expireOrphans() {
        if (orphanCount == 0) {
            return;
        }
        long limit = clock.getAsLong() - timers.orphan();
        while (!orphans.isEmpty()) {
            Map.Entry<String, List<CapturedMessage>> e = orphans.entrySet().iterator().next();
            Long since = orphanSince.get(e.getValue().get(0));
            if (since != null && since > limit) {
                break;
            }
            dropOldestOrphan();
            metrics.orphansExpired.mark();
        }
    }

    private void dropOldestOrphan() {
        Iterator<Map.Entry<String, List<CapturedMessage>>> it = orphans.entrySet().iterator();
        if (!it.hasNext()) {
            return;
        }
        Map.Entry<String, List<CapturedMessage>> e = it.next();
        List<CapturedMessage> list = e.getValue();
        CapturedMessage first = list.remove(0);
        orphanSince.remove(first);
        orphanCount--;
        if (list.isEmpty()) {
            it.remove();
        }
    }
}
