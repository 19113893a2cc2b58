package io.hepstack.collector.correlate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Calls closed a short while ago, kept so that media reports (RTCP, agent QoS reports) and logs that
 * arrive after the call's final TDR was written still join it: when arrival order is far from
 * capture order (several capture agents, a reconnecting TCP agent, a backlog), a call's BYE can be
 * processed and its linger end before its last RTCP reports arrive. Such a report finds the call
 * here by the Call-ID or correlation id it names, or by the media address or SSRC the call's SDP and
 * reports announced, and the call's TDR is written again (same id, higher version) with the report
 * folded in (docs/tdr.md, "Arrival order").
 *
 * <p>Bounded in time and memory: a call stays {@code lateMediaGrace} on the capture clock after it
 * closed, and a report joins only when its capture time lies between the call's start and its end
 * plus that grace (a port reused by a later call does not pull that call's reports into this one);
 * at most {@code lateMediaCalls} calls are kept (oldest dropped first), each with at most
 * {@link MediaIndex#MAX_KEYS_PER_CALL} addresses and SSRCs, so the structure holds at most
 * {@code lateMediaCalls} × {@link CorrelationConfig#WORST_CALL_BYTES} bytes of records.
 *
 * <p>Not thread-safe: the correlator's worker owns it.
 */
final class ClosedCalls {

    /** One kept call: when it closed (capture clock), and its keys in the maps below. */
    private record Kept(CallRecord call, long closedClock, List<String> addresses, List<Long> ssrcs) {
    }

    private final long grace;
    private final int max;
    private final LongSupplier clock;

    /** Call-ID → kept call, oldest closed first. */
    private final LinkedHashMap<String, Kept> calls = new LinkedHashMap<>();
    private final Map<String, MediaIndex.Ref> addresses = new HashMap<>();
    private final Map<Long, MediaIndex.Ref> ssrcs = new HashMap<>();

    ClosedCalls(long graceMicros, int maxCalls, LongSupplier clock) {
        if (graceMicros < 0 || maxCalls < 0) {
            throw new IllegalArgumentException("grace " + graceMicros + " µs and max " + maxCalls + " must be >= 0");
        }
        this.grace = graceMicros;
        this.max = maxCalls;
        this.clock = clock;
    }

    /**
     * A call closes: it is kept with the addresses and streams the live {@code media} index knows
     * for it (call before they leave it). Every call is kept, not only those seen answered: far
     * out of order, a call can end by its BYE before its 200 and SDP arrive.
     */
    void keep(CallRecord call, MediaIndex media) {
        if (max == 0 || grace == 0) {
            return;
        }
        drop(calls.remove(call.callId));
        Kept k = new Kept(call, clock.getAsLong(), new ArrayList<>(call.mediaKeys.size()),
                new ArrayList<>(call.ssrcs.size()));
        calls.put(call.callId, k);
        for (String key : call.mediaKeys) {
            MediaIndex.Ref r = media.addressKey(key);
            if (r != null && r.call() == call) {
                addresses.put(key, r);
                k.addresses.add(key);
            }
        }
        for (Long s : call.ssrcs) {
            MediaIndex.Ref r = media.ssrc(s);
            if (r != null && r.call() == call) {
                learnSsrc(s, call, r.side());
            }
        }
        while (calls.size() > max) {
            Iterator<Kept> it = calls.values().iterator();
            Kept eldest = it.next();
            it.remove();
            drop(eldest);
        }
    }

    /** Remembers the side of a stream a kept call's late report named (at most {@link MediaIndex#MAX_KEYS_PER_CALL} a call). */
    void learnSsrc(long ssrc, CallRecord call, Side side) {
        Kept k = calls.get(call.callId);
        if (ssrc < 0 || k == null || k.call != call || ssrcs.containsKey(ssrc)
                || k.ssrcs.size() >= MediaIndex.MAX_KEYS_PER_CALL) {
            return;
        }
        ssrcs.put(ssrc, new MediaIndex.Ref(call, side));
        k.ssrcs.add(ssrc);
    }

    /** The kept call with this Call-ID, if a report captured at {@code micros} can belong to it. */
    CallRecord call(String callId, long micros) {
        Kept k = callId == null ? null : calls.get(callId);
        return k != null && within(k.call, micros) ? k.call : null;
    }

    /** A kept call's address, if a report captured at {@code micros} can belong to it. */
    MediaIndex.Ref address(String ip, int port, long micros) {
        return ip == null || port <= 0 ? null : fits(addresses.get(MediaIndex.key(ip, port)), micros);
    }

    /** A kept call's stream, if a report captured at {@code micros} can belong to it. */
    MediaIndex.Ref ssrc(long ssrc, long micros) {
        return ssrc < 0 ? null : fits(ssrcs.get(ssrc), micros);
    }

    /** Forgets the calls that closed more than the grace ago (a tick). */
    void expire() {
        long limit = clock.getAsLong() - grace;
        Iterator<Kept> it = calls.values().iterator();
        while (it.hasNext()) {
            Kept k = it.next();
            if (k.closedClock > limit) {
                break; // closed in clock order: the rest are younger
            }
            it.remove();
            drop(k);
        }
    }

    int size() {
        return calls.size();
    }

    private MediaIndex.Ref fits(MediaIndex.Ref ref, long micros) {
        return ref != null && within(ref.call(), micros) ? ref : null;
    }

    /** A report captured between the call's start and its end plus the grace. */
    private boolean within(CallRecord call, long micros) {
        long start = call.startMicros();
        long end = call.endMicros() >= 0 ? call.endMicros() : call.lastMicros;
        return micros >= start && micros - end <= grace;
    }

    private void drop(Kept k) {
        if (k == null) {
            return;
        }
        for (String a : k.addresses) {
            MediaIndex.Ref r = addresses.get(a);
            if (r != null && r.call() == k.call) {
                addresses.remove(a); // a later closed call may have taken the address over
            }
        }
        for (Long s : k.ssrcs) {
            ssrcs.remove(s); // only ever taken when free: the call's own
        }
    }
}
