package io.hepstack.collector.correlate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Calls closed a short while ago, kept so that what arrives after the call's final TDR was written
 * still joins it: when arrival order is far from capture order (several capture agents, a
 * reconnecting TCP agent, a backlog), a call's BYE can be processed and its linger end before its
 * last RTCP reports, its ACK, the 200 to its BYE or even the 200 to its INVITE arrive. A media
 * report or log finds the call here by the Call-ID or correlation id it names, or by the media
 * address or SSRC the call's SDP and reports announced; a SIP message by its Call-ID
 * ({@link #sipCall}). The call's TDR is written again (same id, higher version) with the message
 * folded in (docs/tdr.md, "Arrival order").
 *
 * <p>Bounded in time and memory: a call stays {@code lateMediaGrace} on the capture clock after it
 * closed, and a report joins only when its capture time lies between the call's start and its end
 * plus that grace (a port reused by a later call does not pull that call's reports into this one);
 * SIP only when it was captured before the call would have closed in capture order (see
 * {@link #sipCall}). At most {@code lateMediaCalls} calls are kept (oldest dropped first), each with
 * at most {@link MediaIndex#MAX_KEYS_PER_CALL} addresses and SSRCs, so the structure holds at most
 * {@code lateMediaCalls} × {@link CorrelationConfig#WORST_CALL_BYTES} bytes of records; at most
 * {@link #MAX_LATE_SIP} late SIP messages join one kept call, so a flood of SIP for closed calls
 * costs a bounded number of folds and rewrites per call.
 *
 * <p>Not thread-safe: the correlator's worker owns it.
 */
final class ClosedCalls {

    /** Late SIP messages one kept call takes at most; later ones are counted late. */
    static final int MAX_LATE_SIP = 256;

    /** One kept call: when it closed (capture clock), its keys in the maps below, the late SIP it took. */
    private static final class Kept {
        final CallRecord call;
        final long closedClock;
        final List<String> addresses;
        final List<Long> ssrcs;
        int lateSip;

        Kept(CallRecord call, long closedClock, List<String> addresses, List<Long> ssrcs) {
            this.call = call;
            this.closedClock = closedClock;
            this.addresses = addresses;
            this.ssrcs = ssrcs;
        }
    }

    private final long grace;
    private final int max;
    private final long linger;
    private final long setup;
    private final long answered;
    private final long heldBack;
    private final LongSupplier clock;

    /** Call-ID → kept call, oldest closed first. */
    private final LinkedHashMap<String, Kept> calls = new LinkedHashMap<>();
    private final Map<String, MediaIndex.Ref> addresses = new HashMap<>();
    private final Map<Long, MediaIndex.Ref> ssrcs = new HashMap<>();

    /**
     * @param graceMicros   {@code lateMediaGrace}: how long a closed call is kept (capture clock)
     * @param maxCalls      {@code lateMediaCalls}: how many at most
     * @param timers        {@code endedLinger} and the call timeouts bound the SIP that joins ({@link #sipCall})
     * @param windowMicros  {@code reorder.window}: what the reorder stage still held when a call closed
     */
    ClosedCalls(long graceMicros, int maxCalls, CorrelationConfig.Timers timers, long windowMicros, LongSupplier clock) {
        if (graceMicros < 0 || maxCalls < 0) {
            throw new IllegalArgumentException("grace " + graceMicros + " µs and max " + maxCalls + " must be >= 0");
        }
        this.grace = graceMicros;
        this.max = maxCalls;
        this.linger = timers.endedLinger();
        this.setup = timers.setup();
        this.answered = timers.answered();
        this.heldBack = windowMicros;
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

    /**
     * The kept call with this Call-ID, if a SIP message (or a leg's INVITE naming it) captured at
     * {@code micros} would have found it live had everything arrived in capture order: captured
     * <ul>
     * <li>no later than {@code endedLinger} after the call's end (its last message while not
     *     ended): later, the call would have been closed already. A call that a timer ended (no
     *     BYE, final response or CANCEL: when a backlog jumps the capture clock, a call can time out
     *     before its messages arrive) was live until its timeout after its last message;</li>
     * <li>no later than the capture clock at which it closed, less the reorder window: in capture
     *     order everything captured before that had reached the correlator by then, so in-order
     *     traffic never joins a closed call;</li>
     * <li>not before its start, less {@code setupTimeout} for a first generation (a call begun by a
     *     response gets its INVITE and early responses afterwards); a later generation (its Call-ID
     *     reused) only from its start: what came before is its predecessor's.</li>
     * </ul>
     */
    CallRecord sipCall(String callId, long micros) {
        Kept k = callId == null ? null : calls.get(callId);
        if (k == null) {
            return null;
        }
        CallRecord c = k.call;
        long end = c.endedByTimer() ? c.lastMicros + (c.answered() ? answered : setup)
                : c.endMicros() >= 0 ? c.endMicros() : c.lastMicros;
        long from = c.startMicros() - (c.generation <= 1 ? setup : 0);
        boolean fits = micros >= from && micros - end <= linger && micros <= k.closedClock - heldBack;
        return fits ? c : null;
    }

    /** Whether a kept call takes one more late SIP message (at most {@link #MAX_LATE_SIP}); counts it. */
    boolean admitSip(CallRecord call) {
        Kept k = calls.get(call.callId);
        if (k == null || k.call != call || k.lateSip >= MAX_LATE_SIP) {
            return false;
        }
        k.lateSip++;
        return true;
    }

    /**
     * The media addresses of an SDP that reached a kept call late (in its 200, say): kept with the
     * call, so reports that come after find it (at most {@link MediaIndex#MAX_KEYS_PER_CALL} a
     * call; an address another kept call holds stays its).
     */
    void register(CallRecord call, Side side, MediaDescription md) {
        Kept k = calls.get(call.callId);
        if (md == null || md.port() <= 0 || k == null || k.call != call) {
            return;
        }
        register(k, side, MediaIndex.key(md.ip(), md.port()));
        if (md.rtcpPort() > 0 && md.rtcpPort() != md.port()) {
            register(k, side, MediaIndex.key(md.ip(), md.rtcpPort()));
        }
    }

    private void register(Kept k, Side side, String key) {
        if (addresses.containsKey(key) || k.addresses.size() >= MediaIndex.MAX_KEYS_PER_CALL) {
            return;
        }
        addresses.put(key, new MediaIndex.Ref(k.call, side));
        k.addresses.add(key);
    }

    /** The media addresses ({@link MediaIndex#key}s) kept with a call; empty when it is not kept. */
    List<String> addresses(CallRecord call) {
        Kept k = calls.get(call.callId);
        return k == null || k.call != call ? List.of() : k.addresses;
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
