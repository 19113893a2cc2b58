package io.hepstack.collector.correlate;

import io.hepstack.collector.document.IndexNames;
import io.hepstack.collector.pipeline.Batch;
import io.hepstack.enricher.rating.RateQuery;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Decides when a TDR write and a call event go onto the batch, and is the only part that puts
 * them there. Records report their changes ({@link #changed}, {@link #queue}); a changed record is
 * written at the end of the batch that changed it when it is due, else at a later tick, at its
 * close or at the shutdown flush (docs/tdr.md, "When TDRs are written"). Call events (started,
 * answered, ended) go out when a call's facts first show them, before the write that carries
 * them; media report events at each report.
 *
 * <p>Not thread-safe: the correlator's worker owns it.
 */
final class WriteScheduler {

    private final CorrelationMetrics metrics;
    private final CorrelationConfig.Timers timers;
    private final TdrDocumentWriter writer;
    private final LongSupplier clock;
    private final IndexNames tdrIndex = new IndexNames("tdr");

    /** The batch being worked on: call events and TDR writes go into it. */
    private Batch out;
    /** Records with unwritten changes. */
    private final LinkedHashSet<TdrRecord> dirty = new LinkedHashSet<>();
    /** Records the current batch changed: checked at its end; the others wait for the next tick. */
    private final List<TdrRecord> touched = new ArrayList<>();
    /** Closed records that took a late message ({@link ClosedCalls}): written again at the end of the batch. */
    private final LinkedHashSet<TdrRecord> late = new LinkedHashSet<>();
    private long batch;

    /** Whether calls are priced at all ({@code rating}): only then do call events carry rate questions. */
    private final boolean rating;

    WriteScheduler(CorrelationMetrics metrics, CorrelationConfig.Timers timers, TdrDocumentWriter writer,
                   LongSupplier clock, boolean rating) {
        this.rating = rating;
        this.metrics = metrics;
        this.timers = timers;
        this.writer = writer;
        this.clock = clock;
    }

    /** A batch of messages begins: what it changes is checked at its end ({@link #writeTouched}). */
    void beginBatch(Batch b) {
        out = b;
        batch++;
        touched.clear();
    }

    /** A tick or the flush: events and writes from now on go into {@code b}. */
    void emitInto(Batch b) {
        out = b;
    }

    /** The end of a tick or the flush: the batch's changes were looked at by {@link #writeDue}. */
    void clearTouched() {
        touched.clear();
    }

    // ================================================================== changes

    /** A record's facts changed: notes when it ended, queues it for writing. */
    void changed(TdrRecord r, TdrStatus before) {
        TdrStatus now = r.status();
        if (now.ended()) {
            if (r.endedClock < 0) {
                r.endedClock = clock.getAsLong();
            }
        } else {
            r.endedClock = -1;
        }
        queue(r); // written at the end of the batch when due (see writeDue)
    }

    /** A change to write at the end of the batch whatever the throttle says (e.g. a leg was linked). */
    void urgent(TdrRecord r) {
        r.urgent = true;
        queue(r);
    }

    /**
     * A closed record took a message that arrived after it (its final TDR was written): a media
     * report, a log, SIP, or a leg's link. Written again, once per batch however many arrive, with
     * the next version; no call events (its ENDED event went out when it ended).
     */
    void late(TdrRecord r) {
        late.add(r);
    }

    /**
     * A change a live view does not need at once: a media report or a log (QoS, message counts), a
     * retransmission or an ACK without SDP (counts). Written with the next signalled change, or
     * {@code mediaUpdateInterval} after its last write; the final write has it.
     */
    void quietChange(CallRecord r) {
        enqueue(r);
    }

    /** A change that moves the record on (SIP, a timeout, an eviction): due after {@code updateInterval}. */
    void queue(TdrRecord r) {
        if (!r.closed) {
            r.signalled = true;
            enqueue(r);
        }
    }

    private void enqueue(TdrRecord r) {
        if (r.closed) {
            return;
        }
        if (r.touchedBatch != batch) {
            r.touchedBatch = batch;
            touched.add(r);
        }
        if (!r.queued) {
            r.queued = true;
            dirty.add(r);
        }
    }

    /**
     * A record is closed: its unwritten changes are written (with the call events they carry), it
     * leaves the queue, and a call that started and was not reported ended is reported ended as it is.
     */
    void close(TdrRecord r) {
        if (r.queued) {
            notifyCall(r);
            write(r);
        }
        r.closed = true;
        dirty.remove(r);
        r.queued = false;
        if (r instanceof CallRecord c && !c.endedNotified && c.startedNotified) {
            c.endedNotified = true;
            out.emit(new CallEvent(CallEvent.Type.ENDED, summary(c), c, null, null)); // as it is: not priced again
        }
    }

    // ================================================================== writing

    /**
     * Writes records with unwritten changes that are due: a call when its last write (or its
     * start) is at least {@code updateInterval} old; a transaction when it ended since its last
     * write, or likewise. A transaction is first written when it ends or after
     * {@code updateInterval} without a final response, so a quick REGISTER costs one write. A
     * 401/407 waits for its retry (folded into the same record), or for the end of the linger.
     */
    void writeDue(boolean all) {
        writeLate();
        if (dirty.isEmpty()) {
            return;
        }
        Iterator<TdrRecord> it = dirty.iterator();
        while (it.hasNext()) {
            TdrRecord r = it.next();
            if (due(r, all)) {
                it.remove();
                r.queued = false;
                write(r);
            }
        }
    }

    /** End of a batch: only the records this batch changed (the rest wait for the tick). */
    void writeTouched() {
        writeLate();
        for (TdrRecord r : touched) {
            if (r.queued && !r.closed && due(r, false)) {
                dirty.remove(r);
                r.queued = false;
                write(r);
            }
        }
        touched.clear();
    }

    private void writeLate() {
        for (TdrRecord r : late) {
            write(r);
        }
        late.clear();
    }

    private boolean due(TdrRecord r, boolean all) {
        notifyCall(r);
        if (all || r.urgent) {
            return true;
        }
        if (r.challengedNow()) {
            return false; // a retry usually follows at once; written when it does not (at close)
        }
        // at most one write per updateInterval, the first one interval after the record began: the
        // states of a call's set-up (INVITE, 100, 180, a quick 200 or failure) fold into one write
        // instead of one per message; what changes sooner waits for a tick. A live call that only
        // took media reports and logs waits for mediaUpdateInterval: its SIP state is current in
        // Elasticsearch within a second, its QoS within that interval (the final write has all)
        long since = clock.getAsLong() - Math.max(r.createdClock, r.lastWriteClock);
        boolean intervalPassed = since >= timers.update();
        if (r instanceof CallRecord) {
            return intervalPassed && (r.signalled || since >= timers.mediaUpdate());
        }
        TdrStatus st = r.status();
        return st.ended() && st != r.writtenStatus || intervalPassed;
    }

    private void write(TdrRecord r) {
        // the external version follows the capture clock (µs), so a record rebuilt after a restart,
        // or begun anew after a crash, always writes above what the previous run stored
        r.version = Math.max(r.version + 1, clock.getAsLong());
        r.urgent = false;
        if (r.index == null) {
            r.index = tdrIndex.forMicros(r.indexMicros == Long.MAX_VALUE ? r.startMicros() : r.indexMicros);
        }
        r.lastWriteClock = clock.getAsLong();
        r.writtenStatus = r.status();
        r.signalled = false;
        out.emit(new TdrWrite(r, writer)); // priced by the rate stage, written by the index stage
        metrics.written.mark();
    }

    // ================================================================== call events

    /** Emits the call events whose facts a call shows now and were not emitted yet. */
    void notifyCall(TdrRecord r) {
        if (!(r instanceof CallRecord c)) {
            return;
        }
        if (!c.startedNotified) {
            c.startedNotified = true;
            callEvent(CallEvent.Type.STARTED, c);
        }
        if (c.answered() && !c.answeredNotified) {
            c.answeredNotified = true;
            callEvent(CallEvent.Type.ANSWERED, c);
        }
        if (c.ended() && !c.endedNotified && !c.challengedNow()) { // a challenged call may still be retried
            c.endedNotified = true;
            callEvent(CallEvent.Type.ENDED, c);
        }
    }

    /** A call event with the call as it is now, and the rate questions as they stand now. */
    void callEvent(CallEvent.Type type, CallRecord c) {
        RateQuery start = rating && (type == CallEvent.Type.STARTED || type == CallEvent.Type.ENDED)
                ? c.rateQuery(0, true) : null;
        RateQuery end = type == CallEvent.Type.ENDED && start != null
                ? c.rateQuery(Math.max(0, c.durationSeconds()), c.answered()) : null;
        // a media report (one per RTCP message) names its call only: no snapshot to build
        out.emit(new CallEvent(type, type == CallEvent.Type.MEDIA_REPORT ? null : summary(c), c, start, end));
    }

    private static CallSummary summary(CallRecord c) {
        String node = !c.nodes.isEmpty() ? c.nodes.first()
                : c.captureIds.isEmpty() ? null : String.valueOf(c.captureIds.get(0));
        return new CallSummary(c.callId, c.status(), c.startMicros(),
                c.answered() ? c.answerMicros : -1, c.endMicros(), c.durationSeconds(),
                c.caller.user, c.caller.domain, c.caller.userAgent, c.caller.ip, c.caller.ipInfo,
                c.requestUser != null ? c.requestUser : c.callee.user, c.callee.number, node);
    }
}
