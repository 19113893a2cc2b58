package io.hepstack.collector.correlate;

import io.hepstack.collector.protocol.sip.NameAddress;
import io.hepstack.collector.protocol.sip.SipMessage;
import io.hepstack.collector.protocol.sip.Via;

/**
 * The duplicate key of a SIP message: two messages with the same key are the same message
 * (a retransmission, or one message captured at two points). Key = 64-bit FNV-1a over
 * request: method + Request-URI / response: status code, then CSeq number and method, the
 * top Via branch, From tag, To tag and Call-ID. A proxy's forwarded copy has its own top Via
 * branch (a hop, not a duplicate); a response relayed back loses the proxy's Via, so it too
 * differs from the response the proxy received.
 */
final class MessageKey {

    private static final long OFFSET = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;

    private MessageKey() {
    }

    /** The key; never 0 (0 means "no key"). */
    static long of(SipMessage s) {
        long h = OFFSET;
        if (s.isRequest()) {
            h = mix(h, s.method());
            h = mix(h, s.requestUriRaw());
        } else {
            h = mix(h, s.statusCode());
        }
        h = mix(h, s.cseqNumber());
        h = mix(h, s.cseqMethod());
        Via top = s.via();
        h = mix(h, top == null ? null : top.branch());
        NameAddress from = s.from();
        h = mix(h, from == null ? null : from.tag());
        NameAddress to = s.to();
        h = mix(h, to == null ? null : to.tag());
        h = mix(h, s.callId());
        return h == 0 ? 1 : h;
    }

    private static long mix(long h, String v) {
        if (v != null) {
            for (int i = 0; i < v.length(); i++) {
                h = (h ^ v.charAt(i)) * PRIME;
            }
        }
        return (h ^ 0x1f) * PRIME; // field separator, so ("ab","c") and ("a","bc") differ
    }

    private static long mix(long h, long v) {
        for (int i = 0; i < 8; i++) {
            h = (h ^ (v & 0xff)) * PRIME;
            v >>>= 8;
        }
        return (h ^ 0x1f) * PRIME;
    }
}
