package io.hepstack.collector.correlate;

import io.hepstack.collector.pipeline.Batch;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.protocol.sip.SipMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * Groups captured messages into calls and transactions and keeps their TDRs written. The rules
 * (what joins what, how a status and the timings are derived, how memory stays bounded) are in
 * docs/tdr.md; the parts follow its sections:
 * <ul>
 * <li>{@link SipDialogs}: SIP by Call-ID. INVITE dialogs become {@link CallRecord}s, other
 *     transactions {@link TransactionRecord}s; duplicates by {@link MessageKey}.</li>
 * <li>{@link MediaAttachment}: RTCP and QoS reports by correlation id, then SDP media address,
 *     then SSRC; LOG/JSON by correlation id. Messages naming a call not seen yet wait in the
 *     {@link OrphanBuffer}.</li>
 * <li>{@link LegLinks}: B2BUA legs.</li>
 * <li>{@link CallTable}: the live records, their expiry and eviction, the recently closed.</li>
 * <li>{@link ClosedCalls}: closed calls kept a while for media reports, logs and SIP that arrive after them.</li>
 * <li>{@link WriteScheduler}: when TDR writes and call events go onto the batch.</li>
 * <li>Time (here): the capture clock (newest capture time seen, moved by ticks), never more than
 *     {@code maxClockLead} ahead of the wall clock. Timers count from a record's last message on
 *     this clock, so a replay behaves like live traffic.</li>
 * </ul>
 * Not thread-safe: the pipeline worker owns it.
 */
final class Correlator {

    private static final Logger LOG = LoggerFactory.getLogger(Correlator.class);

    /** Lets helpers find live calls (and closed ones kept a while) and report changes. */
    interface Lookup {
        CallRecord live(String callId);

        /** The closed call with this Call-ID that SIP captured at {@code micros} still joins ({@link ClosedCalls#sipCall}). */
        CallRecord kept(String callId, long micros);

        void changed(TdrRecord r);
    }

    private final CorrelationConfig.Timers timers;
    private final int maxMessageIds;
    private final CorrelationMetrics metrics;
    private final LongSupplier wallMicros;

    private final WriteScheduler writes;
    private final CallTable table;
    private final OrphanBuffer orphans;
    private final ClosedCalls recent;
    private final MediaAttachment attachment;
    private final SipDialogs sip;

    private long clock = Long.MIN_VALUE;

