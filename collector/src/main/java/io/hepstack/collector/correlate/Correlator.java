package io.hepstack.collector.correlate;

import io.hepstack.collector.document.IndexNames;
import io.hepstack.collector.pipeline.Batch;
import io.hepstack.collector.pipeline.CorrelationRole;
import io.hepstack.collector.pipeline.PayloadProtocol;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.protocol.rtcp.QosReport;
import io.hepstack.collector.protocol.rtcp.RtcpReport;
import io.hepstack.collector.protocol.sip.NameAddress;
import io.hepstack.collector.protocol.sip.SipMessage;
import io.hepstack.collector.protocol.sip.SipMethod;
import io.hepstack.collector.protocol.sip.SipUri;
import io.hepstack.enricher.IpInfo;
import io.hepstack.enricher.number.NumberInfo;
import io.hepstack.enricher.rating.RateQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Groups captured messages into calls and transactions and keeps their TDRs written. The rules
 * (what joins what, how a status and the timings are derived, how memory stays bounded) are in
 * docs/tdr.md; the code follows its sections:
 * <ul>
 * <li>SIP by Call-ID: INVITE dialogs become {@link CallRecord}s, other transactions
 *     {@link TransactionRecord}s; duplicates by {@link MessageKey}.</li>
 * <li>RTCP and QoS reports by correlation id, then SDP media address, then SSRC; LOG/JSON by
 *     correlation id. Messages naming a call not seen yet wait ({@code orphans}).</li>
 * <li>B2BUA legs by {@link LegLinks}.</li>
 * <li>Time: the capture clock (newest capture time seen, moved by ticks), never more than
 *     {@code maxClockLead} ahead of the wall clock. Timers count from a record's last message on
 *     this clock, so a replay behaves like live traffic.</li>
 * </ul>
 * Not thread-safe: the pipeline worker owns it.
 */
final class Correlator {

    private static final Logger LOG = LoggerFactory.getLogger(Correlator.class);

    /** Lets helpers find live calls and report changes. */
    interface Lookup {
        CallRecord live(String callId);

        void changed(TdrRecord r);
    }

    /** A Call-ID or transaction that was closed: late messages for it start nothing new. */
    private record Closed(int generation, long maxInviteCseq) {
    }

    private final CorrelationConfig config;
    private final CorrelationConfig.Timers timers;
    /** The batch being worked on: call events and TDR writes go into it. */
    private Batch out;
    private final CorrelationMetrics metrics;
    private final LongSupplier wallMicros;
    private final TdrDocumentWriter writer;
    /** Recurring strings of live records (methods, nodes, domains, user agents, codecs) kept once. */
    private final Canonical canonical = new Canonical(16_384);
    private final IndexNames tdrIndex = new IndexNames("tdr");
    private final List<String> suffixes;

    private final LinkedHashMap<String, CallRecord> calls = new LinkedHashMap<>(1024, 0.75f, true);
    private final LinkedHashMap<String, TransactionRecord> transactions = new LinkedHashMap<>(1024, 0.75f, true);
    private final LinkedHashMap<String, Closed> closed;
    private final LinkedHashMap<String, List<CapturedMessage>> orphans = new LinkedHashMap<>(64, 0.75f, false);
    private final Map<CapturedMessage, Long> orphanSince = new java.util.IdentityHashMap<>();
    private int orphanCount;
    /** Records with unwritten changes. */
    private final LinkedHashSet<TdrRecord> dirty = new LinkedHashSet<>();
    /** Records the current batch changed: checked at its end; the others wait for the next tick. */
    private final List<TdrRecord> touched = new ArrayList<>();
    private long batch;
    private long tick;
    private final MediaIndex media;
    private final LegLinks links;

    private long clock = Long.MIN_VALUE;

