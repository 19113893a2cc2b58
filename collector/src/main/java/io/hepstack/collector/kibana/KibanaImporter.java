package io.hepstack.collector.kibana;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import io.dropwizard.lifecycle.Managed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Imports hepstack's saved objects into Kibana, waiting for Kibana to come up: the collector's
 * start-up import when {@code kibana.url} is configured (Kibana usually starts after the collector
 * in a compose file, and migrates its own saved objects before it answers).
 *
 * <p>Connection failures and 502/503/504 are retried every {@code retryEvery} until
 * {@code giveUpAfter}; any other refusal (bad credentials, objects Kibana rejects) ends the attempt
 * at once, since retrying cannot fix it. As a {@link Managed} it runs in its own daemon thread, so a
 * missing Kibana never holds up the collector; {@link #outcome()} tells how it ended.
 */
public final class KibanaImporter implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(KibanaImporter.class);

    public static final Duration DEFAULT_GIVE_UP_AFTER = Duration.ofMinutes(10);
    public static final Duration DEFAULT_RETRY_EVERY = Duration.ofSeconds(5);

    private final KibanaClient client;
    private final SavedObjectsFile file;
    private final Duration giveUpAfter;
    private final Duration retryEvery;
    private final boolean overwrite;
    private final CompletableFuture<ImportResult> outcome = new CompletableFuture<>();
    private volatile Thread worker;

    /** An importer that replaces objects with the same id (overwrite), as the start-up import wants. */
    public KibanaImporter(KibanaClient client, SavedObjectsFile file, Duration giveUpAfter, Duration retryEvery) {
        this(client, file, giveUpAfter, retryEvery, true);
    }

    public KibanaImporter(KibanaClient client, SavedObjectsFile file, Duration giveUpAfter, Duration retryEvery,
                          boolean overwrite) {
        if (client == null || file == null) {
            throw new IllegalArgumentException("client and file must be set");
        }
        if (giveUpAfter == null || giveUpAfter.isNegative()) {
            throw new IllegalArgumentException("giveUpAfter must be zero or positive: " + giveUpAfter);
        }
        if (retryEvery == null || retryEvery.isNegative() || retryEvery.isZero()) {
            throw new IllegalArgumentException("retryEvery must be positive: " + retryEvery);
        }
        this.client = client;
        this.file = file;
        this.giveUpAfter = giveUpAfter;
        this.retryEvery = retryEvery;
        this.overwrite = overwrite;
    }

    /**
     * The start-up import: hepstack's packaged dashboards into the Kibana at {@code url}, in
     * {@code space} (null or "default" for the default space), with the default patience.
     */
    public static KibanaImporter of(String url, String space, KibanaCredentials credentials, Path caCertificate)
            throws IOException {
        KibanaClient client = KibanaClient.builder(url).space(space).credentials(credentials)
                .caCertificate(caCertificate).build();
        return new KibanaImporter(client, SavedObjectsFile.packaged(), DEFAULT_GIVE_UP_AFTER, DEFAULT_RETRY_EVERY);
    }

    public static KibanaImporter of(String url, String space, KibanaCredentials credentials) throws IOException {
        return of(url, space, credentials, null);
    }

    /**
     * Imports, retrying while Kibana cannot answer yet.
     *
     * @throws KibanaException when Kibana refused the import, some object was not imported, or
     *                         Kibana did not come up within {@code giveUpAfter}
     */
    public ImportResult importWithRetry() throws KibanaException, InterruptedException {
        long deadline = System.nanoTime() + giveUpAfter.toNanos();
        // retried every retryEvery while Kibana cannot answer yet and a next attempt starts before the deadline
        RetryPolicy<ImportResult> policy = RetryPolicy.<ImportResult>builder()
                .handleIf(e -> e instanceof KibanaException k && k.retryable()
                        && !Thread.currentThread().isInterrupted()
                        && System.nanoTime() + retryEvery.toNanos() - deadline <= 0)
                .withDelay(retryEvery)
                .withMaxRetries(-1)
                .onRetryScheduled(e -> {
                    if (e.getAttemptCount() == 1) {
                        LOG.info("Kibana at {} is not ready yet ({}); retrying every {} for up to {}", client.baseUrl(),
                                e.getLastException().getMessage(), retryEvery, giveUpAfter);
                    } else {
                        LOG.debug("Kibana import attempt {} failed: {}", e.getAttemptCount(), e.getLastException().getMessage());
                    }
                })
                .build();
        AtomicInteger attempts = new AtomicInteger();
        try {
            return Failsafe.with(policy).get(() -> {
                attempts.incrementAndGet();
                ImportResult result = client.importObjects(file, overwrite).requireSuccess();
                LOG.info("imported {} Kibana saved objects from {} into {} (space {})", result.successCount(),
                        file.fileName(), client.baseUrl(), client.space());
                return result;
            });
        } catch (FailsafeException wrapped) {
            if (wrapped.getCause() instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("Kibana import interrupted");
            }
            if (!(wrapped.getCause() instanceof KibanaException e)) {
                throw wrapped;
            }
            if (!e.retryable()) {
                throw e;
            }
            throw new KibanaException("Kibana at " + client.baseUrl() + " did not accept the saved objects within "
                    + giveUpAfter + " (" + attempts.get() + " attempts); last answer: " + e.getMessage(), e.statusCode());
        }
    }

    /** Starts the import in a daemon thread; returns at once. */
    @Override
    public synchronized void start() {
        if (worker != null) {
            throw new IllegalStateException("the Kibana import was already started");
        }
        Thread t = new Thread(this::runInBackground, "kibana-import");
        t.setDaemon(true);
        worker = t;
        t.start();
    }

    /** Stops waiting for Kibana (an import in flight is abandoned). */
    @Override
    public void stop() throws InterruptedException {
        Thread t = worker;
        if (t != null) {
            t.interrupt();
            t.join(TimeUnit.SECONDS.toMillis(5));
        }
    }

    /** Completes with Kibana's answer, or exceptionally with why the import did not happen. */
    public CompletableFuture<ImportResult> outcome() {
        return outcome;
    }

    private void runInBackground() {
        try {
            outcome.complete(importWithRetry());
        } catch (InterruptedException e) {
            LOG.info("Kibana import to {} stopped before it finished", client.baseUrl());
            outcome.completeExceptionally(e);
        } catch (KibanaException e) {
            LOG.warn("the dashboards were not imported into Kibana: {} (import them later with the kibana-import command)",
                    e.getMessage());
            outcome.completeExceptionally(e);
        } catch (RuntimeException e) {
            LOG.error("the Kibana import failed unexpectedly", e);
            outcome.completeExceptionally(e);
        }
    }
}
