package io.hepstack.collector.fraud;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.failsafe.Execution;
import dev.failsafe.RetryPolicy;
import io.hepstack.collector.retry.Backoff;
import io.hepstack.enricher.ConfigValidation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Posts alerts as JSON ({@link Alert#toJsonMap()}) to webhooks. Each endpoint has its own bounded
 * queue and sender thread, so a dead endpoint never delays another and {@link #onAlert} never blocks:
 * when a queue is full the alert is dropped and counted. Failed attempts (I/O error, timeout, 408,
 * 429, 5xx) are retried with exponential backoff (a Failsafe {@link RetryPolicy}); other 4xx are not.
 * Every request carries the alert id in {@code X-Hepstack-Alert-Id} so a receiver can ignore a
 * retried duplicate.
 *
 * <p>Given a {@link MetricRegistry}, the counts are also meters under {@value #METRICS_PREFIX}:
 * {@code delivered}, {@code failed}, {@code retried}, {@code dropped} (queue full or left at close),
 * and a gauge {@code queued}.
 */
public final class WebhookNotifier implements AlertListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookNotifier.class);

    /** Delivery counters, summed over endpoints. */
    public record Stats(long sent, long failed, long dropped, long retried, int queued) {
    }

    private record Job(String alertId, byte[] body) {
    }

    private final WebhookConfig config;
    private final HttpClient client;
    private final ObjectMapper mapper = new ObjectMapper();
    private final List<Worker> workers = new ArrayList<>();
    private final RetryPolicy<Integer> retryPolicy;
    private final Meter sent = new Meter();
    private final Meter failed = new Meter();
    private final Meter dropped = new Meter();
    private final Meter retried = new Meter();
    private volatile boolean closing;
    private volatile long closeDeadlineNanos = Long.MAX_VALUE;

    /** Prefix of the meters and the gauge registered when a {@link MetricRegistry} is given. */
    public static final String METRICS_PREFIX = "fraud.webhooks.";

    public WebhookNotifier(WebhookConfig config) {
        this(config, (MetricRegistry) null);
    }

    /** @param metrics where to register {@value #METRICS_PREFIX}* (null: none) */
    public WebhookNotifier(WebhookConfig config, MetricRegistry metrics) {
        this(config, client(config), metrics);
    }

    private static HttpClient client(WebhookConfig config) {
        return HttpClient.newBuilder()
                .connectTimeout(Duration.ofMillis(config.connectTimeoutMillis()))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public WebhookNotifier(WebhookConfig config, HttpClient client) {
        this(config, client, null);
    }

    /** @throws IllegalArgumentException when {@code config} breaks its constraints, naming them */
    public WebhookNotifier(WebhookConfig config, HttpClient client, MetricRegistry metrics) {
        List<String> problems = ConfigValidation.problems(config, "webhooks");
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("webhook configuration: " + String.join("; ", problems));
        }
        this.config = config;
        this.client = client;
        this.retryPolicy = Backoff.exponential(RetryPolicy.<Integer>builder()
                        .handle(IOException.class) // includes HttpTimeoutException
                        .handleResultIf(WebhookNotifier::retryable)
                        .withMaxRetries(config.maxRetries()),
                Duration.ofMillis(config.initialBackoffMillis()), Duration.ofMillis(config.maxBackoffMillis()))
                .build();
        if (metrics != null) {
            metrics.register(METRICS_PREFIX + "delivered", sent);
            metrics.register(METRICS_PREFIX + "failed", failed);
            metrics.register(METRICS_PREFIX + "retried", retried);
            metrics.register(METRICS_PREFIX + "dropped", dropped);
            metrics.register(METRICS_PREFIX + "queued", (Gauge<Integer>) () -> stats().queued());
        }
        int i = 0;
        for (WebhookConfig.Endpoint e : config.endpoints()) {
            Worker w = new Worker(e, new ArrayBlockingQueue<>(config.queueCapacity()));
            Thread t = new Thread(w, "webhook-" + i++ + "-" + e.uri().getHost());
            t.setDaemon(true);
            w.thread = t;
            workers.add(w);
            t.start();
        }
    }

    @Override
    public void onAlert(Alert alert) {
        if (!config.sendUpdates() && !alert.isNew()) {
            return;
        }
        byte[] body = null;
        for (Worker w : workers) {
            if (alert.severity().compareTo(w.endpoint.severity()) < 0) {
                continue;
            }
            if (closing) {
                dropped.mark();
                continue;
            }
            if (body == null) {
                try {
                    body = mapper.writeValueAsBytes(alert.toJsonMap());
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("alert not serialisable: " + alert.id(), e);
                }
            }
            if (!w.queue.offer(new Job(alert.id(), body))) {
                dropped.mark();
                long n = dropped.getCount();
                if (n <= 10 || Long.bitCount(n) == 1) {
                    LOG.warn("webhook queue of {} full: alert {} dropped ({} dropped so far)", w.endpoint.redacted(), alert.id(), n);
                }
            }
        }
    }

    public Stats stats() {
        int queued = 0;
        for (Worker w : workers) {
            queued += w.queue.size();
        }
        return new Stats(sent.getCount(), failed.getCount(), dropped.getCount(), retried.getCount(), queued);
    }

    /**
     * Stops taking alerts, lets the queues drain until the close timeout, then interrupts the senders;
     * what is still queued then is counted as dropped.
     */
    @Override
    public void close() {
        closing = true;
        closeDeadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.closeTimeoutMillis());
        for (Worker w : workers) {
            w.join(closeDeadlineNanos);
        }
        for (Worker w : workers) {
            if (w.thread.isAlive()) {
                w.thread.interrupt();
                w.join(System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
            }
            int left = w.queue.size();
            w.queue.clear();
            if (left > 0) {
                dropped.mark(left);
                LOG.warn("webhook {}: {} alerts still queued at close, dropped", w.endpoint.redacted(), left);
            }
        }
    }

    /** I/O errors aside, what is worth another attempt: 408, 429 and 5xx. */
    private static boolean retryable(int code) {
        return code == 408 || code == 429 || code >= 500;
    }

    private final class Worker implements Runnable {
        private final WebhookConfig.Endpoint endpoint;
        private final BlockingQueue<Job> queue;
        private Thread thread;

        Worker(WebhookConfig.Endpoint endpoint, BlockingQueue<Job> queue) {
            this.endpoint = endpoint;
            this.queue = queue;
        }

        @Override
        public void run() {
            Job job = null;
            try {
                while (true) {
                    job = queue.poll(50, TimeUnit.MILLISECONDS);
                    if (job == null) {
                        if (closing) {
                            return;
                        }
                        continue;
                    }
                    deliver(job);
                    job = null;
                }
            } catch (InterruptedException e) { // close() gave up on this one
                if (job != null) {
                    dropped.mark();
                }
                Thread.currentThread().interrupt();
            }
        }

        private void deliver(Job job) throws InterruptedException {
            HttpRequest.Builder b = HttpRequest.newBuilder(endpoint.uri())
                    .timeout(Duration.ofMillis(config.requestTimeoutMillis()))
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "hepstack-fraud")
                    .header("X-Hepstack-Alert-Id", job.alertId())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(job.body()));
            for (Map.Entry<String, String> h : endpoint.headers().entrySet()) {
                b.header(h.getKey(), h.getValue());
            }
            HttpRequest request = b.build();
            // Failsafe decides whether and when to try again; this sender thread does the waiting
            Execution<Integer> execution = Execution.of(retryPolicy);
            for (int attempt = 1; ; attempt++) {
                String problem;
                try {
                    int code = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                    execution.recordResult(code);
                    if (code >= 200 && code < 300) {
                        sent.mark();
                        return;
                    }
                    if (!retryable(code)) {
                        failed.mark();
                        LOG.warn("webhook {} refused alert {}: HTTP {} (not retried)", endpoint.redacted(), job.alertId(), code);
                        return;
                    }
                    problem = "HTTP " + code;
                } catch (IOException e) {
                    execution.recordException(e);
                    problem = e.toString();
                }
                long delayNanos = execution.getDelay().toNanos();
                boolean pastDeadline = closing && System.nanoTime() + delayNanos > closeDeadlineNanos;
                if (execution.isComplete() || pastDeadline) {
                    failed.mark();
                    LOG.warn("webhook {} failed for alert {} after {} attempts: {}", endpoint.redacted(), job.alertId(),
                            attempt, problem);
                    return;
                }
                TimeUnit.NANOSECONDS.sleep(delayNanos);
                retried.mark();
            }
        }

        void join(long deadlineNanos) {
            long waitMillis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            if (waitMillis <= 0) {
                return;
            }
            try {
                thread.join(waitMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
