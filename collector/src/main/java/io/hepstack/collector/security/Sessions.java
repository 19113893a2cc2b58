package io.hepstack.collector.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Browser sessions, in memory: a random 256-bit id (the {@code hepstack_session} cookie) → user,
 * CSRF token and start time. A session ends at logout, after {@code idle} without a request, after
 * {@code maxAge} in any case, and when its local account disappears from the users file. At most
 * {@code max} sessions live; beyond, the least recently used is dropped. A restart logs everyone out.
 */
public final class Sessions {

    /** One browser session. {@code local}: the user comes from the users file (re-read on every request). */
    public record Session(String id, User user, boolean local, String csrf, Instant created) {
        @Override
        public String toString() {
            return "Session[" + user.name() + ", since " + created + "]"; // never the id or the CSRF token
        }
    }

    private final Cache<String, Session> sessions;
    private final Duration maxAge;
    private final Clock clock;

    public Sessions(Duration idle, Duration maxAge, int max, Clock clock) {
        this.sessions = Caffeine.newBuilder().maximumSize(max).expireAfterAccess(idle).build();
        this.maxAge = maxAge;
        this.clock = clock;
    }

    public Session create(User user, boolean local) {
        Session s = new Session(Passwords.randomSecret(32), user, local, Passwords.randomSecret(32), clock.instant());
        sessions.put(s.id(), s);
        return s;
    }

    /** The live session with this id; an expired one is removed. */
    public Optional<Session> find(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        Session s = sessions.getIfPresent(id);
        if (s == null) {
            return Optional.empty();
        }
        if (s.created().plus(maxAge).isBefore(clock.instant())) {
            sessions.invalidate(id);
            return Optional.empty();
        }
        return Optional.of(s);
    }

    public void end(String id) {
        if (id != null) {
            sessions.invalidate(id);
        }
    }

    public long size() {
        return sessions.estimatedSize();
    }
}
