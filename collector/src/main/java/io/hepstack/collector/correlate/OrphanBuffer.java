package io.hepstack.collector.correlate;

import io.hepstack.collector.pipeline.CapturedMessage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Messages that arrived before what they belong to, waiting for it for at most
 * {@code orphanTimeout} on the capture clock and {@code maxOrphans} messages in all (oldest dropped
 * first). Three kinds wait (docs/tdr.md, "Arrival order"):
 * <ul>
 * <li>RTCP, QoS reports and logs that name a call not seen yet ({@link #unattached}), by Call-ID;</li>
 * <li>SIP of a dialog not seen yet ({@link #waitForCall}): an in-dialog request (BYE, ACK, re-INVITE),
 *     a CANCEL, a response to BYE/CANCEL/PRACK/UPDATE/INFO, by Call-ID;</li>
 * <li>media reports that name nothing and whose addresses no SDP has announced yet
 *     ({@link #waitForMedia}), by those addresses.</li>
 * </ul>
 * When the call turns up ({@link #adopt}) or an SDP announces the address ({@link #placed}) the
 * waiting messages go back to the correlator in capture order (ties by message id), so what they
 * add to the call does not depend on when they arrived. When they give up waiting (timeout, the
 * bound, shutdown) they go back too, told there is nothing to wait for: SIP then becomes what it
 * would have become without waiting (a transaction, or unmatched), a named report is dropped
 * ({@code orphans.expired}/{@code orphans.dropped}), an unnamed one is unmatched. A message naming
 * a call closed already is late, one naming nothing and placed nowhere unmatched.
 *
 * <p>Not thread-safe: the correlator's worker owns it.
 */
final class OrphanBuffer {

    /** Where waiting messages go back to. */
    interface Release {
        /** {@code m} found {@code call} (not null), or gave up waiting ({@code call} null, {@code why} says how). */
        void release(CapturedMessage m, CallRecord call, GaveUp why);
    }

    /** Why a message stopped waiting without finding its call. */
    enum GaveUp {
        /** It did not give up: its call or address turned up. */
        NO,
        /** {@code orphanTimeout} passed. */
        TIMEOUT,
        /** {@code maxOrphans} were waiting: the oldest went. */
        FULL,
        /** The collector stops. */
        SHUTDOWN
    }

    private static final Comparator<Waiting> CAPTURE_ORDER = Comparator
            .comparingLong((Waiting w) -> w.m.timestampMicros())
            .thenComparing(w -> w.m.id == null ? "" : w.m.id)
            .thenComparingLong(w -> w.seq);

    private final CorrelationConfig config;
    private final CorrelationConfig.Timers timers;
    private final CorrelationMetrics metrics;
    private final CallTable table;
    private final CorrelationIds ids;
    private final LongSupplier clock;
    private Release release;

    /** The messages of the current batch that began to wait: their wait starts at its end ({@link #endBatch}). */
    private final List<Waiting> thisBatch = new ArrayList<>();
    /** Every waiting message, oldest first (those released already are skipped when met). */
    private final ArrayDeque<Waiting> queue = new ArrayDeque<>();
    /** "call:" + Call-ID or "addr:" + ip:port → the messages waiting for it. */
    private final Map<String, List<Waiting>> byKey = new HashMap<>();
    private int count;
    /** Of {@link #count}, those waiting for addresses ({@link #waitForMedia}): none, and a call's SDP needs no key made to look. */
    private int waitingForMedia;
    private long seq;
    /** The capture clock at the last {@link #expireOrphans}. */
    private long lastTick = Long.MIN_VALUE;

    OrphanBuffer(CorrelationConfig config, CorrelationMetrics metrics, CallTable table, CorrelationIds ids,
                 LongSupplier clock) {
        this.config = config;
        this.timers = config.timers();
        this.metrics = metrics;
        this.table = table;
        this.ids = ids;
        this.clock = clock;
    }

    /** Set once by the correlator, which owns both. */
    void releaseTo(Release r) {
        this.release = r;
    }

    /** Messages waiting. */
    int count() {
        return count;
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
        add(m, false, "call:" + callId);
    }

    /**
     * A SIP message of a dialog whose call is not live and not closed; false when waiting is off
     * (the caller handles it at once).
     */
    boolean waitForCall(CapturedMessage m, String callId) {
        if (timers.orphan() <= 0) {
            return false;
        }
        add(m, false, "call:" + callId);
        return true;
    }

    /**
     * A media report that names no call and whose addresses ({@code ip:port} keys of
     * {@link MediaIndex#key}) no SDP announced yet; false when waiting is off or it has none.
     */
    boolean waitForMedia(CapturedMessage m, List<String> addresses) {
        if (timers.orphan() <= 0 || addresses.isEmpty()) {
            return false;
        }
        String[] keys = new String[addresses.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = "addr:" + addresses.get(i);
        }
        add(m, true, keys);
        return true;
    }

    /** The messages waiting for this call: back to the correlator, in capture order. */
    void adopt(CallRecord call) {
        if (count > 0) {
            releaseAll(take("call:" + call.callId), call);
        }
    }

    /** The media reports waiting for the addresses this call's SDP announced: back, in capture order. */
    void placed(CallRecord call) {
        placed(call, call.mediaKeys);
    }

    /** The media reports waiting for these addresses ({@link MediaIndex#key}s) of {@code call}: back, in capture order. */
    void placed(CallRecord call, List<String> keys) {
        if (waitingForMedia == 0) {
            return;
        }
        List<Waiting> found = null;
        for (String k : keys) {
            List<Waiting> w = take("addr:" + k);
            if (w != null) {
                if (found == null) {
                    found = new ArrayList<>(w);
                } else {
                    found.addAll(w);
                }
            }
        }
        releaseAll(found, call);
    }

    /**
     * The batch is processed: the messages of it that wait start waiting now, at the capture clock
     * its newest message moved it to. A batch arrived at once, so its first messages did not wait
     * while its later ones moved the clock on; a backlog delivered far out of capture order would
     * otherwise expire its early orphans at the first tick.
     */
    void endBatch() {
        long now = clock.getAsLong();
        for (Waiting w : thisBatch) {
            w.since = now; // not below any earlier entry's: the queue stays in order of since
        }
        thisBatch.clear();
    }

    /**
     * Gives up on the messages that waited {@code orphanTimeout} (oldest first) by the capture
     * clock of the previous tick: when a backlog moves the clock on by more than the timeout at
     * once, what waits gets the messages that came with that backlog before it gives up.
     */
    void expireOrphans() {
        long previous = lastTick;
        lastTick = clock.getAsLong();
        if (previous == Long.MIN_VALUE) {
            return;
        }
        long limit = previous - timers.orphan();
        while (!queue.isEmpty()) {
            Waiting w = queue.peekFirst();
            if (!w.done && w.since > limit) {
                break;
            }
            queue.pollFirst();
            giveUp(w, GaveUp.TIMEOUT);
        }
    }

    /** Shutdown: every message still waiting gives up, in capture order. */
    void releaseAll() {
        List<Waiting> all = new ArrayList<>(count);
        for (Waiting w : queue) {
            if (!w.done) {
                all.add(w);
            }
        }
        queue.clear();
        all.sort(CAPTURE_ORDER);
        for (Waiting w : all) {
            giveUp(w, GaveUp.SHUTDOWN);
        }
    }

    // ------------------------------------------------------------------ internals

    private void add(CapturedMessage m, boolean media, String... keys) {
        Waiting w = new Waiting(m, clock.getAsLong(), keys, seq++, media);
        if (media) {
            waitingForMedia++;
        }
        for (String k : keys) {
            byKey.computeIfAbsent(k, x -> new ArrayList<>(2)).add(w);
        }
        queue.addLast(w);
        thisBatch.add(w);
        count++;
        while (count > config.maxOrphans) {
            Waiting oldest = queue.pollFirst();
            if (oldest == null) {
                break;
            }
            giveUp(oldest, GaveUp.FULL);
        }
    }

    private List<Waiting> take(String key) {
        List<Waiting> list = byKey.remove(key);
        if (list == null) {
            return null;
        }
        List<Waiting> out = new ArrayList<>(list.size());
        for (Waiting w : list) {
            if (!w.done) {
                finish(w);
                unlist(w, key); // a media report waits under several addresses: none of them keeps it
                out.add(w);
            }
        }
        return out;
    }

    private void releaseAll(List<Waiting> found, CallRecord call) {
        if (found == null || found.isEmpty()) {
            return;
        }
        found.sort(CAPTURE_ORDER);
        for (Waiting w : found) {
            CapturedMessage m = w.m;
            w.m = null; // the entry may stay queued until it reaches the head: it must not keep the message
            release.release(m, call, GaveUp.NO);
        }
    }

    private void giveUp(Waiting w, GaveUp why) {
        if (w.done) {
            return;
        }
        finish(w);
        unlist(w, null);
        CapturedMessage m = w.m;
        w.m = null;
        release.release(m, null, why);
    }

    /** Takes {@code w} off the lists of its keys, but the one {@code taken} (removed whole already). */
    private void unlist(Waiting w, String taken) {
        for (String k : w.keys) {
            if (k.equals(taken)) {
                continue;
            }
            List<Waiting> list = byKey.get(k);
            if (list != null) {
                list.remove(w);
                if (list.isEmpty()) {
                    byKey.remove(k);
                }
            }
        }
    }

    private void finish(Waiting w) {
        w.done = true;
        count--;
        if (w.media) {
            waitingForMedia--;
        }
    }

    /** One waiting message: since when (capture clock) and under which keys. */
    private static final class Waiting {
        CapturedMessage m;
        long since;
        final String[] keys;
        final long seq;
        /** Waiting under address keys, not a call's. */
        final boolean media;
        boolean done;

        Waiting(CapturedMessage m, long since, String[] keys, long seq, boolean media) {
            this.m = m;
            this.since = since;
            this.keys = keys;
            this.seq = seq;
            this.media = media;
        }
    }
}
