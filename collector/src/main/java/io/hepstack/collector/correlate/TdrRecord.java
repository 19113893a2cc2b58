package io.hepstack.collector.correlate;

import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.protocol.sip.NameAddress;
import io.hepstack.collector.protocol.sip.Reason;
import io.hepstack.collector.protocol.sip.SipMessage;
import io.hepstack.collector.protocol.sip.SipUri;
import io.hepstack.enricher.number.NumberInfo;

import java.util.HashSet;
import java.util.Set;

/**
 * The live state behind one TDR: a call (INVITE dialog) or a non-INVITE transaction. Holds what
 * both have in common: identity, the messages that belong to it, capture points, write
 * bookkeeping. Subclasses keep the protocol facts and derive the status from them.
 *
 * <p>Not thread-safe: owned by the correlator on the pipeline worker.
 */
abstract class TdrRecord {

    /** How many duplicate keys a record remembers; later messages are not checked. */
    static final int MAX_DUPLICATE_KEYS = 512;
    static final int MAX_SMALL_SET = 16;

    final String callId;
    /** {@code _id} = {@link io.hepstack.collector.document.DocumentIds#ofKey}(the record's key text, e.g. "call:" + Call-ID). */
    final String docId;
    /** {@code tdr.type}: call, registration, options, message, ... */
    final String type;
    final long createdClock;
    private final int maxIds;

    /** The daily index, fixed at the first write (the start day then). */
    String index;
    /** Writes so far: the external version of the last write. */
    long version;
    long lastWriteClock = Long.MIN_VALUE;
    /** In the write scheduler's set of records with unwritten changes. */
    boolean queued;
    /** The last batch that changed it. */
    long touchedBatch = -1;
    /** Write at the end of this batch whatever the throttle says (e.g. a leg was linked). */
    boolean urgent;
    /**
     * Changed since its last write by something other than a quiet change (a media report, a log, a
     * retransmission, an ACK without SDP): by SIP that moves the call on, a timeout, a leg link. A call
     * is then due after {@code updateInterval}, else after {@code mediaUpdateInterval}.
     */
    boolean signalled;
    /** Status at the last write; null before the first. */
    TdrStatus writtenStatus;

    long firstMicros = Long.MAX_VALUE;
    /** Earliest index time of its messages (names the TDR's daily index; see ingest/CaptureClock). */
    long indexMicros = Long.MAX_VALUE;
    long lastMicros = Long.MIN_VALUE;
    long touchedClock;
    /** Capture clock when the status became final; -1 while live. */
    long endedClock = -1;
    boolean timedOut;
    boolean evicted;
    boolean closed;

    final Party caller = new Party();
    final Party callee = new Party();
    /** The Reason header of the message that ended it (BYE, CANCEL, final response). */
    Reason reason;
    long reasonRank = Long.MIN_VALUE;

    // messages
    final MessageIdList ids = new MessageIdList();
    int messages;
    int sip;
    int retransmissions;
    int rtcp;
    int logs;
    final SmallSet<String> methods = new SmallSet<>(MAX_SMALL_SET);
    private final SmallLongSet seen = new SmallLongSet(MAX_DUPLICATE_KEYS);

    // capture points
    final SmallSet<String> nodes = new SmallSet<>(MAX_SMALL_SET);
    final SmallSet<Long> captureIds = new SmallSet<>(MAX_SMALL_SET);
    final SmallSet<String> groups = new SmallSet<>(MAX_SMALL_SET);
    final SmallSet<String> correlationIds = new SmallSet<>(MAX_SMALL_SET);
    /** Requests answered 401/407 (auth challenges), by CSeq number and top Via branch. */
    private Set<Long> challenged;
    static final int MAX_CHALLENGES = 4096;

    TdrRecord(String callId, String key, String type, long clock, int maxIds) {
        this.callId = callId;
        this.docId = io.hepstack.collector.document.DocumentIds.ofKey(key);
        this.type = type;
        this.createdClock = clock;
        this.touchedClock = clock;
        this.maxIds = maxIds;
    }

    abstract TdrStatus status();

    /** Ended with an auth challenge (401/407) that may still be retried: not written until the linger is over. */
    abstract boolean challengedNow();

    /** Start of the record for {@code tdr.start} and {@code @timestamp}: its first request, else its first message. */
    abstract long startMicros();

    /** End for {@code tdr.end}, or -1 while live. */
    abstract long endMicros();

    /** {@code tdr.ended_by}, or null. */
    abstract String endedBy();

    boolean ended() {
        return status().ended();
    }