    Correlator(CorrelationConfig config, CorrelationMetrics metrics, LongSupplier wallMicros) {
        List<String> problems = config.validate();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("correlation config: " + String.join("; ", problems));
        }
        this.config = config;
        this.timers = config.timers();
        this.metrics = metrics;
        this.wallMicros = wallMicros;
        this.writer = new TdrDocumentWriter(wallMicros);
        this.suffixes = List.copyOf(config.correlationSuffixes);
        int maxClosed = config.recentlyClosed;
        this.closed = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Closed> eldest) {
                return size() > maxClosed;
            }
        };
        this.media = new MediaIndex(Math.max(1024, config.maxCalls * 4));
        this.links = new LegLinks(config.linkHeaders, Math.max(1024, config.maxCalls * 2), new Lookup() {
            @Override
            public CallRecord live(String callId) {
                return calls.get(callId);
            }

            @Override
            public void changed(TdrRecord r) {
                r.urgent = true;
                queue(r);
            }
        });
    }

    long clock() {
        return clock;
    }

    int liveCalls() {
        return calls.size();
    }

    int liveTransactions() {
        return transactions.size();
    }

    int orphans() {
        return orphanCount;
    }

    /** The live call with this Call-ID (tests, API). */
    CallRecord call(String callId) {
        return calls.get(callId);
    }

    // ================================================================== entry points

    void process(Batch b) {
        out = b;
        batch++;
        touched.clear();
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
        writeTouched();
    }

    void tick(long nowMicros, Batch b) {
        out = b;
        tick++;
        advance(nowMicros);
        expire();
        expireOrphans();
        writeDue(false);
        touched.clear();
    }

    /** Shutdown: writes every record with unwritten changes, as it is. */
    void flush(Batch b) {
        out = b;
        writeDue(true);
        touched.clear();
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
        advance(m.timestampMicros());
        switch (m.protocol.role()) {
            case SIGNALLING -> {
                if (m.parsed instanceof SipMessage s) {
                    onSip(m, s);
                }
            }
            case MEDIA_REPORT -> onMedia(m);
            case LOG -> onLog(m);
            case NONE -> {
            }
        }
    }

    // ================================================================== SIP

    private void onSip(CapturedMessage m, SipMessage s) {
        String callId = s.callId();
        if (callId == null || callId.isEmpty()) {
            metrics.unmatched.mark();
            return;
        }
        m.callId = callId;
        {
            CallRecord call = calls.get(callId);
            boolean created = false;
            if (call == null) {
                call = startCall(m, s, callId);
                created = call != null;
            }
            if (call != null) {
                sipToCall(call, m, s);
                if (created) {
                    adoptOrphans(call); // after its first message, so its SDP can place their legs
                }
                // call events at the message that causes them, in capture order with the SIP messages:
                // the fraud stage must see a call start before the messages that follow it
                notifyCall(call);
            }
        }
    }

    /** A call for a message whose Call-ID has none, when the message starts one; else routes it elsewhere. */
    private CallRecord startCall(CapturedMessage m, SipMessage s, String callId) {
        boolean request = s.isRequest();
        String method = request ? s.method() : s.cseqMethod();
        boolean invite = SipMethod.INVITE.equals(method);
        boolean inDialog = request && CallRecord.toTag(s) != null;
        Closed gone = closed.get("c\u0000" + callId);
        if (invite) {
            int generation = 1;
            if (gone != null) {
                if (!(request && !inDialog && s.cseqNumber() > gone.maxInviteCseq())) {
                    late(m);
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
            late(m);
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
        CallRecord call = new CallRecord(callId, generation, clock, config.maxMessageIds);
        calls.put(callId, call);
        metrics.calls.mark();
        links.created(call);
        while (calls.size() > config.maxCalls) {
            evictEldest(calls);
        }
        return call;
    }

    /** RTCP, QoS reports and logs that named this call before it was seen. */
    private void adoptOrphans(CallRecord call) {
        List<CapturedMessage> waiting = orphans.remove(call.callId);
        if (waiting != null) {
            for (CapturedMessage o : waiting) {
                orphanCount--;
                orphanSince.remove(o);
                attachNonSip(call, o);
            }
        }
    }

    private void sipToCall(CallRecord call, CapturedMessage m, SipMessage s) {
        TdrStatus before = call.status();
        boolean dup = call.add(m, MessageKey.of(s), clock, canonical);
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
                call.methods.add(canonical.of(method));
            }
            Side from = call.senderOf(s);
            switch (method) {
                case SipMethod.INVITE -> {
                    if (CallRecord.toTag(s) == null) {
                        call.initialInvite(s, t);
                        inviteParties(call, m, s, t, vias);
                        links.invite(call, s, correlationCallId(m.hep.correlationId, call.callId));
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
                responseParties(call, m, s, t, vias);
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
        changed(call, before);
    }

    /** Parties from an initial INVITE: caller-side fields from the copy with fewest Vias, callee address from the most. */
    private void inviteParties(CallRecord call, CapturedMessage m, SipMessage s, long t, int vias) {
        long identity = Party.rank(1024 + 1023 - vias, t, true);
        if (identity > call.identityRank) {
            call.identityRank = identity;
            identity(call, m, s, true);
        }
        long callerAddress = Party.rank(1024 + 1023 - vias, t, true);
        if (callerAddress > call.caller.addressRank) {
            address(call.caller, m.hep.srcIpText(), m.hep.srcPort, m.sourceInfo, callerAddress);
        }
        long calleeAddress = Party.rank(1024 + vias, t, false);
        if (calleeAddress > call.callee.addressRank) {
            address(call.callee, m.hep.dstIpText(), m.hep.dstPort, m.destinationInfo, calleeAddress);
        }
    }

    /** Parties from a response to the INVITE: callee address and user agent; identity only when no INVITE was seen. */
    private void responseParties(CallRecord call, CapturedMessage m, SipMessage s, long t, int vias) {
        long identity = Party.rank(1023 - vias, t, true);
        if (identity > call.identityRank) {
            call.identityRank = identity;
            identity(call, m, s, false);
        }
        long callerAddress = Party.rank(1023 - vias, t, true);
        if (callerAddress > call.caller.addressRank) {
            address(call.caller, m.hep.dstIpText(), m.hep.dstPort, m.destinationInfo, callerAddress);
        }
        long calleeAddress = Party.rank(vias, t, false);
        if (calleeAddress > call.callee.addressRank) {
            address(call.callee, m.hep.srcIpText(), m.hep.srcPort, m.sourceInfo, calleeAddress);
        }
        String ua = s.server() != null ? s.server() : s.userAgent();
        if (ua != null) {
            long rank = Party.rank((s.statusCode() == 100 ? 0 : 1024) + vias, t, true);
            if (rank > call.callee.userAgentRank) {
                call.callee.userAgent = canonical.of(ua);
                call.callee.userAgentRank = rank;
            }
        }
    }

    private void identity(TdrRecord r, CapturedMessage m, SipMessage s, boolean request) {
        NameAddress from = s.from();
        NameAddress to = s.to();
        NameAddress pai = s.pAssertedIdentity();
        Party caller = r.caller;
        Party callee = r.callee;
        if (from != null) {
            caller.display = from.displayName();
            caller.user = from.uri() == null ? null : from.uri().user();
            caller.domain = from.uri() == null ? null : canonical.of(from.uri().host());
        }
        if (to != null) {
            callee.display = to.displayName();
            callee.user = to.uri() == null ? null : to.uri().user();
            callee.domain = to.uri() == null ? null : canonical.of(to.uri().host());
        }
        caller.pai = pai == null || pai.uri() == null ? null
                : pai.uri().user() == null ? pai.uri().host() : pai.uri().user() + "@" + pai.uri().host();
        NumberInfo paiNumber = number(m, CapturedMessage.Party.PAI, pai == null ? null : pai.uri());
        caller.number = paiNumber != null ? paiNumber : number(m, CapturedMessage.Party.FROM, from == null ? null : from.uri());
        NumberInfo ruriNumber = null;
        if (request) {
            SipUri ruri = s.requestUri();
            if (r instanceof CallRecord c && ruri != null) {
                c.requestUser = ruri.isTel() ? ruri.raw() : ruri.user();
                c.requestDomain = canonical.of(ruri.host());
            }
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

    private NumberInfo number(CapturedMessage m, CapturedMessage.Party party, SipUri uri) {
        return m.numbers[party.ordinal()]; // the enrich stage's analysis
    }

    private void address(Party p, String ip, int port, IpInfo info, long rank) {
        p.ip = ip;
        p.port = port;
        p.ipInfo = info; // the enrich stage's lookup of this HEP address
        p.addressRank = rank;
    }

    private void media(CallRecord call, Side side, MediaDescription md, long rank) {
        if (md == null) {
            return;
        }
        Party p = side == Side.CALLER ? call.caller : call.callee;
        if (rank > p.mediaRank) {
            p.media = md;
            p.mediaRank = rank;
            call.refreshCodec();
        }
        media.register(call, side, md);
    }

    // ================================================================== transactions

    private void onTransaction(CapturedMessage m, SipMessage s, String callId) {
        String method = s.isRequest() ? s.method() : s.cseqMethod();
        long cseq = s.cseqNumber();
        if (method == null) {
            metrics.unmatched.mark();
            return;
        }
        String key = callId + '\u0000' + method + '\u0000' + cseq;
        TransactionRecord tx = transactions.get(key);
        if (tx == null) {
            if (closed.containsKey("t\u0000" + key)) {
                late(m);
                return;
            }
            // the retry of a challenged request folds into it (same Call-ID and method, next CSeq)
            TransactionRecord prev = cseq > 0 ? transactions.get(callId + '\u0000' + method + '\u0000' + (cseq - 1)) : null;
            if (prev != null && s.isRequest() && prev.challengedNow()) {
                tx = prev;
                tx.retry(cseq);
                tx.keys.add(key);
                transactions.put(key, tx);
            } else {
                tx = new TransactionRecord(callId, method, cseq, clock, config.maxMessageIds);
                tx.keys.add(key);
                transactions.put(key, tx);
                metrics.transactions.mark();
                while (transactions.size() > config.maxTransactions) {
                    evictEldest(transactions);
                }
            }
        }
        TdrStatus before = tx.status();
        boolean dup = tx.add(m, MessageKey.of(s), clock, canonical);
        m.duplicate = dup;
        tx.sip++;
        if (dup) {
            metrics.duplicates.mark();
        }
        long t = m.timestampMicros();
        int vias = Math.min(s.vias().size(), 1023);
        if (!dup) {
            tx.methods.add(canonical.of(s.isRequest() ? s.method() : method));
        }
        if (s.isRequest()) {
            if (!dup) {
                tx.requests++;
            }
            tx.request(s, t);
            long identity = Party.rank(1024 + 1023 - vias, t, true);
            if (identity > tx.caller.addressRank) {
                identity(tx, m, s, true);
                address(tx.caller, m.hep.srcIpText(), m.hep.srcPort, m.sourceInfo, identity);
            }
            long calleeAddress = Party.rank(1024 + vias, t, false);
            if (calleeAddress > tx.callee.addressRank) {
                address(tx.callee, m.hep.dstIpText(), m.hep.dstPort, m.destinationInfo, calleeAddress);
            }
        } else {
            tx.response(s, t, cseq == tx.cseq);
            long identity = Party.rank(1023 - vias, t, true);
            if (identity > tx.caller.addressRank) {
                identity(tx, m, s, false);
                address(tx.caller, m.hep.dstIpText(), m.hep.dstPort, m.destinationInfo, identity);
            }
            long calleeAddress = Party.rank(vias, t, false);
            if (calleeAddress > tx.callee.addressRank) {
                address(tx.callee, m.hep.srcIpText(), m.hep.srcPort, m.sourceInfo, calleeAddress);
            }
            String ua = s.server() != null ? s.server() : s.userAgent();
            if (ua != null && tx.callee.userAgent == null) {
                tx.callee.userAgent = canonical.of(ua);
            }
            if (s.statusCode() >= 300) {
                tx.noteReason(s.reason(), Party.rank(0, t, true));
            }
        }
        changed(tx, before);
    }

    // ================================================================== RTCP, QoS, logs

    private void onMedia(CapturedMessage m) {
        String cid = m.hep.correlationId;
        CallRecord call = byCorrelationId(cid);
        QosReport q = mediaReport(m) instanceof QosReport qr ? qr : null;
        if (call == null && q != null) {
            call = byCorrelationId(q.callId());
            if (call == null) {
                call = byCorrelationId(q.correlationId());
            }
        }
        if (call == null) {
            MediaIndex.Ref ref = mediaRef(m);
            if (ref != null) {
                call = ref.call();
            }
        }
        if (call == null) {
            String named = cid != null && !cid.isEmpty() ? cid : q != null && q.callId() != null ? q.callId() : null;
            unattached(m, named);
            return;
        }
        attachNonSip(call, m);
    }

    private void onLog(CapturedMessage m) {
        String cid = m.hep.correlationId;
        if (cid == null || cid.isEmpty()) {
            return; // not meant to join anything
        }
        CallRecord call = byCorrelationId(cid);
        if (call == null) {
            unattached(m, cid);
            return;
        }
        attachNonSip(call, m);
    }

    /** A non-SIP message that names a call we do not have: late, waiting, or unmatched. */
    private void unattached(CapturedMessage m, String named) {
        if (named == null) {
            metrics.unmatched.mark();
            return;
        }
        String callId = stripSuffix(named);
        m.callId = callId;
        if (closed.containsKey("c\u0000" + callId)) {
            late(m);
            return;
        }
        if (timers.orphan() <= 0) {
            metrics.unmatched.mark();
            return;
        }
        orphans.computeIfAbsent(callId, k -> new ArrayList<>(2)).add(m);
        orphanSince.put(m, clock);
        orphanCount++;
        while (orphanCount > config.maxOrphans) {
            dropOldestOrphan();
            metrics.orphansDropped.mark();
        }
    }

    private void attachNonSip(CallRecord call, CapturedMessage m) {
        TdrStatus before = call.status();
        m.callId = call.callId;
        call.add(m, 0, clock, canonical);
        if (m.protocol.role() == CorrelationRole.MEDIA_REPORT) {
            call.rtcp++;
            if (config.qos) {
                quality(call, m);
            }
            emit(CallEvent.Type.MEDIA_REPORT, call);
        } else {
            call.logs++;
        }
        changed(call, before);
    }

    /**
     * Feeds a report to the leg whose stream it describes. {@code a_leg} is the stream the caller
     * sends, {@code b_leg} the callee's (docs/tdr.md, "Media legs").
     */
    private void quality(CallRecord call, CapturedMessage m) {
        long t = m.timestampMicros();
        Object report = mediaReport(m);
        RtcpReport r = report instanceof RtcpReport rr ? rr : null;
        QosReport q = report instanceof QosReport qr ? qr : null;
        if (r != null) {
            Side sender = rtcpStreamSender(call, m, r);
            QosLeg leg = call.leg(sender.leg());
            leg.add(r, t);
            for (RtcpReport.ReportBlock b : r.reportBlocks()) {
                media.learn(b.sourceSsrc(), call, sender);
            }
            if (r.senderSsrc() >= 0) {
                media.learn(r.senderSsrc(), call, sender.other());
            }
        } else if (q != null) {
            Side sender = qosStreamSender(call, q);
            call.leg(sender.leg()).add(q, t);
            media.learn(q.ssrc(), call, sender);
        }
    }

    /**
     * The side that sends the stream an RTCP report describes. The reporter is the receiver: its
     * address (HEP source) on one side's SDP means the stream comes from the other side; the
     * report's destination (the stream's sender, RFC 3550 §6.4) on a side's SDP means that side.
     * Then SSRCs learned earlier, then addresses without ports, then signalling addresses; else
     * the caller.
     */
    private Side rtcpStreamSender(CallRecord call, CapturedMessage m, RtcpReport r) {
        String src = m.hep.srcIpText();
        String dst = m.hep.dstIpText();
        MediaIndex.Ref ref = media.address(src, m.hep.srcPort);
        if (ref != null && ref.call() == call) {
            return ref.side().other();
        }
        ref = media.address(dst, m.hep.dstPort);
        if (ref != null && ref.call() == call) {
            return ref.side();
        }
        for (RtcpReport.ReportBlock b : r.reportBlocks()) {
            ref = media.ssrc(b.sourceSsrc());
            if (ref != null && ref.call() == call) {
                return ref.side();
            }
        }
        ref = media.ssrc(r.senderSsrc());
        if (ref != null && ref.call() == call) {
            return ref.side().other();
        }
        Side s = sideOfIp(call, src);
        if (s != null) {
            return s.other();
        }
        s = sideOfIp(call, dst);
        return s != null ? s : Side.CALLER;
    }

    /** The side that sends the stream an agent QoS report describes (its SRC_IP:SRC_PORT). */
    private Side qosStreamSender(CallRecord call, QosReport q) {
        MediaIndex.Ref ref = media.address(q.srcIp(), q.srcPort());
        if (ref != null && ref.call() == call) {
            return ref.side();
        }
        ref = media.address(q.dstIp(), q.dstPort());
        if (ref != null && ref.call() == call) {
            return ref.side().other();
        }
        ref = media.ssrc(q.ssrc());
        if (ref != null && ref.call() == call) {
            return ref.side();
        }
        Side s = sideOfIp(call, q.srcIp());
        if (s != null) {
            return s;
        }
        s = sideOfIp(call, q.dstIp());
        return s != null ? s.other() : Side.CALLER;
    }

    /** A side whose SDP address, else signalling address, is {@code ip} (exactly one side). */
    private static Side sideOfIp(CallRecord call, String ip) {
        if (ip == null) {
            return null;
        }
        boolean a = call.caller.media != null && ip.equals(call.caller.media.ip());
        boolean b = call.callee.media != null && ip.equals(call.callee.media.ip());
        if (a != b) {
            return a ? Side.CALLER : Side.CALLEE;
        }
        a = ip.equals(call.caller.ip);
        b = ip.equals(call.callee.ip);
        if (a != b) {
            return a ? Side.CALLER : Side.CALLEE;
        }
        return null;
    }

    private MediaIndex.Ref mediaRef(CapturedMessage m) {
        MediaIndex.Ref ref = media.address(m.hep.srcIpText(), m.hep.srcPort);
        if (ref == null) {
            ref = media.address(m.hep.dstIpText(), m.hep.dstPort);
        }
        Object report = mediaReport(m);
        QosReport q = report instanceof QosReport qr ? qr : null;
        if (ref == null && q != null) {
            ref = media.address(q.srcIp(), q.srcPort());
            if (ref == null) {
                ref = media.address(q.dstIp(), q.dstPort());
            }
            if (ref == null) {
                ref = media.ssrc(q.ssrc());
            }
        }
        RtcpReport r = report instanceof RtcpReport rr ? rr : null;
        if (ref == null && r != null) {
            ref = media.ssrc(r.senderSsrc());
            for (int i = 0; ref == null && i < r.reportBlocks().size(); i++) {
                ref = media.ssrc(r.reportBlocks().get(i).sourceSsrc());
            }
        }
        return ref;
    }

    private CallRecord byCorrelationId(String cid) {
        if (cid == null || cid.isEmpty()) {
            return null;
        }
        CallRecord c = calls.get(cid);
        if (c == null) {
            String stripped = stripSuffix(cid);
            if (stripped != cid) {
                c = calls.get(stripped);
            }
        }
        return c;
    }

    private String stripSuffix(String cid) {
        for (String s : suffixes) {
            if (cid.length() > s.length() && cid.endsWith(s)) {
                return cid.substring(0, cid.length() - s.length());
            }
        }
        return cid;
    }

    /** The HEP correlation id of a SIP message when it names another call (a B2BUA's other leg). */
    private String correlationCallId(String cid, String own) {
        if (cid == null || cid.isEmpty()) {
            return null;
        }
        String c = stripSuffix(cid);
        return c.equals(own) ? null : c;
    }

    // ================================================================== lifecycle

    private void changed(TdrRecord r, TdrStatus before) {
        TdrStatus now = r.status();
        if (now.ended()) {
            if (r.endedClock < 0) {
                r.endedClock = clock;
            }
        } else {
            r.endedClock = -1;
        }
        queue(r); // written at the end of the batch when due (see writeDue)
    }

    private void queue(TdrRecord r) {
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

    /** A message for a record closed already: indexed, not counted in any TDR. */
    private void late(CapturedMessage m) {
        metrics.late.mark();
    }

    /**
     * Timeouts and the end of lingering: records whose deadline passed on the capture clock. One
     * pass over the live records per tick (about once a second), allocation-free unless one is due.
     */
    private void expire() {
        List<TdrRecord> due = null;
        for (CallRecord c : calls.values()) {
            if (clock >= c.deadline(timers)) {
                (due == null ? due = new ArrayList<>() : due).add(c);
            }
        }
        for (TransactionRecord tx : transactions.values()) {
            // a folded transaction is in the map under several keys: take it once
            if (clock >= tx.deadline(timers) && tx.expiryTick != tick) {
                tx.expiryTick = tick;
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
                changed(r, before);
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
            queue(r);
        }
        close(r);
    }

    /** Writes what is unwritten, forgets the record, remembers its Call-ID as closed. */
    private void close(TdrRecord r) {
        if (r.closed) {
            return;
        }
        if (r.queued) {
            notifyCall(r);
            write(r);
        }
        r.closed = true;
        dirty.remove(r);
        r.queued = false;
        if (r instanceof CallRecord c) {
            if (!c.endedNotified && c.startedNotified) {
                c.endedNotified = true;
                out.emit(new CallEvent(CallEvent.Type.ENDED, summary(c), c, null, null)); // as it is: not priced again
            }
            calls.remove(c.callId, c);
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

    private void expireOrphans() {
        if (orphanCount == 0) {
            return;
        }
        long limit = clock - timers.orphan();
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

    // ================================================================== writing

    /**
     * Writes records with unwritten changes that are due: a call when its last write (or its
     * start) is at least {@code updateInterval} old; a transaction when it ended since its last
     * write, or likewise. A transaction is first written when it ends or after
     * {@code updateInterval} without a final response, so a quick REGISTER costs one write. A
     * 401/407 waits for its retry (folded into the same record), or for the end of the linger.
     */
    private void writeDue(boolean all) {
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
    private void writeTouched() {
        for (TdrRecord r : touched) {
            if (r.queued && !r.closed && due(r, false)) {
                dirty.remove(r);
                r.queued = false;
                write(r);
            }
        }
        touched.clear();
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
        // states of a call's set-up (INVITE, 100, 180, a quick 200 or failure) and its media reports
        // fold into one write each instead of one per message; what changes sooner waits for a tick
        boolean intervalPassed = clock - Math.max(r.createdClock, r.lastWriteClock) >= timers.update();
        if (r instanceof CallRecord) {
            return intervalPassed;
        }
        TdrStatus st = r.status();
        return st.ended() && st != r.writtenStatus || intervalPassed;
    }

    private void write(TdrRecord r) {
        r.version++;
        r.urgent = false;
        if (r.index == null) {
            r.index = tdrIndex.forMicros(r.startMicros());
        }
        r.lastWriteClock = clock;
        r.writtenStatus = r.status();
        out.emit(new TdrWrite(r, writer)); // priced by the rate stage, written by the index stage
        metrics.written.mark();
    }

    // ================================================================== call events

    private void notifyCall(TdrRecord r) {
        if (!(r instanceof CallRecord c)) {
            return;
        }
        if (!c.startedNotified) {
            c.startedNotified = true;
            emit(CallEvent.Type.STARTED, c);
        }
        if (c.answered() && !c.answeredNotified) {
            c.answeredNotified = true;
            emit(CallEvent.Type.ANSWERED, c);
        }
        if (c.ended() && !c.endedNotified && !c.challengedNow()) { // a challenged call may still be retried
            c.endedNotified = true;
            emit(CallEvent.Type.ENDED, c);
        }
    }

    /** A call event with the call as it is now, and the rate questions as they stand now. */
    private void emit(CallEvent.Type type, CallRecord c) {
        RateQuery start = type == CallEvent.Type.STARTED || type == CallEvent.Type.ENDED ? c.rateQuery(0, true) : null;
        RateQuery end = type == CallEvent.Type.ENDED && start != null
                ? c.rateQuery(Math.max(0, c.durationSeconds()), c.answered()) : null;
        out.emit(new CallEvent(type, summary(c), c, start, end));
    }

    private static Object mediaReport(CapturedMessage m) {
        return mediaReportOf(m.protocol, m);
    }

    private static <T> Object mediaReportOf(PayloadProtocol<T> p, CapturedMessage m) {
        return m.parsed == null ? null : p.mediaReport(p.parsedOf(m));
    }

    /** The first ten, then every thousandth: a broken input stream must not flood the log. */
    private static boolean shouldLog(long count) {
        return count <= 10 || count % 1000 == 0;
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
