package io.hepstack.enricher.dnsbl;

import io.hepstack.enricher.net.IpAddress;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DnsblTest {

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private static final IpAddress LISTED = IpAddress.parse("175.16.199.10");
    private static final IpAddress CLEAN = IpAddress.parse("81.2.69.142");

    @Test
    void firstCallIsUnknownThenTheAnswerIsCachedForItsTtl() {
        MutableClock clock = new MutableClock();
        AtomicInteger queries = new AtomicInteger();
        DnsResolver fake = name -> {
            queries.incrementAndGet();
            if (name.equals("10.199.16.175.bl.example") || name.equals("10.199.16.175.sip.example")) {
                return List.of("127.0.0.2");
            }
            return List.of();
        };
        try (Dnsbl d = new Dnsbl(List.of("bl.example", "sip.example", "other.example"), fake, Duration.ofHours(1),
                Duration.ofMinutes(5), 2, 10, 100, clock)) {
            assertThat(d.check(LISTED)).isSameAs(DnsblResult.UNKNOWN);
            assertThat(d.check(CLEAN).status()).isEqualTo(DnsblResult.Status.UNKNOWN);
            await().atMost(Duration.ofSeconds(5)).until(() -> d.check(LISTED).status() != DnsblResult.Status.UNKNOWN
                    && d.check(CLEAN).status() != DnsblResult.Status.UNKNOWN);
            DnsblResult r = d.check(LISTED);
            assertThat(r.listed()).isTrue();
            assertThat(r.zones()).containsExactly("bl.example", "sip.example");
            assertThat(r.answers()).containsExactly("127.0.0.2", "127.0.0.2");
            assertThat(d.check(CLEAN)).isSameAs(DnsblResult.NOT_LISTED);
            assertThat(queries.get()).isEqualTo(6);
            assertThat(d.lookups()).isEqualTo(2);

            clock.advance(Duration.ofMinutes(59));
            d.check(LISTED);
            assertThat(d.lookups()).as("still fresh").isEqualTo(2);
            clock.advance(Duration.ofMinutes(2));
            assertThat(d.check(LISTED).listed()).as("stale answer served while it is refreshed").isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> d.lookups() == 3);
        }
    }

    @Test
    void failuresStayUnknownAndAreRetriedAfterTheErrorTtl() {
        MutableClock clock = new MutableClock();
        AtomicInteger calls = new AtomicInteger();
        DnsResolver failing = name -> {
            calls.incrementAndGet();
            throw new java.net.SocketTimeoutException("timed out");
        };
        try (Dnsbl d = new Dnsbl(List.of("bl.example"), failing, Duration.ofHours(1), Duration.ofMinutes(5), 1, 10, 100,
                clock)) {
            d.check(LISTED);
            await().atMost(Duration.ofSeconds(5)).until(() -> d.failures() == 1);
            for (int i = 0; i < 10; i++) {
                assertThat(d.check(LISTED)).isSameAs(DnsblResult.UNKNOWN);
            }
            assertThat(calls.get()).as("no retry within errorTtl").isEqualTo(1);
            clock.advance(Duration.ofMinutes(6));
            d.check(LISTED);
            await().atMost(Duration.ofSeconds(5)).until(() -> d.failures() == 2);
        }
    }

    @Test
    void aSlowServerNeverBlocksTheCallerAndConcurrencyIsBounded() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        DnsResolver slow = name -> {
            int now = running.incrementAndGet();
            maxRunning.accumulateAndGet(now, Math::max);
            try {
                release.await(10, TimeUnit.SECONDS);
            } finally {
                running.decrementAndGet();
            }
            return List.of();
        };
        try (Dnsbl d = new Dnsbl(List.of("bl.example"), slow, Duration.ofHours(1), Duration.ofMinutes(5), 2, 2, 100,
                Clock.systemUTC())) {
            long start = System.nanoTime();
            for (int i = 1; i <= 20; i++) {
                assertThat(d.check(IpAddress.parse("81.2.69." + i))).isSameAs(DnsblResult.UNKNOWN);
            }
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(tookMs).as("20 checks while the server hangs").isLessThan(1000);
            await().atMost(Duration.ofSeconds(5)).until(() -> running.get() == 2);
            assertThat(d.dropped()).as("2 running + 2 queued, the rest dropped").isEqualTo(16);
            release.countDown();
            await().atMost(Duration.ofSeconds(5)).until(() -> d.lookups() == 4 && running.get() == 0);
            assertThat(maxRunning.get()).isEqualTo(2);
            assertThat(d.check(IpAddress.parse("81.2.69.1"))).isSameAs(DnsblResult.NOT_LISTED);
            assertThat(d.check(IpAddress.parse("81.2.69.20"))).as("dropped earlier, scheduled now").isSameAs(DnsblResult.UNKNOWN);
        }
    }

    @Test
    void enricherChecksPublicAddressesOnly() throws Exception {
        io.hepstack.enricher.EnricherConfig c = io.hepstack.enricher.Samples.empty();
        c.dnsbl.enabled = true;
        c.dnsbl.zones = List.of("bl.example");
        DnsResolver fake = name -> name.startsWith("10.199.16.175.") ? List.of("127.0.0.4") : List.of();
        try (io.hepstack.enricher.Enricher e = io.hepstack.enricher.Enricher.build(c, fake, Clock.systemUTC())) {
            assertThat(e.dnsbl(IpAddress.parse("10.0.0.1"))).isNull();
            assertThat(e.dnsbl(IpAddress.parse("192.0.2.10"))).isNull();
            assertThat(e.dnsbl(LISTED)).isSameAs(DnsblResult.UNKNOWN);
            await().atMost(Duration.ofSeconds(5)).until(() -> e.dnsbl(LISTED).listed());
            assertThat(e.dnsbl(LISTED).answers()).containsExactly("127.0.0.4");
            assertThat(e.dnsblChecker().lookups()).isEqualTo(1);
        }
    }

    @Test
    void reversedNamesFollowRfc5782() {
        assertThat(Dnsbl.reverse(IpAddress.parse("192.0.2.99"))).isEqualTo("99.2.0.192");
        assertThat(Dnsbl.reverse(IpAddress.parse("2001:db8:1:2:3:4:567:89ab")))
                .isEqualTo("b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2");
    }

    @Test
    void jndiResolverAsksTheConfiguredServer() throws Exception {
        try (FakeDnsServer server = new FakeDnsServer("2.0.0.127.bl.example")) {
            JndiDnsResolver r = new JndiDnsResolver("127.0.0.1:" + server.port(), Duration.ofSeconds(2));
            assertThat(r.lookupA("2.0.0.127.bl.example")).containsExactly("127.0.0.2");
            assertThat(r.lookupA("1.0.0.127.bl.example")).as("NXDOMAIN: not listed").isEmpty();
            assertThat(server.queries()).isEqualTo(2);
        }
    }

    @Test
    void jndiResolverTimesOut() throws Exception {
        try (java.net.DatagramSocket silent = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            JndiDnsResolver r = new JndiDnsResolver("127.0.0.1:" + silent.getLocalPort(), Duration.ofMillis(300));
            long start = System.nanoTime();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> r.lookupA("2.0.0.127.bl.example"))
                    .isInstanceOf(javax.naming.NamingException.class);
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5000);
        }
    }
}
