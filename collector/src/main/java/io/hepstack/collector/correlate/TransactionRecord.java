package io.hepstack.collector.correlate;

import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.protocol.sip.SipMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One non-INVITE transaction outside a call (REGISTER, OPTIONS, MESSAGE, SUBSCRIBE, NOTIFY, ...),
 * keyed by Call-ID, CSeq method and CSeq number. A request answered 401/407 and retried with the
 * next CSeq and the same Call-ID folds into the same record (one registration with
 * {@code auth_challenges=1}), so a challenge does not count as a failure.
 */
final class TransactionRecord extends TdrRecord {

    static final long NONE = Long.MAX_VALUE;

    final String method;
    /** Keys under which the call table holds this record (one per folded CSeq). */
    final List<String> keys = new ArrayList<>(1);
    long cseq;
    /** The expiry pass (one per tick) that last found it due (it is in the map once per folded CSeq). */
    long expiryTick = -1;
    /** Distinct requests (retransmissions and second captures not counted): auth retries, brute-force tries. */
    int requests;

    long requestMicros = NONE;
    long firstResponseMicros = NONE;
    long finalMicros = NONE;
    int finalCode = -1;
    String finalReason;
    long finalRank = Long.MIN_VALUE;

    // REGISTER
    String contact;
    long expires = -1;
    long expiresRank = Long.MIN_VALUE;

    TransactionRecord(String callId, String method, long cseq, long clock, int maxIds) {
        super(callId, "call:" + callId + "/" + method + "/" + cseq, typeOf(method), clock, maxIds);
        this.method = method;
        this.cseq = cseq;
    }

    static String typeOf(String method) {
        return "REGISTER".equals(method) ? "registration" : method.toLowerCase(Locale.ROOT);
    }

    /** Parties from a request: identity and caller address from the copy with fewest Vias, callee address from the most. */
    void requestParties(CapturedMessage m, SipMessage s, long t, int vias, Canonical canonical) {
        long identity = Party.rank(1024 + 1023 - vias, t, true);
        if (identity > caller.addressRank) {
            identity(m, s, true, canonical);
            caller.address(m.hep.srcIpText(), m.hep.srcPort, m.sourceInfo, identity);
        }
        long calleeAddress = Party.rank(1024 + vias, t, false);
        if (calleeAddress > callee.addressRank) {
            callee.address(m.hep.dstIpText(), m.hep.dstPort, m.destinationInfo, calleeAddress);
        }
    }

    /** Parties from a response: identity only when no request was seen; callee address and its first user agent. */
    void responseParties(CapturedMessage m, SipMessage s, long t, int vias, Canonical canonical) {
        long identity = Party.rank(1023 - vias, t, true);
        if (identity > caller.addressRank) {
            identity(m, s, false, canonical);
            caller.address(m.hep.dstIpText(), m.hep.dstPort, m.destinationInfo, identity);
        }
        long calleeAddress = Party.rank(vias, t, false);
        if (calleeAddress > callee.addressRank) {
            callee.address(m.hep.srcIpText(), m.hep.srcPort, m.sourceInfo, calleeAddress);
        }
        String ua = s.server() != null ? s.server() : s.userAgent();
        if (ua != null && callee.userAgent == null) {
            callee.userAgent = canonical.of(ua);
        }
    }

    void request(SipMessage s, long t) {
        requestMicros = Math.min(requestMicros, t);
        if ("REGISTER".equals(method)) {
            var c = s.contact();
            if (c != null && contact == null) {
                contact = c.isWildcard() ? "*" : c.uri() != null ? c.uri().raw() : c.raw();
            }
            long e = c != null && c.expires() >= 0 ? c.expires() : s.expires();
            if (e >= 0) {
                // the registrar's answer wins over the request (see response); among requests the latest
                long rank = Party.rank(0, t, false);
                if (rank > expiresRank) {
                    expires = e;
                    expiresRank = rank;
                }
            }
        }
    }

    /** A response; {@code current} is false for a response to an earlier (challenged) CSeq. */
    void response(SipMessage s, long t, boolean current) {
        int code = s.statusCode();
        if (code == 401 || code == 407) {
            challenged(s.cseqNumber(), s.via() == null ? null : s.via().branch());
        }
        firstResponseMicros = Math.min(firstResponseMicros, t);
        if (!current || code < 200) {
            return;
        }
        finalMicros = Math.min(finalMicros, t);
        long rank = Party.rank(2047 - Math.min(s.vias().size(), 2047), t, false);
        if (rank > finalRank) {
            finalRank = rank;
            finalCode = code;
            finalReason = s.reasonPhrase();
        }
        if ("REGISTER".equals(method) && code >= 200 && code < 300) {
            var c = s.contact();
            long e = c != null && c.expires() >= 0 ? c.expires() : s.expires();
            if (e >= 0) {
                long r = Party.rank(1, t, false);
                if (r > expiresRank) {
                    expires = e;
                    expiresRank = r;
                }
            }
        }
    }

    /** A retry of a challenged request: the next CSeq of the same Call-ID and method. */
    void retry(long nextCseq) {
        cseq = nextCseq;
        finalMicros = NONE;
        finalCode = -1;
        finalReason = null;
        finalRank = Long.MIN_VALUE;
        endedClock = -1;
    }

    @Override
    boolean challengedNow() {
        return finalCode == 401 || finalCode == 407;
    }

    @Override
    TdrStatus status() {
        if (finalCode >= 200) {
            return TdrStatus.ofFinalCode(finalCode, TdrStatus.SUCCESS);
        }
        if (timedOut) {
            return TdrStatus.TIMEOUT;
        }
        return firstResponseMicros != NONE ? TdrStatus.TRYING : TdrStatus.INIT;
    }

    @Override
    long startMicros() {
        return requestMicros != NONE ? requestMicros : firstMicros;
    }

    @Override
    long endMicros() {
        if (finalMicros != NONE) {
            return finalMicros;
        }
        return timedOut ? lastMicros : -1;
    }

    @Override
    String endedBy() {
        if (finalCode >= 200) {
            return "response";
        }
        return timedOut ? "timeout" : evicted ? "evicted" : null;
    }

    long firstResponseMs() {
        return CallRecord.between(requestMicros, firstResponseMicros);
    }

    long finalResponseMs() {
        return CallRecord.between(requestMicros, finalMicros);
    }

    @Override
    long deadline(CorrelationConfig.Timers timers) {
        if (ended()) {
            return (endedClock < 0 ? touchedClock : endedClock) + timers.transactionLinger();
        }
        return touchedClock + timers.transaction();
    }
}
