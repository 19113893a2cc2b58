package io.hepstack.collector.parse;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.payload.DnsProtocol;
import io.hepstack.collector.payload.JsonProtocol;
import io.hepstack.collector.payload.LogProtocol;
import io.hepstack.collector.payload.QosReportProtocol;
import io.hepstack.collector.payload.RawProtocol;
import io.hepstack.collector.payload.RtcpProtocol;
import io.hepstack.collector.payload.SipProtocol;
import io.hepstack.collector.payload.VqRtcpXrProtocol;
import io.hepstack.collector.pipeline.PayloadProtocol;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The protocol registry: which {@link PayloadProtocol} takes a HEP packet. Protocols naming the
 * packet's HEP type are asked first, in registration order, then the fallbacks (those naming no
 * type); the first that accepts it wins. The lookup is an array indexed by type, so SIP costs one
 * array read and one {@code accepts} call per protocol registered for type 1.
 *
 * <p>Adding a protocol: one class in {@code payload/}, its template in
 * {@code index-templates/component/hep-FAMILY.json}, and one line in {@link #standard} (see
 * docs/adding-a-protocol.md).
 */
public final class Protocols {

    private static final int MAX_TYPE = 256;

    private final List<PayloadProtocol<?>> all;
    private final PayloadProtocol<?>[][] byType = new PayloadProtocol<?>[MAX_TYPE][];
    private final PayloadProtocol<?>[] fallbacks;

    public Protocols(List<PayloadProtocol<?>> protocols) {
        this.all = List.copyOf(protocols);
        List<PayloadProtocol<?>> fallback = new ArrayList<>();
        @SuppressWarnings("unchecked")
        List<PayloadProtocol<?>>[] lists = new List[MAX_TYPE];
        for (PayloadProtocol<?> p : all) {
            if (!p.dataset().matches("[a-z0-9_]+") || !p.family().matches("[a-z0-9_]+")) {
                throw new IllegalArgumentException(p.getClass().getSimpleName() + ": dataset and family must be [a-z0-9_]+");
            }
            if (p.protoTypes().length == 0) {
                fallback.add(p);
            }
            for (int t : p.protoTypes()) {
                if (t < 0 || t >= MAX_TYPE) {
                    throw new IllegalArgumentException(p.getClass().getSimpleName() + ": HEP type out of range: " + t);
                }
                if (lists[t] == null) {
                    lists[t] = new ArrayList<>(2);
                }
                lists[t].add(p);
            }
        }
        if (fallback.isEmpty() || fallback.get(fallback.size() - 1).getClass() != RawProtocol.class) {
            fallback.add(new RawProtocol()); // something always takes a packet
        }
        this.fallbacks = fallback.toArray(new PayloadProtocol<?>[0]);
        for (int t = 0; t < MAX_TYPE; t++) {
            if (lists[t] != null) {
                List<PayloadProtocol<?>> l = lists[t];
                l.addAll(fallback);
                byType[t] = l.toArray(new PayloadProtocol<?>[0]);
            }
        }
    }

    /**
     * Every protocol hepstack knows, in the order they are asked. The registration lines: a body
     * type of SIP (vq-rtcpxr) must come before SIP.
     */
    public static Protocols standard(ObjectMapper mapper, boolean keepRawSip) {
        return standard(mapper, keepRawSip, true);
    }

    /** @param redactCredentials mask SIP Authorization / Proxy-Authorization credentials (pipeline.redactCredentials) */
    public static Protocols standard(ObjectMapper mapper, boolean keepRawSip, boolean redactCredentials) {
        return new Protocols(List.of(
                new VqRtcpXrProtocol(),
                new SipProtocol(keepRawSip, redactCredentials),
                new RtcpProtocol(mapper),
                new QosReportProtocol(mapper),
                new DnsProtocol(),
                new LogProtocol(mapper),
                new JsonProtocol(mapper),
                new RawProtocol()));
    }

    /** The protocol that takes this packet (never null: the raw fallback takes anything). */
    public PayloadProtocol<?> of(HepPacket p) {
        int t = p.protoType;
        PayloadProtocol<?>[] candidates = t >= 0 && t < MAX_TYPE && byType[t] != null ? byType[t] : fallbacks;
        for (PayloadProtocol<?> c : candidates) {
            if (c.accepts(p)) {
                return c;
            }
        }
        return fallbacks[fallbacks.length - 1];
    }

    /** The protocol that takes what nothing else does. */
    public PayloadProtocol<?> lastResort() {
        return fallbacks[fallbacks.length - 1];
    }

    public List<PayloadProtocol<?>> all() {
        return all;
    }

    /** The index families of all protocols, each once, in registration order. */
    public Set<String> families() {
        Set<String> out = new LinkedHashSet<>();
        for (PayloadProtocol<?> p : all) {
            out.add(p.family());
        }
        out.add("log"); // the raw fallback's
        return out;
    }
}
