package io.hepstack.collector.correlate;

import io.hepstack.collector.protocol.sip.SipMessage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Links the legs of a B2BUA. A leg names another in two ways:
 * <ul>
 * <li>by reference: a configured header ({@code X-CID: <A's Call-ID>}) or the HEP correlation id
 *     of its INVITE carries the other leg's Call-ID. The named call is the A leg, the naming one the
 *     B leg. If the A leg is not known yet, the reference waits for it.</li>
 * <li>by a shared token ({@code P-Charging-Vector;icid-value}): both legs carry the same value;
 *     the earlier call is the A leg.</li>
 * <li>by the RFC 7989 {@code Session-ID} (when {@code linkSessionId} is on): a B2BUA passes the
 *     session's UUID through, so both legs' INVITEs carry the same one (the nil UUID, "not known
 *     yet", links nothing); the earlier call is the A leg.</li>
 * </ul>
 * Each link records the rule that made it (the header as configured, {@code hep-correlation-id}
 * or {@code Session-ID}); the TDR shows it in {@code tdr.links}.
 * Waiting references and tokens are bounded (oldest dropped) and removed when their call closes.
 */
final class LegLinks {

    /** A configured header: the value is a Call-ID, or (with a param) a shared token. */
    record Header(String name, String param) {
        static Header parse(String spec) {
            int semi = spec.indexOf(';');
            return semi < 0 ? new Header(spec.trim(), null)
                    : new Header(spec.substring(0, semi).trim(), spec.substring(semi + 1).trim().toLowerCase(Locale.ROOT));
        }
    }

    static final int MAX_LINKS = 16;

    static final String RULE_CORRELATION_ID = "hep-correlation-id";
    static final String RULE_SESSION_ID = "Session-ID";

    private final List<Header> headers;
    private final boolean sessionId;
    private final Map<String, String> waiting;
    private final Correlator.Lookup calls;
    private final com.codahale.metrics.Meter keysDropped;
    private long links;

    /** Waiting keys one call holds at most (link headers, Session-ID, correlation id). */
    static final int MAX_KEYS_PER_CALL = 8;

    LegLinks(List<String> headerSpecs, boolean sessionId, int max, com.codahale.metrics.Meter keysDropped,
             Correlator.Lookup calls) {
        this.sessionId = sessionId;
        this.keysDropped = keysDropped;
        List<Header> hs = new ArrayList<>(headerSpecs.size());
        for (String spec : headerSpecs) {
            hs.add(Header.parse(spec));
        }
        this.headers = List.copyOf(hs);
        this.calls = calls;
        this.waiting = new LinkedHashMap<>(256, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > max;
            }
        };
    }

    long links() {
        return links;
    }

    /** A new call: does a leg that arrived earlier reference it? */
    void created(CallRecord call) {
        String referrer = waiting.remove(refKey(call.callId));
        if (referrer != null) {
            int space = referrer.indexOf(' ');
            CallRecord b = calls.live(referrer.substring(0, space));
            if (b != null) {
                link(call, b, referrer.substring(space + 1));
            }
        }
    }

    /**
     * Reads the link headers of an initial INVITE of {@code call}, captured at {@code micros}, and its
     * HEP correlation id. The call may be closed already (its INVITE arrived after it closed): then it
     * links to the legs that are live or kept closed and leaves nothing waiting.
     */
    void invite(CallRecord call, SipMessage s, String correlationId, long micros) {
        for (Header h : headers) {
            String value = s.header(h.name());
            if (value == null || value.isEmpty()) {
                continue;
            }
            if (h.param() == null) {
                reference(call, unquote(value), h.name(), micros);
            } else {
                String token = param(value, h.param());
                if (token != null) {
                    shared(call, h.name().toLowerCase(Locale.ROOT) + ";" + token, h.name() + ";" + h.param());
                }
            }
        }
        if (sessionId) {
            String uuid = sessionUuid(s.header(RULE_SESSION_ID));
            if (uuid != null) {
                shared(call, "session-id;" + uuid, RULE_SESSION_ID);
            }
        }
        if (correlationId != null) {
            reference(call, correlationId, RULE_CORRELATION_ID, micros);
        }
    }

    private void reference(CallRecord b, String aCallId, String rule, long micros) {
        if (aCallId.isEmpty() || aCallId.equals(b.callId) || b.linked.contains(aCallId)) {
            return;
        }
        CallRecord a = calls.live(aCallId);
        if (a == null) {
            a = calls.kept(aCallId, micros); // closed before this INVITE arrived, live when it was captured
        }
        if (a != null) {
            link(a, b, rule);
        } else {
            await(b, refKey(aCallId), b.callId + " " + rule);
        }
    }

    /** Leaves waiting key {@code k} for a leg still to come; not for a closed call (its keys went with it). */
    private void await(CallRecord call, String k, String value) {
        if (!call.closed && admit(call, k)) {
            waiting.put(k, value);
        }
    }

    /**
     * Whether {@code call} may add waiting key {@code k}: a key it holds already (an INVITE
     * retransmission) is not added twice, an oversized one or one past its cap not at all.
     */
    private boolean admit(CallRecord call, String k) {
        if (call.linkKeys.contains(k)) {
            return true;
        }
        if (k.length() > Canonical.MAX_CHARS + 2 || call.linkKeys.size() >= MAX_KEYS_PER_CALL) {
            keysDropped.mark();
            return false;
        }
        call.linkKeys.add(k);
        return true;
    }

    private void shared(CallRecord call, String token, String rule) {
        String k = "t\u0000" + token;
        String other = waiting.get(k);
        if (other == null) {
            await(call, k, call.callId);
            return;
        }
        if (other.equals(call.callId)) {
            return;
        }
        CallRecord o = calls.live(other);
        if (o == null) {
            await(call, k, call.callId);
        } else if (o.startMicros() <= call.startMicros()) {
            link(o, call, rule);
        } else {
            link(call, o, rule);
        }
    }

    private void link(CallRecord a, CallRecord b, String rule) {
        if (a == b || a.linked.contains(b.callId)) {
            return;
        }
        if (a.linked.add(b.callId)) { // no-op when full
            rule(a, b.callId, rule);
        }
        if (b.linked.add(a.callId)) {
            rule(b, a.callId, rule);
        }
        if (a.leg == null) {
            a.leg = "a";
        }
        if (b.leg == null) {
            b.leg = "b";
        }
        links++;
        calls.changed(a);
        calls.changed(b);
    }

    private static void rule(CallRecord c, String other, String rule) {
        if (c.linkRules == null) {
            c.linkRules = new ArrayList<>(2);
        }
        c.linkRules.add(other + " " + rule);
    }

    /**
     * The session UUID of an RFC 7989 {@code Session-ID} value ({@code local-uuid[;remote=uuid]}):
     * 32 hex digits, lower-cased; null when absent, malformed or the nil UUID.
     */
    static String sessionUuid(String value) {
        if (value == null) {
            return null;
        }
        int semi = value.indexOf(';');
        String u = (semi < 0 ? value : value.substring(0, semi)).trim();
        if (u.length() != 32) {
            return null;
        }
        boolean nil = true;
        for (int i = 0; i < 32; i++) {
            char c = u.charAt(i);
            boolean hex = c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
            if (!hex) {
                return null;
            }
            nil &= c == '0';
        }
        return nil ? null : u.toLowerCase(Locale.ROOT);
    }

    void remove(CallRecord call) {
        for (String k : call.linkKeys) {
            String w = waiting.get(k);
            if (w != null && (w.equals(call.callId) || w.startsWith(call.callId + " "))) {
                waiting.remove(k);
            }
        }
        call.linkKeys.clear();
    }

    private static String refKey(String callId) {
        return "c\u0000" + callId;
    }

    private static String unquote(String v) {
        String t = v.trim();
        if (t.length() >= 2 && t.charAt(0) == '"' && t.charAt(t.length() - 1) == '"') {
            t = t.substring(1, t.length() - 1);
        }
        return t;
    }

    /** The value of {@code name=} among the {@code ;}-separated parameters of a header value. */
    static String param(String value, String name) {
        int from = 0;
        while (from < value.length()) {
            int semi = value.indexOf(';', from);
            String part = (semi < 0 ? value.substring(from) : value.substring(from, semi)).trim();
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).trim().equalsIgnoreCase(name)) {
                String v = unquote(part.substring(eq + 1));
                return v.isEmpty() ? null : v;
            }
            if (semi < 0) {
                break;
            }
            from = semi + 1;
        }
        return null;
    }
}
