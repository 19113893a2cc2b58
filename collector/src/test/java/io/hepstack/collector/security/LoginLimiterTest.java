package io.hepstack.collector.security;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LoginLimiterTest {

    /** A clock the test moves. */
    static final class Manual extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    @Test
    void failuresSlowDownThenLockAndTheLockEnds() {
        Manual clock = new Manual();
        LoginLimits limits = new LoginLimits(); // slow after 3, lock at 10 per user, 15 min
        LoginLimiter l = new LoginLimiter(limits, clock);
        for (int i = 0; i < 2; i++) {
            l.failure("bob", "10.0.0.1");
            assertThat(l.retryAfter("bob", "10.0.0.1")).isEmpty();
        }
        l.failure("bob", "10.0.0.1");
        assertThat(l.retryAfter("bob", "10.0.0.1")).contains(Duration.ofSeconds(1));
        assertThat(l.retryAfter("bob", "10.0.0.9")).as("the user is slowed from anywhere").isPresent();
        assertThat(l.retryAfter("carol", "10.0.0.2")).isEmpty();
        for (int i = 4; i <= 9; i++) {
            clock.advance(Duration.ofSeconds(61));
            l.failure("bob", "10.0.0.1");
        }
        assertThat(l.retryAfter("bob", "10.0.0.1")).contains(Duration.ofSeconds(60)); // doubling, capped at a minute
        clock.advance(Duration.ofSeconds(65));
        l.failure("bob", "10.0.0.1"); // the 10th within 15 minutes
        assertThat(l.retryAfter("bob", "10.0.0.1")).contains(Duration.ofMinutes(15));
        clock.advance(Duration.ofMinutes(15).plusSeconds(1));
        assertThat(l.retryAfter("bob", "10.0.0.1")).isEmpty();
    }

    @Test
    void aSprayOverManyUsersLocksTheAddress() {
        LoginLimiter l = new LoginLimiter(new LoginLimits(), new Manual());
        for (int i = 0; i < 30; i++) {
            l.failure("user" + i, "192.0.2.7");
        }
        assertThat(l.retryAfter("someone-new", "192.0.2.7")).contains(Duration.ofMinutes(15));
        assertThat(l.retryAfter("someone-new", "192.0.2.8")).isEmpty();
        l.success("user1");
        assertThat(l.retryAfter("someone-new", "192.0.2.7")).as("a success does not reset the address").isPresent();
    }

    @Test
    void aLockedUserIsRefusedWithoutCheckingThePassword() {
        Passwords passwords = new Passwords(4);
        UserDirectory users = new UserDirectory(Map.of("bob", new UserDirectory.Account("bob", passwords.hash("right"), Role.VIEWER, null)), Map.of());
        Manual clock = new Manual();
        Authenticator a = new Authenticator(() -> users, null, passwords, new LoginLimiter(new LoginLimits(), clock), clock);
        assertThat(a.login("bob", "right", "10.0.0.1")).isInstanceOf(Authenticator.Success.class);
        for (int i = 0; i < 3; i++) {
            assertThat(a.login("bob", "wrong", "10.0.0.1")).isInstanceOf(Authenticator.Failure.class);
        }
        assertThat(a.login("bob", "right", "10.0.0.1")).as("too early, even with the right password").isInstanceOf(Authenticator.Limited.class);
        clock.advance(Duration.ofSeconds(2));
        assertThat(a.login("bob", "right", "10.0.0.1")).isInstanceOf(Authenticator.Success.class);
        assertThat(a.login("nobody", "x", "10.0.0.1")).isInstanceOf(Authenticator.Failure.class);
    }
}
