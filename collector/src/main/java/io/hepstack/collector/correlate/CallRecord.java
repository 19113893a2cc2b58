package io.hepstack.collector.correlate;

import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.qos.Codec;
import io.hepstack.collector.protocol.sip.NameAddress;
import io.hepstack.collector.protocol.sip.SipMessage;
import io.hepstack.collector.protocol.sip.SipMethod;
import io.hepstack.collector.protocol.sip.SipUri;
import io.hepstack.collector.protocol.sip.Via;
import io.hepstack.enricher.net.IpAddress;
import io.hepstack.enricher.rating.RateQuery;
import io.hepstack.enricher.rating.Rating;

import java.time.Instant;

import java.util.ArrayList;
import java.util.List;

/**
 * One INVITE dialog (a call) by Call-ID. It keeps facts, not a state machine: the earliest
 * capture time of each event (INVITE, first response, first 18x, first 2xx, first final failure,
 * CANCEL, BYE) and the best-ranked message for each party field; {@link #status()} derives the
 * status from the facts. So arrival order does not matter (a 200 mirrored before its 180, a
 * retransmission captured earlier at a second point) and duplicates are harmless.
 *
 * <p>Attempts: an out-of-dialog INVITE with a higher CSeq (the retry after 401/407, or after a
 * 3xx) continues the same call as a new attempt; the final response facts restart, the start
 * time stays that of the first INVITE.
 */
final class CallRecord extends TdrRecord {

    static final long NONE = Long.MAX_VALUE;

    final int generation;

    String callerTag;
    long initialCseq = -1;
    int attempts;
    long inviteMicros = NONE;
    long firstResponseMicros = NONE;
    long firstProvisionalMicros = NONE;
    long ringingMicros = NONE;
    long answerMicros = NONE;
    int answerCode = -1;
    String answerReason;
    long finalMicros = NONE;
    int finalCode = -1;
    String finalReason;
    long finalRank = Long.MIN_VALUE;
    long cancelMicros = NONE;
    long byeMicros = NONE;
    Side byeSide;
    int reinvites;
    final SmallSet<String> hops = new SmallSet<>(MAX_SMALL_SET);
    final SmallSet<String> earlyDialogs = new SmallSet<>(MAX_SMALL_SET);

    String requestUser;
    String requestDomain;
    long identityRank = Long.MIN_VALUE;

    /** {@code a} or {@code b} once linked to another leg of a B2BUA, else null. */
    String leg;
    final SmallSet<String> linked = new SmallSet<>(LegLinks.MAX_LINKS);
    /** Why each leg was linked, as {@code "<Call-ID> <rule>"} in link order; null until the first link. */
    java.util.List<String> linkRules;

    final QosLeg[] qos = new QosLeg[2];
    Rating rating;
    /** The question {@link #rating} answers (see {@link #endRating}). */
    private RateQuery ratedQuery;
    Rating startRating;
    boolean startedNotified;
    boolean answeredNotified;
    boolean endedNotified;

    /**
     * The TDR document this call was resumed from after a restart (see {@link ResumedCalls}), or
     * null: its fields that the record does not rebuild (enrichment, QoS so far) stay as they were.
     */
    com.fasterxml.jackson.databind.node.ObjectNode resumed;

    // keys this call put into the correlator's shared indexes, removed when it closes
    final List<String> mediaKeys = new ArrayList<>(4);
    final List<Long> ssrcs = new ArrayList<>(4);
    final List<String> linkKeys = new ArrayList<>(2);

    CallRecord(String callId, int generation, long clock, int maxIds) {
        super(callId, generation <= 1 ? "call:" + callId : "call:" + callId + "#" + generation, "call", clock, maxIds);
        this.generation = generation;
    }

    // ------------------------------------------------------------------ facts from SIP

    /** Which side sent a request (by From tag): the caller's tag is that of the initial INVITE. */
    Side senderOf(SipMessage request) {
        String tag = fromTag(request);
        if (callerTag == null || tag == null) {
            return Side.CALLER;
        }
        return callerTag.equals(Canonical.cut(tag)) ? Side.CALLER : Side.CALLEE;
    }

    /**
     * Applies an INVITE without To tag: the initial request of an attempt.
     *
     * @return true when it started a new attempt
     */
    boolean initialInvite(SipMessage s, long t) {
        if (callerTag == null) {
            callerTag = Canonical.cut(fromTag(s));
        }
        long cseq = s.cseqNumber();
        boolean newAttempt = false;
        if (initialCseq < 0) {
            initialCseq = cseq;
            attempts = 1;
        } else if (cseq > initialCseq && answerMicros == NONE) {
            nextAttempt(cseq);
            newAttempt = true;
        }
        inviteMicros = Math.min(inviteMicros, t);
        Via top = s.via();
        if (top != null && top.branch() != null) {
            hops.add(Canonical.cut(top.branch()));
        }
        return newAttempt;
    }

