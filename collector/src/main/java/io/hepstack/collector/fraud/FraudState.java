package io.hepstack.collector.fraud;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;

/**
 * What the engine remembers between events: users and source IPs (least recently active first,
 * bounded, dropped when idle), the live calls with their deadlines, and the users with rated calls
 * up (for the running-cost estimate). Shared by the engine and its checks; guarded by the engine's
 * state lock.
 */
final class FraudState {

    final LinkedHashMap<String, UserState> users = new LinkedHashMap<>(1024, 0.75f, true);
    final LinkedHashMap<String, SourceState> sources = new LinkedHashMap<>(1024, 0.75f, true);
    final HashMap<String, LiveCall> calls = new HashMap<>();
    final CallHeap deadlines = new CallHeap();
    final LinkedHashSet<UserState> ratedUsers = new LinkedHashSet<>();

    long expiredUsers;
    long evictedUsers;
    long expiredSources;
    long evictedSources;
    long expiredCalls;
    long costSkipped;

    /** The user's state, created (evicting the least recently active user when full) and touched at {@code t}. */
    UserState user(String key, long t, int maxUsers) {
        UserState u = users.get(key);
        if (u == null) {
            if (users.size() >= maxUsers) {
                Iterator<UserState> it = users.values().iterator();
                UserState eldest = it.next();
                it.remove();
                ratedUsers.remove(eldest);
                evictedUsers++;
            }
            u = new UserState(key);
            users.put(key, u);
        }
        u.lastActivityMicros = Math.max(u.lastActivityMicros, t);
        return u;
    }

    /** The source's state, created (evicting the least recently active source when full) and touched at {@code t}. */
    SourceState source(String ip, long t, int maxSources) {
        SourceState s = sources.get(ip);
        if (s == null) {
            if (sources.size() >= maxSources) {
                Iterator<SourceState> it = sources.values().iterator();
                it.next();
                it.remove();
                evictedSources++;
            }
            s = new SourceState(ip);
            sources.put(ip, s);
        }
        s.lastActivityMicros = Math.max(s.lastActivityMicros, t);
        return s;
    }

    /** Counts an answered call with a price in its user's running-cost estimate. */
    void rate(LiveCall c) {
        UserState u = c.user;
        u.rateSum += c.ratePerMinute;
        u.rateStartSum += c.ratePerMinute * (c.answeredMicros / (double) CheckSupport.MICROS);
        u.ratedCalls++;
        c.rated = true;
        ratedUsers.add(u);
    }

    /** Removes a live call that ended; null when the call is not live (never started, or expired). */
    LiveCall end(String callId) {
        LiveCall c = calls.remove(callId);
        if (c != null) {
            deadlines.remove(c);
            release(c);
        }
        return c;
    }

    /** Removes a live call that timed out. */
    void expire(LiveCall c) {
        calls.remove(c.callId);
        deadlines.remove(c);
        release(c);
        expiredCalls++;
    }

    /** A call leaves the live set: one concurrent call less (OpenSIPS: on end, failure or expiry). */
    private void release(LiveCall c) {
        if (c.counters != null && c.counters.concurrentCalls > 0) {
            c.counters.concurrentCalls--;
        }
        UserState u = c.user;
        if (u != null) {
            u.liveCalls--;
            if (c.rated) {
                c.rated = false;
                u.ratedCalls--;
                if (u.ratedCalls <= 0) {
                    u.ratedCalls = 0;
                    u.rateSum = 0; // no floating-point residue
                    u.rateStartSum = 0;
                    ratedUsers.remove(u);
                } else {
                    u.rateSum -= c.ratePerMinute;
                    u.rateStartSum -= c.ratePerMinute * (c.answeredMicros / (double) CheckSupport.MICROS);
                }
            }
        }
    }

    /** Drops idle users, oldest activity first; users with a live call stay (moved to the back). */
    void expireUsers(long now, long idleMicros) {
        for (int budget = users.size(); budget > 0 && !users.isEmpty(); budget--) {
            Map.Entry<String, UserState> eldest = users.entrySet().iterator().next();
            UserState u = eldest.getValue();
            if (now - u.lastActivityMicros < idleMicros) {
                break;
            }
            if (u.liveCalls > 0) {
                users.get(u.key); // touch: to the back of the access order
                continue;
            }
            users.remove(u.key);
            expiredUsers++;
        }
    }

    /** Drops idle sources, oldest activity first. */
    void expireSources(long now, long idleMicros) {
        while (!sources.isEmpty()) {
            SourceState s = sources.values().iterator().next();
            if (now - s.lastActivityMicros < idleMicros) {
                break;
            }
            sources.remove(s.ip);
            expiredSources++;
        }
    }
}
