package io.hepstack.collector.fraud;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

import static io.hepstack.collector.fraud.FraudTestSupport.CHECKS_OFF;
import static io.hepstack.collector.fraud.FraudTestSupport.at;
import static io.hepstack.collector.fraud.FraudTestSupport.call;
import static io.hepstack.collector.fraud.FraudTestSupport.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Webhook delivery to a local HTTP receiver on 127.0.0.1. */
class WebhookNotifierTest {

    @TempDir
    Path dir;

    private HttpServer server;
    private ExecutorService serverThreads;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile IntSupplier status = () -> 200;
    private volatile long delayMillis;
    private volatile CountDownLatch gate;

    private record Received(String alertId, String authorization, String contentType, byte[] body) {
    }

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        serverThreads = Executors.newCachedThreadPool();
        server.setExecutor(serverThreads);
        server.createContext("/hook", this::handle);
        server.start();
    }

    @AfterEach
    void stopServer() {
        CountDownLatch g = gate;
        if (g != null) {
            g.countDown();
        }
        server.stop(0);
        serverThreads.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        received.add(new Received(ex.getRequestHeaders().getFirst("X-Hepstack-Alert-Id"),
                ex.getRequestHeaders().getFirst("Authorization"), ex.getRequestHeaders().getFirst("Content-Type"), body));
        try {
            CountDownLatch g = gate;
            if (g != null) {
                g.await(10, TimeUnit.SECONDS);
            }
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ex.sendResponseHeaders(status.getAsInt(), -1);
        ex.close();
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    private WebhookConfig hookConfig(int queue, long timeoutMillis, int retries, long backoffMillis, long closeMillis) {
        return new WebhookConfig(List.of(new WebhookConfig.Endpoint(url(), Map.of("Authorization", "Bearer s3cret"), null)),
                queue, 1000L, timeoutMillis, retries, backoffMillis, 1000L, false, closeMillis);
    }

    private static Alert alert(String subject, Severity severity, long count) {
        return new Alert(Alert.idFor(AlertRule.SIP_FLOOD, "REGISTER", subject, severity, 0), 1, 1, AlertRule.SIP_FLOOD,
                severity, "REGISTER", 300, 300, subject, null, null, null, null, "c1", subject, 0, 10_000_000, count,
                subject + " sent 300 REGISTER requests in 10 s");
    }

    @Test
    void oneDeliveryPerAlertFromTheEngine() throws Exception {
        try (WebhookNotifier hook = new WebhookNotifier(hookConfig(100, 2000, 2, 50, 2000))) {
            FraudEngine engine = new FraudEngine(config(dir, "defaultProfile: 1\nalerts: {updateInterval: 0}\n" + CHECKS_OFF
                    + "rules:\n  - {ruleid: 1, profileid: 1, prefix: \"\", start_hour: \"00:00\", end_hour: \"24:00\","
                    + " cpm_warning: 2, cpm_critical: 4}\n"), hook);
            long t = at("2026-01-05T10:00:00Z");
            for (int i = 0; i < 6; i++) { // cpm 2 and 3: warning (count 2); 4, 5, 6: critical (count 3)
                engine.onCallStarted(call("c" + i, t + i, "burst", "88213000123").build());
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> hook.stats().sent() == 2);
            Thread.sleep(200); // nothing more arrives
            assertThat(received).hasSize(2);
            assertThat(hook.stats().sent()).isEqualTo(2);
            ObjectMapper m = new ObjectMapper();
            JsonNode first = m.readTree(received.get(0).body());
            JsonNode second = m.readTree(received.get(1).body());
            assertThat(first.get("rule").asText()).isEqualTo("calls-per-minute");
            assertThat(first.get("severity").asText()).isEqualTo("warning");
            assertThat(second.get("severity").asText()).isEqualTo("critical");
            assertThat(second.get("value").asInt()).isEqualTo(4);
            assertThat(second.get("user").asText()).isEqualTo("burst");
            assertThat(second.get("count").asInt()).isEqualTo(1);
            assertThat(received.get(0).alertId()).isEqualTo(first.get("id").asText());
            assertThat(received.get(0).authorization()).isEqualTo("Bearer s3cret");
            assertThat(received.get(0).contentType()).isEqualTo("application/json");
            assertThat(engine.recentAlerts(10)).extracting(Alert::count).containsExactly(3L, 2L);
        }
    }

    @Test
    void countsAreMetersUnderFraudWebhooks() throws Exception {
        MetricRegistry metrics = new MetricRegistry();
        AtomicInteger calls = new AtomicInteger();
        gate = new CountDownLatch(1);
        // first delivery: 503, 503, then 200 (two retries); second: 400 (failed, not retried)
        status = () -> switch (calls.incrementAndGet()) {
            case 1, 2 -> 503;
            case 3 -> 200;
            default -> 400;
        };
        WebhookNotifier hook = new WebhookNotifier(hookConfig(1, 5000, 3, 20, 5000), metrics);
        assertThat(metrics.getMeters().keySet()).containsExactlyInAnyOrder("fraud.webhooks.delivered",
                "fraud.webhooks.failed", "fraud.webhooks.retried", "fraud.webhooks.dropped");
        assertThat(metrics.getGauges().keySet()).containsExactly("fraud.webhooks.queued");
        hook.onAlert(alert("a", Severity.WARNING, 1));
        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1); // the sender waits at the gate
        hook.onAlert(alert("b", Severity.WARNING, 1)); // queued
        hook.onAlert(alert("c", Severity.WARNING, 1)); // queue of 1 full: dropped
        assertThat(metrics.getGauges().get("fraud.webhooks.queued").getValue()).isEqualTo(1);
        assertThat(metrics.meter("fraud.webhooks.dropped").getCount()).isEqualTo(1);
        gate.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> hook.stats().failed() == 1);
        hook.close();
        assertThat(metrics.meter("fraud.webhooks.delivered").getCount()).isEqualTo(1);
        assertThat(metrics.meter("fraud.webhooks.retried").getCount()).isEqualTo(2);
        assertThat(metrics.meter("fraud.webhooks.failed").getCount()).isEqualTo(1);
        assertThat(metrics.meter("fraud.webhooks.dropped").getCount()).isEqualTo(1);
        assertThat(metrics.getGauges().get("fraud.webhooks.queued").getValue()).isEqualTo(0);
        assertThat(received).hasSize(4);
    }

    @Test
    void theRetriesStopAtMaxRetries() {
        status = () -> 503;
        try (WebhookNotifier hook = new WebhookNotifier(hookConfig(10, 2000, 2, 10, 2000))) {
            hook.onAlert(alert("198.51.100.23", Severity.WARNING, 1));
            await().atMost(Duration.ofSeconds(5)).until(() -> hook.stats().failed() == 1);
            assertThat(hook.stats().retried()).isEqualTo(2);
            assertThat(received).as("the first attempt and 2 retries").hasSize(3);
        }
    }

    @Test
    void aServerErrorIsRetriedWithBackoff() {
        AtomicInteger calls = new AtomicInteger();
        status = () -> calls.incrementAndGet() == 1 ? 500 : 200;
        try (WebhookNotifier hook = new WebhookNotifier(hookConfig(10, 2000, 3, 100, 2000))) {
            long start = System.nanoTime();
            hook.onAlert(alert("198.51.100.23", Severity.CRITICAL, 1));
            await().atMost(Duration.ofSeconds(5)).until(() -> hook.stats().sent() == 1);
            assertThat(System.nanoTime() - start).as("waited for the backoff").isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
            WebhookNotifier.Stats s = hook.stats();
            assertThat(s.retried()).isEqualTo(1);
            assertThat(s.failed()).isZero();
            assertThat(received).hasSize(2);
            assertThat(received.get(0).alertId()).isEqualTo(received.get(1).alertId());
        }
    }

    @Test
    void aTimeoutCountsAsAFailureAfterTheRetries() {
        delayMillis = 1500;
        try (WebhookNotifier hook = new WebhookNotifier(hookConfig(10, 200, 1, 50, 3000))) {
            hook.onAlert(alert("198.51.100.23", Severity.WARNING, 1));
            await().atMost(Duration.ofSeconds(5)).until(() -> hook.stats().failed() == 1);
            WebhookNotifier.Stats s = hook.stats();
            assertThat(s.sent()).isZero();
            assertThat(s.retried()).isEqualTo(1);
            assertThat(received).hasSize(2);
        }
    }

    @Test
    void aClientErrorIsNotRetried() {
        status = () -> 400;
        try (WebhookNotifier hook = new WebhookNotifier(hookConfig(10, 2000, 3, 50, 2000))) {
            hook.onAlert(alert("198.51.100.23", Severity.WARNING, 1));
            await().atMost(Duration.ofSeconds(5)).until(() -> hook.stats().failed() == 1);
            assertThat(hook.stats().retried()).isZero();
            assertThat(received).hasSize(1);
        }
    }

    @Test
    void aFullQueueDropsAndCountsWithoutBlocking() throws Exception {
        gate = new CountDownLatch(1);
        WebhookNotifier hook = new WebhookNotifier(hookConfig(2, 5000, 0, 50, 5000));
        hook.onAlert(alert("a", Severity.WARNING, 1));
        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1); // the sender is stuck on it
        long start = System.nanoTime();
        for (String s : List.of("b", "c", "d", "e")) {
            hook.onAlert(alert(s, Severity.WARNING, 1));
        }
        assertThat(System.nanoTime() - start).as("onAlert never blocks").isLessThan(TimeUnit.MILLISECONDS.toNanos(500));
        assertThat(hook.stats().dropped()).isEqualTo(2);
        assertThat(hook.stats().queued()).isEqualTo(2);
        gate.countDown();
        hook.close();
        assertThat(hook.stats().sent()).isEqualTo(3);
        assertThat(hook.stats().dropped()).isEqualTo(2);
        hook.onAlert(alert("f", Severity.WARNING, 1));
        assertThat(hook.stats().dropped()).as("after close").isEqualTo(3);
    }

    @Test
    void closeGivesUpAtItsDeadlineAndCountsWhatIsLeft() {
        gate = new CountDownLatch(1); // the receiver never answers in time
        WebhookNotifier hook = new WebhookNotifier(hookConfig(10, 10_000, 0, 50, 300));
        for (String s : List.of("a", "b", "c")) {
            hook.onAlert(alert(s, Severity.WARNING, 1));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
        long start = System.nanoTime();
        hook.close();
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(3));
        assertThat(hook.stats().dropped()).as("the one in flight and two still queued").isEqualTo(3);
        assertThat(hook.stats().sent()).isZero();
    }

    @Test
    void updatesAndLowSeveritiesAreFilteredAndBadUrlsRejected() {
        WebhookConfig c = new WebhookConfig(List.of(new WebhookConfig.Endpoint(url(), null, "critical")),
                null, null, null, null, null, null, null, null);
        try (WebhookNotifier hook = new WebhookNotifier(c)) {
            hook.onAlert(alert("a", Severity.WARNING, 1));
            hook.onAlert(alert("b", Severity.CRITICAL, 2)); // an update
            hook.onAlert(alert("c", Severity.CRITICAL, 1));
            await().atMost(Duration.ofSeconds(5)).until(() -> hook.stats().sent() == 1);
            assertThat(received).singleElement().satisfies(r ->
                    assertThat(r.alertId()).isEqualTo(alert("c", Severity.CRITICAL, 1).id()));
        }
        // Bean Validation: Dropwizard checks the constraints at start-up, the notifier when built
        assertThatThrownBy(() -> new WebhookNotifier(WebhookConfig.of(new WebhookConfig.Endpoint("ftp://example.com/x"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("webhooks.endpoints[0].httpUrl")
                .hasMessageContaining("http(s)://");
        assertThatThrownBy(() -> new WebhookNotifier(WebhookConfig.of(new WebhookConfig.Endpoint(""))))
                .hasMessageContaining("webhooks.endpoints[0].url is required");
        assertThatThrownBy(() -> new WebhookNotifier(new WebhookConfig(List.of(), 0, null, null, -1, null, null, null, null)))
                .hasMessageContaining("webhooks.queueCapacity must be greater than 0")
                .hasMessageContaining("webhooks.maxRetries must be greater than or equal to 0");
    }
}
