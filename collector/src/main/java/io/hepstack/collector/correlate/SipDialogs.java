package io.hepstack.collector.correlate;

import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.protocol.sip.SipMessage;
import io.hepstack.collector.protocol.sip.SipMethod;

import java.util.function.LongSupplier;

/**
 * SIP by Call-ID: an initial INVITE starts a {@link CallRecord} (or its next generation, after a
 * closed one), the dialog's later requests and responses add their facts, parties and SDP to it;
 * other requests outside a call become {@link TransactionRecord}s, a 401/407-challenged one
 * folding its retry in. Duplicates by {@link MessageKey}; late messages of closed records start
 * nothing (docs/tdr.md, "Correlation rules"), but those of a call closed a short while ago that
 * was live when they were captured join it ({@link ClosedCalls#sipCall}; docs/tdr.md, "Arrival
 * order"). The records themselves rank the party fields.
 *
 * <p>Not thread-safe: the correlator's worker owns it.
 */
final class SipDialogs {

    private final CorrelationConfig config;
    private final CorrelationMetrics metrics;
    private final CallTable table;
    private final ClosedCalls recent;
    private final OrphanBuffer orphans;
    private final WriteScheduler writes;
    private final MediaIndex media;
    private final LegLinks links;
    private final CorrelationIds ids;
    private final Canonical canonical;
    private final LongSupplier clock;

    SipDialogs(CorrelationConfig config, CorrelationMetrics metrics, CallTable table, ClosedCalls recent,
               OrphanBuffer orphans, WriteScheduler writes, MediaIndex media, LegLinks links,
               CorrelationIds ids, Canonical canonical, LongSupplier clock) {
        this.config = config;
        this.metrics = metrics;
        this.table = table;
        this.recent = recent;
        this.orphans = orphans;
        this.writes = writes;
        this.media = media;
        this.links = links;
        this.ids = ids;
        this.canonical = canonical;
        this.clock = clock;
    }

    /**
     * A SIP message. One of a dialog whose call is not live (and not closed) waits for the call when
     * {@code mayWait} (it is not coming back from waiting): a BYE, ACK or re-INVITE, a CANCEL, a
     * response to BYE/CANCEL/PRACK/UPDATE/INFO (docs/tdr.md, "Arrival order").
     */
    void onSip(CapturedMessage m, SipMessage s, boolean mayWait) {
        String callId = s.callId();
        if (callId == null || callId.isEmpty()) {
            metrics.unmatched.mark();
            return;
        }
        if (callId.length() > Canonical.MAX_CHARS) { // a key of live state: bounded (indexed, not tracked)
            metrics.oversized.mark();
            return;
        }
        m.callId = callId;
        CallRecord call = table.call(callId);
        boolean created = false;
        if (call == null) {
            CallRecord closed = closedCall(callId, m, s);
            if (closed != null) {
                sipToCall(closed, m, s); // arrived after its call closed, captured while it was live
                orphans.placed(closed, recent.addresses(closed)); // reports waiting for a late SDP's addresses
                return;
            }
            if (m.previousRun && ofInviteDialog(s)) {
                // read again after a crash (write-ahead): a call live at the crash is known by now
                // (resumed from its TDR, rebuilt from its stored messages, or started by this replay's
                // INVITE), so this call ended before it and the first pass applied the message
                metrics.replayedAfterEnd.mark();
                return;
            }
            if (mayWait && ofInviteDialog(s) && table.closedCall(callId) == null && orphans.waitForCall(m, callId)) {
                return;
            }
            call = startCall(m, s, callId);
            created = call != null;
        }
        if (call != null) {
            sipToCall(call, m, s);
            if (created) {
                orphans.adopt(call); // after its first message, so its SDP can place their legs
            }
            orphans.placed(call); // media reports that waited for the addresses its SDP announced
            // call events at the message that causes them, in capture order with the SIP messages:
            // the fraud stage must see a call start before the messages that follow it
            writes.notifyCall(call);
        }
    }

