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
 * </ul>
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

    private final List<Header> headers;
    private final Map<String, String> waiting;
    private final Correlator.Lookup calls;
    private long links;

    LegLinks(List<String> headerSpecs, int max, Correlator.Lookup calls) {
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
            CallRecord b = calls.live(referrer);
            if (b != null) {
                link(call, b);
            }
        }
    }

    /** Reads the link headers of an initial INVITE of {@code call} and its HEP correlation id. */
    void invite(CallRecord call, SipMessage s, String correlationId) {
        for (Header h : headers) {
            String value = s.header(h.name());
            if (value == null || value.isEmpty()) {
                continue;
            }
            if (h.param() == null) {
                reference(call, unquote(value));
            } else {
                String token = param(value, h.param());
                if (token != null) {
                    shared(call, h.name().toLowerCase(Locale.ROOT) + ";" + token);
                }
            }
        }
        if (correlationId != null) {
            reference(call, correlationId);
        }
    }

    private void reference(CallRecord b, String aCallId) {
        if (aCallId.isEmpty() || aCallId.equals(b.callId) || b.linked.contains(aCallId)) {
            return;
        }
        CallRecord a = calls.live(aCallId);
        if (a != null) {
            link(a, b);
        } else {
            String k = refKey(aCallId);
            waiting.put(k, b.callId);
            b.linkKeys.add(k);
        }
    }

    private void shared(CallRecord call, String token) {
        String k = "t\u0000" + token;
        String other = waiting.get(k);
        if (other == null) {
            waiting.put(k, call.callId);
            call.linkKeys.add(k);
            return;
        }
        if (other.equals(call.callId)) {
            return;
        }
        CallRecord o = calls.live(other);
        if (o == null) {
            waiting.put(k, call.callId);
            call.linkKeys.add(k);
        } else if (o.startMicros() <= call.startMicros()) {
            link(o, call);
        } else {
            link(call, o);
        }
    }

    private void link(CallRecord a, CallRecord b) {
        if (a == b || a.linked.contains(b.callId)) {
            return;
        }
        a.linked.add(b.callId); // no-op when full
        b.linked.add(a.callId);
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

    void remove(CallRecord call) {
        for (String k : call.linkKeys) {
            if (call.callId.equals(waiting.get(k))) {
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