    /**
     * Counts a message and remembers where it was captured; returns true when it repeats one
     * seen before (same duplicate key), in which case only its timing may still matter.
     */
    boolean add(CapturedMessage m, long duplicateKey, long clock, Canonical canonical) {
        touchedClock = Math.max(touchedClock, clock);
        long t = m.timestampMicros();
        indexMicros = Math.min(indexMicros, m.indexMicros());
        firstMicros = Math.min(firstMicros, t);
        lastMicros = Math.max(lastMicros, t);
        messages++;
        if (m.id != null) {
            ids.add(m.id, t, maxIds); // capture order: the list does not depend on arrival order
        }
        HepPacket p = m.hep;
        if (p.nodeName != null && !p.nodeName.isEmpty()) {
            nodes.add(canonical.of(p.nodeName), t);
        }
        if (p.captureId >= 0) {
            captureIds.add((long) p.captureId, t);
        }
        if (p.groupId != null && !p.groupId.isEmpty()) {
            groups.add(canonical.of(p.groupId), t);
        }
        if (p.correlationId != null && !p.correlationId.isEmpty()) {
            // usually the Call-ID itself: keep that instance
            correlationIds.add(p.correlationId.equals(callId) ? callId : p.correlationId, t);
        }
        boolean duplicate = false;
        if (duplicateKey != 0) {
            if (seen.contains(duplicateKey)) {
                duplicate = true;
                retransmissions++;
            } else {
                seen.add(duplicateKey); // no-op when full
            }
        }
        return duplicate;
    }

    /**
     * Takes both parties' identities from a message: From (and P-Asserted-Identity) for the
     * caller, To for the callee, the Request-URI and the caller's User-Agent from a request; the
     * numbers are the enrich stage's analysis of those URIs. The caller compares the ranks.
     */
    void identity(CapturedMessage m, SipMessage s, boolean request, Canonical canonical) {
        NameAddress from = s.from();
        NameAddress to = s.to();
        NameAddress pai = s.pAssertedIdentity();
        if (from != null) {
            caller.display = Canonical.cut(from.displayName());
            caller.user = from.uri() == null ? null : Canonical.cut(from.uri().user());
            caller.domain = from.uri() == null ? null : canonical.of(from.uri().host());
        }
        if (to != null) {
            callee.display = Canonical.cut(to.displayName());
            callee.user = to.uri() == null ? null : Canonical.cut(to.uri().user());
            callee.domain = to.uri() == null ? null : canonical.of(to.uri().host());
        }
        caller.pai = pai == null || pai.uri() == null ? null
                : Canonical.cut(pai.uri().user() == null ? pai.uri().host() : pai.uri().user() + "@" + pai.uri().host());
        NumberInfo paiNumber = number(m, CapturedMessage.Party.PAI, pai == null ? null : pai.uri());
        caller.number = paiNumber != null ? paiNumber : number(m, CapturedMessage.Party.FROM, from == null ? null : from.uri());
        NumberInfo ruriNumber = null;
        if (request) {
            SipUri ruri = s.requestUri();
            requestTarget(ruri, canonical);
            ruriNumber = number(m, CapturedMessage.Party.REQUEST_URI, ruri);
            caller.userAgent = canonical.of(s.userAgent());
            caller.userAgentRank = Long.MAX_VALUE;
        }
        callee.number = ruriNumber != null && ruriNumber.e164() != null ? ruriNumber
                : number(m, CapturedMessage.Party.TO, to == null ? null : to.uri());
        if (callee.number == null) {
            callee.number = ruriNumber;
        }
    }

    /** The Request-URI of a request {@link #identity} took (possibly null): kept by calls, ignored here. */
    void requestTarget(SipUri ruri, Canonical canonical) {
    }

    private static NumberInfo number(CapturedMessage m, CapturedMessage.Party party, SipUri uri) {
        return m.numbers[party.ordinal()]; // the enrich stage's analysis
    }

    /** A 401/407 to the request with this CSeq and top Via branch (one challenge per request and hop). */
    void challenged(long cseq, String branch) {
        if (challenged == null) {
            challenged = new HashSet<>(2);
        }
        if (challenged.size() < MAX_CHALLENGES) {
            challenged.add(cseq * 1_000_003L + (branch == null ? 0 : branch.hashCode()));
        }
    }

    int authChallenges() {
        return challenged == null ? 0 : challenged.size();
    }

    void noteReason(Reason r, long rank) {
        if (r != null && rank > reasonRank) {
            reason = r;
            reasonRank = rank;
        }
    }

    /** The capture clock at which this record is due for removal or a timeout; Long.MAX_VALUE when none. */
    abstract long deadline(CorrelationConfig.Timers timers);

    /** Applies the timeout that {@link #deadline} announced (status becomes final). */
    void timeOut() {
        timedOut = true;
    }
}