    /**
     * The closed call a SIP message still joins: kept ({@link ClosedCalls#sipCall}: captured while
     * the call was live in capture order), ended, not made live again by the message
     * ({@link CallRecord#reopenedBy}) and under its cap of late messages; else null (the message is
     * late, as before).
     */
    private CallRecord closedCall(String callId, CapturedMessage m, SipMessage s) {
        CallRecord c = recent.sipCall(callId, m.timestampMicros());
        return c != null && c.ended() && !c.reopenedBy(s) && recent.admitSip(c) ? c : null;
    }

    /** A message that only an INVITE dialog has (so it waits for the INVITE rather than start a transaction). */
    private static boolean ofInviteDialog(SipMessage s) {
        if (s.isRequest()) {
            String method = s.method();
            if (SipMethod.ACK.equals(method) || SipMethod.CANCEL.equals(method)) {
                return true;
            }
            return CallRecord.toTag(s) != null && IN_DIALOG.contains(method);
        }
        String answered = s.cseqMethod();
        return answered != null && !SipMethod.INVITE.equals(answered) && IN_DIALOG.contains(answered);
    }

    /** Methods of an INVITE dialog (RFC 3261, 3262, 3311, 6086) besides ACK. */
    private static final java.util.Set<String> IN_DIALOG = java.util.Set.of(SipMethod.INVITE, SipMethod.BYE,
            SipMethod.CANCEL, SipMethod.PRACK, SipMethod.UPDATE, SipMethod.INFO);

    /** A call for a message whose Call-ID has none, when the message starts one; else routes it elsewhere. */
    private CallRecord startCall(CapturedMessage m, SipMessage s, String callId) {
        boolean request = s.isRequest();
        String method = request ? s.method() : s.cseqMethod();
        boolean invite = SipMethod.INVITE.equals(method);
        boolean inDialog = request && CallRecord.toTag(s) != null;
        CallTable.Closed gone = table.closedCall(callId);
        if (invite) {
            int generation = 1;
            if (gone != null) {
                if (!(request && !inDialog && s.cseqNumber() > gone.maxInviteCseq())) {
                    metrics.late.mark(); // indexed, not counted in any TDR
                    return null;
                }
                generation = gone.generation() + 1;
            } else if (inDialog) {
                metrics.unmatched.mark(); // re-INVITE of a call we never saw start
                return null;
            }
            return newCall(callId, generation);
        }
        if (gone != null && (inDialog || !request || SipMethod.ACK.equals(method))) {
            metrics.late.mark();
            return null;
        }
        if (request && SipMethod.ACK.equals(method)) {
            metrics.unmatched.mark();
            return null;
        }
        if (config.transactions) {
            onTransaction(m, s, callId);
        }
        return null;
    }

    private CallRecord newCall(String callId, int generation) {
        CallRecord call = new CallRecord(callId, generation, clock.getAsLong(), config.maxMessageIds);
        table.putCall(call);
        metrics.calls.mark();
        links.created(call);
        table.boundCalls();
        return call;
    }

