package io.hepstack.collector.index;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._helpers.bulk.BulkIngester;
import co.elastic.clients.elasticsearch._helpers.bulk.BulkListener;
import co.elastic.clients.elasticsearch._types.VersionType;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Sends documents to Elasticsearch through the official client's {@link BulkIngester}, and makes
 * sure nothing it accepted is silently lost.
 *
 * <ul>
 *   <li>{@link #accept} blocks the caller while the ingester's buffer is full and its
 *       concurrent requests are in flight: back-pressure for the pipeline thread (never call it
 *       from a Netty event loop).</li>
 *   <li>Item failures: 429 and 5xx are retried with exponential backoff (from a scheduler thread,
 *       never from the listener); a 409 on a "create" is a duplicate of a document already stored,
 *       on a versioned write it is a stale version — both harmless and counted; anything else is a
 *       permanent failure, counted and logged with its reason.</li>
 *   <li>A whole request that fails (Elasticsearch down or unreachable) and items that run out of
 *       retries go to the {@link DiskSpool}; a replay job sends spooled segments again when
 *       Elasticsearch answers, deleting a segment only once every document in it is stored or
 *       safely spooled again.</li>
 *   <li>{@link #close()} flushes and waits for requests in flight, so a clean stop loses nothing.</li>
 * </ul>
 */
public final class BulkIndexer implements DocumentSink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BulkIndexer.class);

    /** Bulk settings, set explicitly (the client's defaults are for a different workload). */
    public record Settings(int maxOperations, long maxBytes, Duration flushInterval, int maxConcurrentRequests,
                           int maxRetries, Duration initialBackoff, Duration maxBackoff, Duration replayInterval) {
        public Settings {
            if (maxOperations < 1) {
                throw new IllegalArgumentException("maxOperations must be positive: " + maxOperations);
            }
            if (maxBytes < 1024) {
                throw new IllegalArgumentException("maxBytes must be at least 1 KiB: " + maxBytes);
            }
            if (maxConcurrentRequests < 1) {
                throw new IllegalArgumentException("maxConcurrentRequests must be positive: " + maxConcurrentRequests);
            }
            if (maxRetries < 0) {
                throw new IllegalArgumentException("maxRetries must be 0 or more: " + maxRetries);
            }
        }

        public static Settings defaults() {
            return new Settings(5000, 5L << 20, Duration.ofSeconds(1), 2, 5, Duration.ofMillis(200),
                    Duration.ofSeconds(10), Duration.ofSeconds(5));
        }
    }

    /** Carried with each operation so a response item maps back to its document (and spool segment). */
    private record Pending(IndexRequest request, SegmentReplay segment) {
    }

    /** Tracks one spool segment being replayed: deleted once all its documents are settled. */
    private final class SegmentReplay {
        final Path path;
        final AtomicInteger open;

        SegmentReplay(Path path, int count) {
            this.path = path;
            this.open = new AtomicInteger(count);
        }

        void settled() {
            if (open.decrementAndGet() == 0) {
                try {
                    spool.delete(path);
                } catch (IOException e) {
                    LOG.error("cannot delete replayed spool segment {}: {}", path, e.toString());
                }
                replaying.remove(path);
            }
        }
    }

    private final BulkIngester<Pending> ingester;
    private final DiskSpool spool;
    private final ScheduledExecutorService scheduler;
    private final BooleanSupplier elasticsearchUp;
    private final Settings settings;
    private final Map<Path, SegmentReplay> replaying = new ConcurrentHashMap<>();
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong retriesScheduled = new AtomicLong();
    private volatile boolean closed;

    private final MetricRegistry metrics;
    private final Meter accepted;
    private final Meter duplicates;
    private final Meter stale;
    private final Meter retried;
    private final Meter spooled;
    private final Meter spoolLost;
    private final Meter replayed;
    private final Meter requestFailures;
    private final RateLimitedLog failureLog = new RateLimitedLog(LOG, 20, Duration.ofMinutes(1));

    /**
     * @param elasticsearchUp cheap check used before replaying the spool (e.g. cluster health)
     */
    public BulkIndexer(ElasticsearchClient client, Settings settings, DiskSpool spool, BooleanSupplier elasticsearchUp,
                       MetricRegistry metrics) {
        this.settings = settings;
        this.spool = spool;
        this.elasticsearchUp = elasticsearchUp;
        this.metrics = metrics;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bulk-indexer-retry");
            t.setDaemon(true);
            return t;
        });
        this.accepted = metrics.meter("index.accepted");
        this.duplicates = metrics.meter("index.duplicates");
        this.stale = metrics.meter("index.stale_versions");
        this.retried = metrics.meter("index.retried");
        this.spooled = metrics.meter("index.spool.written");
        this.spoolLost = metrics.meter("index.spool.lost");
        this.replayed = metrics.meter("index.spool.replayed");
        this.requestFailures = metrics.meter("index.request_failures");
        this.ingester = BulkIngester.of(b -> b
                .client(client)
                .maxOperations(settings.maxOperations())
                .maxSize(settings.maxBytes())
                .maxConcurrentRequests(settings.maxConcurrentRequests())
                .flushInterval(settings.flushInterval().toMillis(), TimeUnit.MILLISECONDS)
                .listener(new Listener()));
        metrics.gauge("index.in_flight", () -> inFlight::get);
        metrics.gauge("index.spool.bytes", () -> spool::bytes);
        metrics.gauge("index.ingester.operation_contentions", () -> ingester::operationContentionsCount);
        metrics.gauge("index.ingester.request_contentions", () -> ingester::requestContentionsCount);
        metrics.gauge("index.ingester.pending_requests", () -> ingester::pendingRequests);
        scheduler.scheduleWithFixedDelay(this::replaySpoolFailsafe, settings.replayInterval().toMillis(),
                settings.replayInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void accept(IndexRequest request) {
        if (closed) {
            throw new IllegalStateException("indexer is closed");
        }
        accepted.mark();
        submit(new Pending(request, null));
    }

    private void submit(Pending p) {
        inFlight.incrementAndGet();
        ingester.add(operation(p.request()), p);
    }

    private static BulkOperation operation(IndexRequest r) {
        BinaryData doc = BinaryData.of(r.source(), ContentType.APPLICATION_JSON);
        if (r.create()) {
            return BulkOperation.of(b -> b.create(c -> c.index(r.index()).id(r.id()).document(doc)));
        }
        return BulkOperation.of(b -> b.index(i -> {
            i.index(r.index()).id(r.id()).document(doc);
            if (r.externalVersion() >= 0) {
                i.version(r.externalVersion()).versionType(VersionType.External);
            }
            return i;
        }));
    }

    @Override
    public void flush() {
        ingester.flush();
    }

    /** Documents accepted but not yet stored, failed or spooled. */
    public long inFlight() {
        return inFlight.get();
    }

    public DiskSpool spool() {
        return spool;
    }

    /** Blocks until nothing is in flight (or the timeout passes); true when drained. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            ingester.flush();
            if (inFlight.get() == 0 && retriesScheduled.get() == 0) {
                return true;
            }
            Thread.sleep(20);
        }
        return inFlight.get() == 0;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            // let scheduled retries run before the ingester closes
            long deadline = System.nanoTime() + settings.maxBackoff().toNanos() * 2;
            while (retriesScheduled.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closed = true;
        ingester.close(); // flushes and waits for requests in flight
        scheduler.shutdownNow();
    }

    /** Runs one replay pass now (also called periodically). */
    public void replaySpool() throws IOException {
        if (closed || !reachable()) {
            return;
        }
        for (Path segment : spool.segments()) {
            if (replaying.containsKey(segment)) {
                continue;
            }
            List<IndexRequest> docs;
            try {
                docs = spool.read(segment);
            } catch (IOException e) {
                LOG.error("spool segment {} is unreadable ({}); moved aside as .bad", segment, e.toString());
                spool.quarantine(segment);
                continue;
            }
            SegmentReplay replay = new SegmentReplay(segment, docs.size());
            replaying.put(segment, replay);
            LOG.info("replaying {} spooled documents from {}", docs.size(), segment.getFileName());
            for (IndexRequest r : docs) {
                replayed.mark();
                submit(new Pending(r, replay));
            }
        }
    }

    private boolean reachable() {
        try {
            return elasticsearchUp.getAsBoolean();
        } catch (RuntimeException e) {
            return false; // a probe that throws means "not reachable"
        }
    }

    private void replaySpoolFailsafe() {
        try {
            replaySpool();
        } catch (Throwable t) {
            LOG.error("spool replay failed", t);
        }
    }

    private void settle(Pending p) {
        inFlight.decrementAndGet();
        if (p.segment() != null) {
            p.segment().settled();
        }
    }

    private void toSpool(List<Pending> batch, String why) {
        List<IndexRequest> reqs = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            reqs.add(p.request());
        }
        if (spool.append(reqs)) {
            spooled.mark(reqs.size());
            LOG.warn("{} documents spooled to {} ({})", reqs.size(), spool.dir(), why);
        } else {
            spoolLost.mark(reqs.size());
            LOG.error("{} documents LOST: spool refused them ({})", reqs.size(), why);
        }
        batch.forEach(this::settle);
    }

    private void scheduleRetry(Pending p) {
        int attempt = p.request().attempts();
        long backoff = Math.min(settings.maxBackoff().toMillis(), settings.initialBackoff().toMillis() << Math.min(attempt, 16));
        retried.mark();
        retriesScheduled.incrementAndGet();
        try {
            scheduler.schedule(() -> {
                try {
                    if (closed) {
                        toSpool(List.of(p), "indexer closed before retry");
                    } else {
                        inFlight.decrementAndGet(); // submit() counts it again
                        submit(new Pending(p.request().retried(), p.segment()));
                    }
                } catch (Throwable t) {
                    LOG.error("retry failed", t);
                } finally {
                    retriesScheduled.decrementAndGet();
                }
            }, backoff, TimeUnit.MILLISECONDS);
        } catch (RuntimeException rejected) { // scheduler shut down
            retriesScheduled.decrementAndGet();
            toSpool(List.of(p), "retry scheduler stopped");
        }
    }

    private final class Listener implements BulkListener<Pending> {

        @Override
        public void beforeBulk(long executionId, BulkRequest request, List<Pending> contexts) {
        }

        @Override
        public void afterBulk(long executionId, BulkRequest request, List<Pending> contexts, BulkResponse response) {
            try {
                List<Pending> exhausted = new ArrayList<>();
                List<BulkResponseItem> items = response.items();
                for (int i = 0; i < items.size(); i++) {
                    BulkResponseItem item = items.get(i);
                    Pending p = contexts.get(i);
                    String family = p.request().family();
                    if (item.error() == null) {
                        metrics.meter("index." + family + ".indexed").mark();
                        settle(p);
                        continue;
                    }
                    int status = item.status();
                    if (status == 409) {
                        (p.request().create() ? duplicates : stale).mark();
                        settle(p);
                    } else if (status == 429 || status >= 500) {
                        if (p.request().attempts() < settings.maxRetries()) {
                            scheduleRetry(p);
                        } else {
                            exhausted.add(p);
                        }
                    } else {
                        metrics.meter("index." + family + ".failed").mark();
                        failureLog.error("document {} in {} rejected ({} {}): {}", p.request().id(), p.request().index(),
                                status, item.error().type(), item.error().reason());
                        settle(p);
                    }
                }
                if (!exhausted.isEmpty()) {
                    toSpool(exhausted, "still refused after " + settings.maxRetries() + " retries");
                }
            } catch (Throwable t) { // a listener never throws into the ingester
                LOG.error("bulk response handling failed", t);
            }
        }

        @Override
        public void afterBulk(long executionId, BulkRequest request, List<Pending> contexts, Throwable failure) {
            try {
                requestFailures.mark();
                failureLog.error("bulk request of {} documents failed: {}", contexts.size(), failure.toString());
                toSpool(contexts, failure.getClass().getSimpleName());
            } catch (Throwable t) {
                LOG.error("bulk failure handling failed", t);
            }
        }
    }
}
