package io.hepstack.collector.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Slows and then locks password guessing, per user name and per source address. After
 * {@code slowAfter} failures of a user name within the window each further attempt must wait twice
 * as long as the one before (1 s, 2 s, 4 s ... at most a minute); at {@code maxFailuresPerUser} the
 * name is locked for the lockout time, and at {@code maxFailuresPerAddress} (a spray over many
 * names) the address is. An attempt that comes too early is refused without checking the password (429), so
 * the guesser learns nothing and costs no bcrypt. The tables are bounded (attacker-chosen user
 * names and addresses), evicting the least recently used.
 */
public final class LoginLimiter {

    /** Failures of one key; guarded by its own monitor. */
    private static final class Failures {
        int count;
        long lastFailureMillis;
        long notBeforeMillis;
    }

    private final LoginLimits limits;
    private final Clock clock;
    private final Cache<String, Failures> byUser;
    private final Cache<String, Failures> byAddress;

    public LoginLimiter(LoginLimits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
        Duration keep = limits.window.toJavaDuration().plus(limits.lockout.toJavaDuration());
        byUser = Caffeine.newBuilder().maximumSize(limits.maxTracked).expireAfterAccess(keep).build();
        byAddress = Caffeine.newBuilder().maximumSize(limits.maxTracked).expireAfterAccess(keep).build();
    }

    /** How long this attempt must wait (empty: it may go ahead). */
    public Optional<Duration> retryAfter(String user, String address) {
        long now = clock.millis();
        long wait = Math.max(wait(byUser.getIfPresent(key(user)), now), wait(byAddress.getIfPresent(address), now));
        return wait > 0 ? Optional.of(Duration.ofMillis(wait)) : Optional.empty();
    }

    public void failure(String user, String address) {
        long now = clock.millis();
        fail(byUser.get(key(user), k -> new Failures()), now, limits.slowAfter, limits.maxFailuresPerUser);
        // an address is only locked, never slowed: many users may share it (NAT), and one typo each must not slow them all
        fail(byAddress.get(address, k -> new Failures()), now, Integer.MAX_VALUE, limits.maxFailuresPerAddress);
    }

    /** A good password clears the user's failures (not the address's: one success must not reset a spray). */
    public void success(String user) {
        byUser.invalidate(key(user));
    }

    private void fail(Failures f, long now, int slowAfter, int max) {
        synchronized (f) {
            if (now - f.lastFailureMillis > limits.window.toMilliseconds()) {
                f.count = 0;
            }
            f.count++;
            f.lastFailureMillis = now;
            if (f.count >= max) {
                f.notBeforeMillis = now + limits.lockout.toMilliseconds();
            } else if (f.count >= slowAfter) {
                long delay = Math.min(60_000L, 1000L << Math.min(6, f.count - slowAfter));
                f.notBeforeMillis = now + delay;
            }
        }
    }

    private static long wait(Failures f, long now) {
        if (f == null) {
            return 0;
        }
        synchronized (f) {
            return Math.max(0, f.notBeforeMillis - now);
        }
    }

    private static String key(String user) {
        return user == null ? "" : user.length() > 256 ? user.substring(0, 256) : user;
    }
}