    private void sipToCall(CallRecord call, CapturedMessage m, SipMessage s) {
        TdrStatus before = call.status();
        boolean dup = call.add(m, MessageKey.of(s), clock.getAsLong(), canonical);
        m.duplicate = dup;
        call.sip++;
        if (dup) {
            metrics.duplicates.mark();
        }
        long t = m.timestampMicros();
        int vias = Math.min(s.vias().size(), 1023);
        if (s.isRequest()) {
            String method = s.method();
            if (!dup) {
                call.methods.add(canonical.of(method), m.timestampMicros());
            }
            Side from = call.senderOf(s);
            switch (method) {
                case SipMethod.INVITE -> {
                    if (CallRecord.toTag(s) == null) {
                        call.initialInvite(s, t);
                        call.inviteParties(m, s, t, vias, canonical);
                        links.invite(call, s, ids.correlationCallId(m.hep.correlationId, call.callId), t);
                    } else if (!dup) {
                        call.reinvites++;
                    }
                }
                case SipMethod.CANCEL -> {
                    call.cancel(s, t);
                    call.noteReason(s.reason(), Party.rank(0, t, true));
                }
                case SipMethod.BYE -> {
                    call.bye(s, t);
                    call.noteReason(s.reason(), Party.rank(1, t, true));
                }
                default -> {
                }
            }
            if (s.sdp() != null) {
                // the sender's own media; the closest copy to the sender (fewest Vias), latest
                media(call, from, MediaDescription.of(s.sdp(), canonical), Party.rank(1023 - vias, t, false));
            }
        } else {
            boolean toInvite = SipMethod.INVITE.equals(s.cseqMethod());
            if (toInvite) {
                call.inviteResponse(s, t);
                call.responseParties(m, s, t, vias, canonical);
                if (s.statusCode() >= 300) {
                    call.noteReason(s.reason(), Party.rank(2, t, true));
                }
            }
            if (s.sdp() != null) {
                // a response carries the media of the side that answers the request
                Side answerer = call.senderOf(s).other();
                media(call, answerer, MediaDescription.of(s.sdp(), canonical),
                        Party.rank(answerer == Side.CALLEE ? vias : 1023 - vias, t, false));
            }
        }
        if (call.closed) {
            metrics.lateJoined.mark();
            writes.late(call); // its final TDR again, with what arrived after it
        } else if (call.status() == before && (dup || s.isRequest() && SipMethod.ACK.equals(s.method()) && s.sdp() == null)) {
            writes.quietChange(call); // a retransmission or a plain ACK only adds to the counts
        } else {
            writes.changed(call, before);
        }
    }

    /**
     * A side's SDP: kept by the call when it ranks best, its addresses indexed either way (a closed
     * call's with the call in {@link ClosedCalls}).
     */
    private void media(CallRecord call, Side side, MediaDescription md, long rank) {
        if (md == null) {
            return;
        }
        call.media(side, md, rank);
        if (!call.closed) {
            media.register(call, side, md);
            return;
        }
        recent.register(call, side, md);
    }

    /** A non-INVITE request or response outside a call: its transaction, found, folded or new. */
    private void onTransaction(CapturedMessage m, SipMessage s, String callId) {
        String method = s.isRequest() ? s.method() : s.cseqMethod();
        long cseq = s.cseqNumber();
        if (method == null) {
            metrics.unmatched.mark();
            return;
        }
        String key = callId + '\u0000' + method + '\u0000' + cseq;
        TransactionRecord tx = table.transaction(key);
        if (tx == null) {
            if (table.isClosedTransaction(key)) {
                metrics.late.mark();
                return;
            }
            // the retry of a challenged request folds into it (same Call-ID and method, next CSeq)
            TransactionRecord prev = cseq > 0 ? table.transaction(callId + '\u0000' + method + '\u0000' + (cseq - 1)) : null;
            if (prev != null && s.isRequest() && prev.challengedNow()) {
                tx = prev;
                tx.retry(cseq);
                tx.keys.add(key);
                table.putTransaction(key, tx);
            } else {
                tx = new TransactionRecord(callId, method, cseq, clock.getAsLong(), config.maxMessageIds);
                tx.keys.add(key);
                table.putTransaction(key, tx);
                metrics.transactions.mark();
                table.boundTransactions();
            }
        }
        TdrStatus before = tx.status();
        boolean dup = tx.add(m, MessageKey.of(s), clock.getAsLong(), canonical);
        m.duplicate = dup;
        tx.sip++;
        if (dup) {
            metrics.duplicates.mark();
        }
        long t = m.timestampMicros();
        int vias = Math.min(s.vias().size(), 1023);
        if (!dup) {
            tx.methods.add(canonical.of(s.isRequest() ? s.method() : method), m.timestampMicros());
        }
        if (s.isRequest()) {
            if (!dup) {
                tx.requests++;
            }
            tx.request(s, t);
            tx.requestParties(m, s, t, vias, canonical);
        } else {
            tx.response(s, t, cseq == tx.cseq);
            tx.responseParties(m, s, t, vias, canonical);
            if (s.statusCode() >= 300) {
                tx.noteReason(s.reason(), Party.rank(0, t, true));
            }
        }
        writes.changed(tx, before);
    }
}
