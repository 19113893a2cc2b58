package io.hepstack.collector.correlate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The live records and their end: calls by Call-ID and transactions by Call-ID, method and CSeq
 * (both in access order, so the eldest is the least recently used), and the recently closed
 * Call-IDs and transactions, whose late messages start nothing new. Records leave by timeout or
 * the end of their linger ({@link #expire}), by eviction when a table is full, and at
 * {@link #close}, which writes what is unwritten (docs/tdr.md, "Time and memory bounds").
 *
 * <p>Not thread-safe: the correlator's worker owns it.
 */
final class CallTable {

    /** A Call-ID or transaction that was closed: late messages for it start nothing new. */
    record Closed(int generation, long maxInviteCseq) {
    }

    private final CorrelationConfig config;
    private final CorrelationConfig.Timers timers;
    private final CorrelationMetrics metrics;
    private final WriteScheduler writes;
    private final MediaIndex media;
    private final LegLinks links;
    private final ClosedCalls recent;
    private final LongSupplier clock;

    private static final Logger LOG = LoggerFactory.getLogger(CallTable.class);
    /** An eviction is logged at most once a minute (each is counted in {@code correlate.evictions}). */
    private static final long EVICTION_LOG_NANOS = 60_000_000_000L;

    private final LinkedHashMap<String, CallRecord> calls = new LinkedHashMap<>(1024, 0.75f, true);
    private final LinkedHashMap<String, TransactionRecord> transactions = new LinkedHashMap<>(1024, 0.75f, true);
    private long lastEvictionLog;
    private final LinkedHashMap<String, Closed> closed;
    /** Expiry passes so far (one per tick). */
    private long pass;

    CallTable(CorrelationConfig config, CorrelationMetrics metrics, WriteScheduler writes, MediaIndex media,
              LegLinks links, ClosedCalls recent, LongSupplier clock) {
        this.config = config;
        this.timers = config.timers();
        this.metrics = metrics;
        this.writes = writes;
        this.media = media;
        this.links = links;
        this.recent = recent;
        this.clock = clock;
        int maxClosed = config.recentlyClosed;
        this.closed = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Closed> eldest) {
                return size() > maxClosed;
            }
        };
    }

    // ================================================================== lookups

    /** The live call with this Call-ID (counts as a use: it becomes the most recently used). */
    CallRecord call(String callId) {
        return calls.get(callId);
    }

    int calls() {
        return calls.size();
    }

    /** The live transaction under this key (counts as a use). */
    TransactionRecord transaction(String key) {
        return transactions.get(key);
    }

    int transactions() {
        return transactions.size();
    }

    /** How the call with this Call-ID was closed, or null when it was not (recently). */
    Closed closedCall(String callId) {
        return closed.get("c\u0000" + callId);
    }

    boolean isClosedCall(String callId) {
        return closed.containsKey("c\u0000" + callId);
    }

    boolean isClosedTransaction(String key) {
        return closed.containsKey("t\u0000" + key);
    }

    // ================================================================== adding

    void putCall(CallRecord call) {
        calls.put(call.callId, call);
    }

    /**
     * Takes back a call that was live before a restart: it is live again (its media addresses
     * included), unless a call with its Call-ID is live already or was closed since.
     *
     * @return true when taken
     */
    boolean resume(CallRecord call) {
        if (calls.containsKey(call.callId) || isClosedCall(call.callId)) {
            return false;
        }
        calls.put(call.callId, call);
        media.register(call, Side.CALLER, call.caller.media);
        media.register(call, Side.CALLEE, call.callee.media);
        boundCalls();
        return true;
    }

    /** Holds a transaction under one more key (a new one, or a retry folded into it). */
    void putTransaction(String key, TransactionRecord tx) {
        transactions.put(key, tx);
    }

    /** Evicts the least recently used calls while there are more than {@code maxCalls}. */
    void boundCalls() {
        while (calls.size() > config.maxCalls) {
            evictEldest(calls);
        }
    }

    /** Evicts the least recently used transactions while there are more than {@code maxTransactions}. */
    void boundTransactions() {
        while (transactions.size() > config.maxTransactions) {
            evictEldest(transactions);
        }
    }

    // ================================================================== leaving

    /**
     * Timeouts and the end of lingering: records whose deadline passed on the capture clock. One
     * pass over the live records per tick (about once a second), allocation-free unless one is due.
     */
    void expire() {
        pass++;
        long clock = this.clock.getAsLong();
        List<TdrRecord> due = null;
        for (CallRecord c : calls.values()) {
            if (clock >= c.deadline(timers)) {
                (due == null ? due = new ArrayList<>() : due).add(c);
            }
        }
        for (TransactionRecord tx : transactions.values()) {
            // a folded transaction is in the map under several keys: take it once
            if (clock >= tx.deadline(timers) && tx.expiryTick != pass) {
                tx.expiryTick = pass;
                (due == null ? due = new ArrayList<>() : due).add(tx);
            }
        }
        if (due == null) {
            return;
        }
        for (TdrRecord r : due) {
            if (r.closed) {
                continue;
            }
            if (r.ended()) {
                close(r);
            } else {
                TdrStatus before = r.status();
                r.timeOut();
                metrics.expired.mark();
                writes.changed(r, before);
            }
        }
    }

    private void evictEldest(LinkedHashMap<String, ? extends TdrRecord> map) {
        Iterator<? extends TdrRecord> it = map.values().iterator();
        if (!it.hasNext()) {
            return;
        }
        TdrRecord r = it.next();
        if (!r.ended()) {
            r.evicted = true;
            metrics.evictions.mark();
            writes.queue(r);
            long now = System.nanoTime();
            if (lastEvictionLog == 0 || now - lastEvictionLog > EVICTION_LOG_NANOS) {
                lastEvictionLog = now;
                LOG.warn("correlator at capacity ({} live calls, {} live transactions): the least recently active are evicted "
                        + "({} so far) and their TDRs are incomplete; give the collector more heap or raise "
                        + "correlation.maxCalls/maxTransactions (docs/limits.md)", calls.size(), transactions.size(),
                        metrics.evictions.getCount());
            }
        }
        close(r);
    }

    /** Writes what is unwritten, forgets the record, remembers its Call-ID as closed (a call: itself, for late media). */
    void close(TdrRecord r) {
        if (r.closed) {
            return;
        }
        writes.close(r);
        if (r instanceof CallRecord c) {
            calls.remove(c.callId, c);
            recent.keep(c, media); // late media reports still find it there for a while
            media.remove(c);
            links.remove(c);
            closed.put("c\u0000" + c.callId, new Closed(c.generation, c.initialCseq));
        } else if (r instanceof TransactionRecord tx) {
            for (String k : tx.keys) {
                transactions.remove(k, tx);
                closed.put("t\u0000" + k, new Closed(0, -1));
            }
        }
    }
}
