package io.hepstack.collector.correlate;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Finds the call and side of a media address or an RTP stream: the SDP addresses of live calls
 * ({@code ip:port} for RTP and RTCP) and the SSRCs learned from their reports. Entries belong to
 * a call and go when it closes; the SSRC map is also bounded (oldest first).
 */
final class MediaIndex {

    /** Whose media address or stream it is. */
    record Ref(CallRecord call, Side side) {
    }

    private final Map<String, Ref> addresses = new HashMap<>();
    private final Map<Long, Ref> ssrcs;
    private final com.codahale.metrics.Meter keysDropped;

    /** At most this many media addresses and SSRCs a call: its keys are removed with it, so the index is bounded by the live calls. */
    static final int MAX_KEYS_PER_CALL = 64;

    MediaIndex(int maxSsrcs, com.codahale.metrics.Meter keysDropped) {
        this.keysDropped = keysDropped;
        this.ssrcs = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Ref> eldest) {
                return size() > maxSsrcs;
            }
        };
    }

    static String key(String ip, int port) {
        return ip + ":" + port;
    }

    /** Registers the RTP and RTCP address of a side's SDP. */
    void register(CallRecord call, Side side, MediaDescription md) {
        if (md == null || md.port() <= 0) {
            return;
        }
        put(call, side, key(md.ip(), md.port()));
        if (md.rtcpPort() > 0 && md.rtcpPort() != md.port()) {
            put(call, side, key(md.ip(), md.rtcpPort()));
        }
    }

    private void put(CallRecord call, Side side, String key) {
        Ref old = addresses.get(key);
        if (old != null && old.call() == call && old.side() == side) {
            return;
        }
        if (call.mediaKeys.size() >= MAX_KEYS_PER_CALL) {
            keysDropped.mark(); // never indexed without being tracked: it would outlive the call
            return;
        }
        addresses.put(key, new Ref(call, side)); // a newer call reusing a port takes it over
        call.mediaKeys.add(key);
    }

    /** The call side of an {@link #key} (a call closing hands its keys on to {@link ClosedCalls}). */
    Ref addressKey(String key) {
        return addresses.get(key);
    }

    Ref address(String ip, int port) {
        return ip == null || port <= 0 ? null : addresses.get(key(ip, port));
    }

    /** Remembers that stream {@code ssrc} is sent by {@code side} of {@code call}. */
    void learn(long ssrc, CallRecord call, Side side) {
        if (ssrc < 0) {
            return;
        }
        Ref old = ssrcs.get(ssrc);
        if (old != null && old.call() == call && old.side() == side) {
            return;
        }
        if (call.ssrcs.size() >= MAX_KEYS_PER_CALL) {
            keysDropped.mark();
            return;
        }
        ssrcs.put(ssrc, new Ref(call, side));
        call.ssrcs.add(ssrc);
    }

    /** The call and sending side of a stream. */
    Ref ssrc(long ssrc) {
        return ssrc < 0 ? null : ssrcs.get(ssrc);
    }

    void remove(CallRecord call) {
        for (String k : call.mediaKeys) {
            Ref r = addresses.get(k);
            if (r != null && r.call() == call) {
                addresses.remove(k);
            }
        }
        for (Long s : call.ssrcs) {
            Ref r = ssrcs.get(s);
            if (r != null && r.call() == call) {
                ssrcs.remove(s);
            }
        }
        call.mediaKeys.clear();
        call.ssrcs.clear();
    }

    int addresses() {
        return addresses.size();
    }
}