    /** A response to an INVITE: initial attempt (status facts) or re-INVITE (ignored for the status). */
    void inviteResponse(SipMessage s, long t) {
        long cseq = s.cseqNumber();
        int code = s.statusCode();
        if ((code == 401 || code == 407) && !(answerMicros != NONE && cseq > initialCseq)) {
            challenged(cseq, s.via() == null ? null : s.via().branch());
        }
        if (callerTag == null) {
            callerTag = Canonical.cut(fromTag(s));
        }
        if (initialCseq < 0) {
            initialCseq = cseq;
            attempts = 1;
        } else if (cseq != initialCseq) {
            if (cseq > initialCseq && answerMicros == NONE) {
                // a later attempt whose INVITE was not captured (or not yet): it continues the call
                nextAttempt(cseq);
            } else {
                return; // re-INVITE, or an older attempt's late response
            }
        }
        firstResponseMicros = Math.min(firstResponseMicros, t);
        if (code < 200) {
            firstProvisionalMicros = Math.min(firstProvisionalMicros, t);
            if (code >= 180 && code <= 189) {
                ringingMicros = Math.min(ringingMicros, t);
                String tag = toTag(s);
                if (tag != null) {
                    earlyDialogs.add(Canonical.cut(tag));
                }
            }
        } else if (code < 300) {
            if (t < answerMicros) {
                answerMicros = t;
                answerCode = code;
                answerReason = Canonical.cut(s.reasonPhrase());
            }
        } else {
            finalMicros = Math.min(finalMicros, t);
            // the response the caller got: fewest Vias (closest to the caller), then the latest
            long rank = Party.rank(2047 - Math.min(s.vias().size(), 2047), t, false);
            if (rank > finalRank) {
                finalRank = rank;
                finalCode = code;
                finalReason = Canonical.cut(s.reasonPhrase());
            }
        }
    }

    private void nextAttempt(long cseq) {
        initialCseq = cseq;
        attempts++;
        finalCode = -1;
        finalReason = null;
        finalMicros = NONE;
        finalRank = Long.MIN_VALUE;
        endedClock = -1;
    }

    void cancel(SipMessage s, long t) {
        long cseq = s.cseqNumber();
        if (initialCseq < 0 || cseq < 0 || cseq == initialCseq) {
            cancelMicros = Math.min(cancelMicros, t);
        }
    }

    void bye(SipMessage s, long t) {
        if (t < byeMicros) {
            byeMicros = t;
            String tag = fromTag(s);
            byeSide = callerTag == null || tag == null ? null : callerTag.equals(Canonical.cut(tag)) ? Side.CALLER : Side.CALLEE;
        }
    }

    // ------------------------------------------------------------------ parties from SIP

    /** Parties from an initial INVITE: caller-side fields from the copy with fewest Vias, callee address from the most. */
    void inviteParties(CapturedMessage m, SipMessage s, long t, int vias, Canonical canonical) {
        long identity = Party.rank(1024 + 1023 - vias, t, true);
        if (identity > identityRank) {
            identityRank = identity;
            identity(m, s, true, canonical);
        }
        long callerAddress = Party.rank(1024 + 1023 - vias, t, true);
        if (callerAddress > caller.addressRank) {
            caller.address(m.hep.srcIpText(), m.hep.srcPort, m.sourceInfo, callerAddress);
        }
        long calleeAddress = Party.rank(1024 + vias, t, false);
        if (calleeAddress > callee.addressRank) {
            callee.address(m.hep.dstIpText(), m.hep.dstPort, m.destinationInfo, calleeAddress);
        }
    }

    /** Parties from a response to the INVITE: callee address and user agent; identity only when no INVITE was seen. */
    void responseParties(CapturedMessage m, SipMessage s, long t, int vias, Canonical canonical) {
        long identity = Party.rank(1023 - vias, t, true);
        if (identity > identityRank) {
            identityRank = identity;
            identity(m, s, false, canonical);
        }
        long callerAddress = Party.rank(1023 - vias, t, true);
        if (callerAddress > caller.addressRank) {
            caller.address(m.hep.dstIpText(), m.hep.dstPort, m.destinationInfo, callerAddress);
        }
        long calleeAddress = Party.rank(vias, t, false);
        if (calleeAddress > callee.addressRank) {
            callee.address(m.hep.srcIpText(), m.hep.srcPort, m.sourceInfo, calleeAddress);
        }
        String ua = s.server() != null ? s.server() : s.userAgent();
        if (ua != null) {
            long rank = Party.rank((s.statusCode() == 100 ? 0 : 1024) + vias, t, true);
            if (rank > callee.userAgentRank) {
                callee.userAgent = canonical.of(ua);
                callee.userAgentRank = rank;
            }
        }
    }