    Correlator(CorrelationConfig config, CorrelationMetrics metrics, LongSupplier wallMicros) {
        List<String> problems = config.validate();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("correlation config: " + String.join("; ", problems));
        }
        this.timers = config.timers();
        this.maxMessageIds = config.maxMessageIds;
        this.metrics = metrics;
        this.wallMicros = wallMicros;
        LongSupplier clock = this::clock;
        /* Recurring strings of live records (methods, nodes, domains, user agents, codecs) kept once. */
        Canonical canonical = new Canonical(1 << 20); // 1 M characters: about 1-2 MB
        CorrelationIds ids = new CorrelationIds(config.correlationSuffixes);
        MediaIndex media = new MediaIndex(Math.max(1024, config.maxCalls * 4), metrics.mediaKeysDropped);
        this.writes = new WriteScheduler(metrics, timers, new TdrDocumentWriter(wallMicros), clock, config.rating);
        LegLinks links = new LegLinks(config.linkHeaders, config.linkSessionId, Math.max(1024, config.maxCalls * 2),
                metrics.linkKeysDropped, new Lookup() {
            @Override
            public CallRecord live(String callId) {
                return table.call(callId);
            }

            @Override
            public CallRecord kept(String callId, long micros) {
                return recent.sipCall(callId, micros);
            }

            @Override
            public void changed(TdrRecord r) {
                if (r.closed) {
                    writes.late(r); // a closed leg linked by a leg that came after it: its TDR again
                } else {
                    writes.urgent(r);
                }
            }
        });
        this.recent = new ClosedCalls(config.lateMediaGrace.toMicroseconds(), config.lateMediaCalls, timers,
                config.reorder.enabled() ? config.reorder.window.toMicroseconds() : 0, clock);
        this.table = new CallTable(config, metrics, writes, media, links, recent, clock);
        this.orphans = new OrphanBuffer(config, metrics, table, ids, clock);
        this.attachment = new MediaAttachment(config, metrics, table, recent, orphans, writes, media, ids, canonical,
                clock);
        this.sip = new SipDialogs(config, metrics, table, recent, orphans, writes, media, links, ids, canonical,
                clock);
        this.orphans.releaseTo(this::released);
    }

    long clock() {
        return clock;
    }

    int liveCalls() {
        return table.calls();
    }

    int liveTransactions() {
        return table.transactions();
    }

    int orphans() {
        return orphans.count();
    }

    /** The live call with this Call-ID (tests, API). */
    CallRecord call(String callId) {
        return table.call(callId);
    }

    // ================================================================== entry points

    /**
     * Takes back the calls that were live before a restart, from their stored TDR documents
     * (index name, {@code _source}); before the first message.
     *
     * @return how many were taken
     */
    int resume(List<java.util.Map.Entry<String, com.fasterxml.jackson.databind.node.ObjectNode>> tdrs) {
        int taken = 0;
        for (var e : tdrs) {
            CallRecord c = ResumedCalls.fromDocument(e.getKey(), e.getValue(), maxMessageIds, clock);
            if (c != null && table.resume(c)) {
                taken++;
            }
        }
        return taken;
    }

    void process(Batch b) {
        writes.beginBatch(b);
        List<CapturedMessage> messages = b.messages();
        for (int i = 0; i < messages.size(); i++) {
            CapturedMessage m = messages.get(i);
            b.position(i);
            try {
                onMessage(m);
            } catch (RuntimeException e) {
                metrics.errors.mark();
                if (shouldLog(metrics.errors.getCount())) {
                    LOG.warn("correlation failed for message {} ({} so far): {}", m.id, metrics.errors.getCount(),
                            e.toString(), e);
                }
            }
        }
        b.endOfMessages();
        orphans.endBatch();
        writes.writeTouched();
    }

    void tick(long nowMicros, Batch b) {
        writes.emitInto(b);
        advance(nowMicros);
        table.expire();
        recent.expire();
        orphans.expireOrphans();
        writes.writeDue(false);
        writes.clearTouched();
    }

    /** Shutdown: what still waits for its call gives up (in capture order), then every record with unwritten changes is written as it is. */
    void flush(Batch b) {
        writes.emitInto(b);
        orphans.releaseAll();
        writes.writeDue(true);
        writes.clearTouched();
    }

    private void advance(long t) {
        long limit = wallMicros.getAsLong() + timers.clockLead();
        long v = Math.min(t, limit);
        if (v > clock) {
            clock = v;
        }
        if (clock == Long.MIN_VALUE) {
            clock = Math.min(t, limit);
        }
    }

    void onMessage(CapturedMessage m) {
        if (m.protocol == null) {
            return;
        }
        advance(m.stateMicros()); // the capture clock keeps claimed times out of state
        switch (m.protocol.role()) {
            case SIGNALLING -> {
                if (m.parsed instanceof SipMessage s) {
                    sip.onSip(m, s, true);
                }
            }
            case MEDIA_REPORT -> attachment.onMedia(m, true);
            case LOG -> attachment.onLog(m);
            case NONE -> {
            }
        }
    }

    /** A message the {@link OrphanBuffer} held: its call turned up ({@code call}), or it gave up waiting. */
    private void released(CapturedMessage m, CallRecord call, OrphanBuffer.GaveUp why) {
        try {
            switch (m.protocol.role()) {
                case SIGNALLING -> sip.onSip(m, (SipMessage) m.parsed, false);
                case MEDIA_REPORT, LOG -> {
                    if (call != null) {
                        attachment.attachNonSip(call, m);
                    } else if (m.callId == null) {
                        metrics.unmatched.mark(); // named nothing, and no SDP announced its addresses
                    } else if (why == OrphanBuffer.GaveUp.FULL) {
                        metrics.orphansDropped.mark();
                    } else {
                        metrics.orphansExpired.mark();
                    }
                }
                case NONE -> {
                }
            }
        } catch (RuntimeException e) {
            metrics.errors.mark();
            if (shouldLog(metrics.errors.getCount())) {
                LOG.warn("correlation failed for waiting message {}: {}", m.id, e.toString(), e);
            }
        }
    }

    /** The first ten, then every thousandth: a broken input stream must not flood the log. */
    private static boolean shouldLog(long count) {
        return count <= 10 || count % 1000 == 0;
    }
}
