package io.hepstack.collector.fraud;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.concurrent.atomic.AtomicLong;

/**
 * Posts alerts as JSON ({@link Alert#toJsonMap()}) to webhooks. Each endpoint has its own bounded
 * queue and sender thread, so a dead endpoint never delays another and {@link #onAlert} never blocks:
 * when a queue is full the alert is dropped and counted. Failed attempts (I/O error, timeout, 408,
 * 429, 5xx) are retried with exponential backoff; other 4xx are not. Every request carries the alert
 * id in {@code X-Hepstack-Alert-Id} so a receiver can ignore a retried duplicate.
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
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private volatile boolean closing;
    private volatile long closeDeadlineNanos = Long.MAX_VALUE;

    public WebhookNotifier(WebhookConfig config) {
        this(config, HttpClient.newBuilder()
                .connectTimeout(Duration.ofMillis(config.connectTimeoutMillis()))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build());
    }

    public WebhookNotifier(WebhookConfig config, HttpClient client) {
        this.config = config;
        this.client = client;
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
                dropped.incrementAndGet();
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
                long n = dropped.incrementAndGet();
                if (n <= 10 || Long.bitCount(n) == 1) {
                    LOG.warn("webhook queue of {} full: alert {} dropped ({} dropped so far)", w.endpoint.url(), alert.id(), n);
                }
            }
        }
    }

    public Stats stats() {
        int queued = 0;
        for (Worker w : workers) {
            queued += w.queue.size();
        }
        return new Stats(sent.get(), failed.get(), dropped.get(), retried.get(), queued);
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
                dropped.addAndGet(left);
                LOG.warn("webhook {}: {} alerts still queued at close, dropped", w.endpoint.url(), left);
            }
        }
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
                    dropped.incrementAndGet();
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
            long backoff = config.initialBackoffMillis();
            for (int attempt = 0; ; attempt++) {
                String problem;
                try {
                    int code = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                    if (code >= 200 && code < 300) {
                        sent.incrementAndGet();
                        return;
                    }
                    if (code != 408 && code != 429 && code < 500) {
                        failed.incrementAndGet();
                        LOG.warn("webhook {} refused alert {}: HTTP {} (not retried)", endpoint.url(), job.alertId(), code);
                        return;
                    }
                    problem = "HTTP " + code;
                } catch (IOException e) { // includes HttpTimeoutException
                    problem = e.toString();
                }
                boolean pastDeadline = closing
                        && System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff) > closeDeadlineNanos;
                if (attempt >= config.maxRetries() || pastDeadline) {
                    failed.incrementAndGet();
                    LOG.warn("webhook {} failed for alert {} after {} attempts: {}", endpoint.url(), job.alertId(),
                            attempt + 1, problem);
                    return;
                }
                Thread.sleep(backoff);
                retried.incrementAndGet();
                backoff = Math.min(backoff * 2, config.maxBackoffMillis());
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