    @Override
    void requestTarget(SipUri ruri, Canonical canonical) {
        if (ruri != null) {
            requestUser = Canonical.cut(ruri.isTel() ? ruri.raw() : ruri.user());
            requestDomain = canonical.of(ruri.host());
        }
    }

    /** A side's SDP at this rank (the best-ranked one is kept, and the legs' codec follows it); null is ignored. */
    void media(Side side, MediaDescription md, long rank) {
        if (md == null) {
            return;
        }
        Party p = side == Side.CALLER ? caller : callee;
        if (rank > p.mediaRank) {
            p.media = md;
            p.mediaRank = rank;
            refreshCodec();
        }
    }

    /** The codec both legs are assumed to use: the answer's first voice codec, else the offer's. */
    Codec codec() {
        String voice = callee.media != null && callee.media.voice() != null ? callee.media.voice()
                : caller.media != null ? caller.media.voice() : null;
        return Codec.fromRtpmap(voice);
    }

    QosLeg leg(int index) {
        QosLeg l = qos[index];
        if (l == null) {
            l = new QosLeg(codec());
            qos[index] = l;
        }
        return l;
    }

    /** Updates the legs' codec once the SDP answer is known. */
    void refreshCodec() {
        Codec c = codec();
        for (QosLeg l : qos) {
            if (l != null && !l.accumulator.codec().equals(c)) {
                l.accumulator.codec(c);
            }
        }
    }

    /**
     * Whether {@code s} would make this ended call live again: an INVITE, or a response to one, of
     * a later attempt (higher CSeq) of a call not answered, or a 2xx answering a call that ended
     * without being answered and has neither a BYE nor a timeout to end it. A closed call does not
     * take such a message late (it would stay live for ever, with no timer to end it).
     */
    boolean reopenedBy(SipMessage s) {
        String method = s.isRequest() ? s.method() : s.cseqMethod();
        if (!SipMethod.INVITE.equals(method) || answerMicros != NONE) {
            return false;
        }
        long cseq = s.cseqNumber();
        if (initialCseq >= 0 && cseq > initialCseq) {
            return !s.isRequest() || toTag(s) == null;
        }
        int code = s.statusCode();
        return !s.isRequest() && code >= 200 && code < 300 && byeMicros == NONE && !timedOut
                && (initialCseq < 0 || cseq == initialCseq);
    }

    // ------------------------------------------------------------------ derived

    boolean answered() {
        return answerMicros != NONE;
    }

    /** Failed with 401/407 so far: a retry with the next CSeq usually follows at once. */
    @Override
    boolean challengedNow() {
        return answerMicros == NONE && (finalCode == 401 || finalCode == 407) && cancelMicros == NONE;
    }

    @Override
    TdrStatus status() {
        if (resumed != null && timedOut && byeMicros == NONE && cancelMicros == NONE && finalCode < 300) {
            return TdrStatus.UNKNOWN_END; // resumed after a restart, and its end was never seen
        }
        if (answerMicros != NONE) {
            return byeMicros != NONE || timedOut ? TdrStatus.FINISHED : TdrStatus.ANSWERED;
        }
        if (finalCode >= 300) {
            return cancelMicros != NONE ? TdrStatus.CANCELED : TdrStatus.ofFinalCode(finalCode, TdrStatus.ANSWERED);
        }
        if (byeMicros != NONE) {
            return TdrStatus.FINISHED; // the dialog was confirmed; its 2xx was not captured
        }
        if (timedOut) {
            return cancelMicros != NONE ? TdrStatus.CANCELED : TdrStatus.HARD_FAILURE;
        }
        if (ringingMicros != NONE) {
            return TdrStatus.RINGING;
        }
        if (firstProvisionalMicros != NONE) {
            return TdrStatus.TRYING;
        }
        return TdrStatus.INIT;
    }

    @Override
    long startMicros() {
        return inviteMicros != NONE ? inviteMicros : firstMicros;
    }

    @Override
    long endMicros() {
        TdrStatus st = status();
        if (!st.ended()) {
            return -1;
        }
        if (st == TdrStatus.FINISHED) {
            return byeMicros != NONE ? byeMicros : lastMicros;
        }
        if (finalMicros != NONE) {
            return finalMicros;
        }
        if (st == TdrStatus.CANCELED && cancelMicros != NONE) {
            return cancelMicros;
        }
        return lastMicros;
    }

    @Override
    String endedBy() {
        TdrStatus st = status();
        if (!st.ended()) {
            return evicted ? "evicted" : null;
        }
        if (st == TdrStatus.UNKNOWN_END) {
            return "restart";
        }
        if (st == TdrStatus.FINISHED) {
            if (byeMicros == NONE) {
                return "timeout";
            }
            return byeSide == Side.CALLER ? "caller" : byeSide == Side.CALLEE ? "callee" : "bye";
        }
        if (st == TdrStatus.CANCELED && cancelMicros != NONE) {
            return "caller";
        }
        return finalCode >= 300 ? "response" : "timeout";
    }

    /** Ended by a timer: no BYE, final response or CANCEL ended it. */
    boolean endedByTimer() {
        return "timeout".equals(endedBy());
    }

    /** Start → first 18x or the answer, whichever came first (post-dial delay); -1 when neither. */
    long setupMs() {
        long alerted = Math.min(ringingMicros, answerMicros);
        return between(inviteMicros, alerted);
    }

    /** Start → the first final response (2xx or failure) of the current attempt; -1 when none. */
    long finalResponseMs() {
        return between(inviteMicros, answerMicros != NONE ? answerMicros : finalMicros);
    }

    /** First 18x → answer, failure or CANCEL: how long it rang; -1 when it did not ring or still rings. */
    long ringMs() {
        long stop = answerMicros != NONE ? answerMicros : finalMicros != NONE ? finalMicros : cancelMicros;
        return between(ringingMicros, stop);
    }

    /** Answer → end, ms; -1 unless answered and ended. */
    long durationMs() {
        long end = endMicros();
        return answerMicros == NONE || end < 0 ? -1 : Math.max(-1, (end - answerMicros) / 1000);
    }

    /** Billable seconds: {@link #durationMs()} truncated to whole seconds. */
    long durationSeconds() {
        long ms = durationMs();
        return ms < 0 ? -1 : ms / 1000;
    }

    static long between(long from, long to) {
        if (from == NONE || to == NONE || to < from) {
            return -1;
        }
        return (to - from) / 1000;
    }

    @Override
    long deadline(CorrelationConfig.Timers timers) {
        if (ended()) {
            return (endedClock < 0 ? touchedClock : endedClock) + timers.endedLinger();
        }
        return touchedClock + (answered() ? timers.answered() : timers.setup());
    }

    // ------------------------------------------------------------------ helpers

    static String fromTag(SipMessage s) {
        NameAddress f = s.from();
        return f == null ? null : f.tag();
    }

    static String toTag(SipMessage s) {
        NameAddress t = s.to();
        return t == null ? null : t.tag();
    }

    /** The user part for number analysis: the whole URI for tel:, else the user. */
    static String numberInput(SipUri uri) {
        if (uri == null) {
            return null;
        }
        if (uri.isTel()) {
            return uri.raw();
        }
        String u = uri.user();
        return u == null || u.isEmpty() ? null : u;
    }

    /**
     * The question for the rate tables about this call as it is now: the callee's digits, the
     * caller's address, domain and capture node, the start time, {@code seconds} billable and
     * whether it was answered; null when the callee has no number to rate.
     */
    RateQuery rateQuery(long seconds, boolean answered) {
        String number = callee.number == null ? null : callee.number.digits();
        if (number == null) {
            return null;
        }
        IpAddress src = caller.ipInfo != null ? caller.ipInfo.address()
                : caller.ip == null ? null : IpAddress.parse(caller.ip);
        String node = nodes.isEmpty() ? captureIds.isEmpty() ? null : String.valueOf(captureIds.get(0)) : nodes.first();
        long start = startMicros();
        Instant when = start == Long.MAX_VALUE ? null : Instant.ofEpochSecond(start / 1_000_000, (start % 1_000_000) * 1000);
        return new RateQuery(number, src, caller.domain, node, seconds, answered, when);
    }

    /**
     * The call's price at its end ({@link #rating}), asked of the rate tables only when the question
     * changed: the ENDED event and every later TDR write of the ended call price it, and an exact
     * decimal cost (34-digit division per slot) was the largest allocation of the per-message path
     * after the documents. A table reloaded in between is seen at the next question that differs.
     */
    Rating endRating(RateQuery q, java.util.function.Function<RateQuery, Rating> rates) {
        if (!q.equals(ratedQuery)) {
            rating = rates.apply(q);
            ratedQuery = q;
        }
        return rating;
    }
}
