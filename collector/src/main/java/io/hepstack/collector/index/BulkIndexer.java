package io.hepstack.collector.index;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.failsafe.Execution;
import dev.failsafe.RetryPolicy;
import io.hepstack.collector.document.JsonDocument;
import io.hepstack.collector.pipeline.StoredMark;
import io.hepstack.collector.retry.Backoff;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Sends documents to Elasticsearch in bulk requests and makes sure nothing it accepted is
 * silently lost.
 *
 * <p>Why not the client's {@code BulkIngester}: with the Apache async HTTP client underneath, an
 * unreachable Elasticsearch makes the connection failure complete on the I/O thread while the
 * ingester's flush holds its lock, and both wait for each other forever (elastic/elasticsearch-java
 * issue #925; reproduced here by {@code BulkIndexerIT}). An outage is exactly when we must not
 * hang, so this class does the same job with plain sender threads and the synchronous low-level
 * client: bounded buffer, flush by count, bytes and interval, a fixed number of concurrent
 * requests, blocking {@link #accept} as back-pressure.
 *
 * <ul>
 *   <li>{@link #accept} blocks while the buffer is full (never call it from a Netty event loop).</li>
 *   <li>Item failures: 429 and 5xx are retried with exponential backoff (each refused document
 *       carries a Failsafe {@link Execution} of one {@link RetryPolicy}); a 409 on "create" is a
 *       duplicate of a stored document, on a versioned write a stale version — both harmless and
 *       counted; anything else (a 400 mapping error) is a permanent failure, counted, logged with its
 *       reason and kept in the dead-letter index ({@link DeadLetters}): accepted means stored.</li>
 *   <li>A request that fails as a whole (Elasticsearch down) and items out of retries go to the
 *       {@link DiskSpool}; a replay job sends spooled segments again when Elasticsearch answers,
 *       deleting a segment only once every document in it is stored or safely spooled again; a
 *       damaged segment is quarantined (counted) with its intact documents replayed.</li>
 *   <li>{@link #close()} sends everything buffered and waits for it, and spools the retries still
 *       scheduled, so a clean stop loses nothing.</li>
 * </ul>
 */
public final class BulkIndexer implements DocumentSink, StoredMark, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BulkIndexer.class);
    private static final JsonFactory JSON = new JsonFactory();

    /** Bulk settings, set explicitly. */
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
            if (flushInterval.isNegative() || flushInterval.isZero()) {
                throw new IllegalArgumentException("flushInterval must be positive: " + flushInterval);
            }
        }

        public static Settings defaults() {
            return new Settings(5000, 5L << 20, Duration.ofSeconds(1), 2, 5, Duration.ofMillis(200),
                    Duration.ofSeconds(10), Duration.ofSeconds(5));
        }
    }

    /**
     * A document on its way, with the spool segment it came from (null for new documents) and the
     * {@link Epoch} it was accepted in (null for those replayed from the spool: stored already).
     */
    private record Pending(IndexRequest request, SegmentReplay segment, Execution<Void> retries, Epoch epoch) {
        Pending(IndexRequest request, SegmentReplay segment) {
            this(request, segment, null, null); // the retry bookkeeping starts at the first refusal
        }
    }

    /** The documents accepted between two {@link #mark()}s that are not yet stored, spooled or dead-lettered. */
    private static final class Epoch {
        final long number;
        final AtomicLong open = new AtomicLong();

        Epoch(long number) {
            this.number = number;
        }
    }

    /** What {@link #retryOrSpool} records for a refused attempt (429, 5xx, lost answer). */
    private static final Exception REFUSED = new Exception("refused", null, false, false) {
    };

    /** One spool segment being replayed: deleted once all its documents are settled. */
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

    private final RestClient client;
    private final Settings settings;
    private final DiskSpool spool;
    private final BooleanSupplier elasticsearchUp;
    private final BlockingQueue<Pending> buffer;
    private final List<Thread> senders = new ArrayList<>();
    private final ScheduledExecutorService scheduler;
    private final Map<Path, SegmentReplay> replaying = new ConcurrentHashMap<>();
    private final AtomicLong inFlight = new AtomicLong();
    /** Arrays of the documents held until stored; idle ones at most four requests' worth or 5 % of the heap. */
    private final DocumentPool pool;
    /** Epochs not yet known to be settled, oldest first; the last is the one documents are accepted in. */
    private final ConcurrentLinkedDeque<Epoch> epochs = new ConcurrentLinkedDeque<>();
    private volatile Epoch epoch;
    private final AtomicLong retriesScheduled = new AtomicLong();
    /** Whether and when a refused document is sent again: {@code maxRetries}, backoff from initial to max. */
    private final RetryPolicy<Void> retryPolicy;
    private volatile boolean accepting = true;
    private volatile boolean stopping;
    private volatile boolean flushRequested;
    /** False until the index templates are installed: documents wait in the spool instead. */
    private volatile boolean ready = true;

    private final MetricRegistry metrics;
    private final Meter accepted;
    private final Meter duplicates;
    private final Meter stale;
    private final Meter retried;
    private final Meter spooled;
    private final Meter spoolLost;
    private final Meter replayed;
    private final Meter quarantined;
    private final Meter deadLettered;
    private final Meter deadLetterFailed;
    /** Retries waiting in the scheduler: spooled at {@link #close()} if they have not come back by then. */
    private final Set<Pending> scheduledRetries = ConcurrentHashMap.newKeySet();
    /** Dead-letter copies waiting for a sender (unbounded, but only as large as what Elasticsearch refused). */
    private final Queue<Pending> deadLetters = new ConcurrentLinkedQueue<>();
    private final Meter requestFailures;
    private final Meter contentions;
    private final Timer requestTimer;
    private final RateLimitedLog failureLog = new RateLimitedLog(LOG, 20, Duration.ofMinutes(1));

    /**
     * @param elasticsearchUp cheap probe used before replaying the spool (e.g. cluster health); an
     *                        exception counts as "down"
     */
    public BulkIndexer(RestClient client, Settings settings, DiskSpool spool, BooleanSupplier elasticsearchUp,
                       MetricRegistry metrics) {
        this.client = client;
        this.settings = settings;
        this.spool = spool;
        this.elasticsearchUp = elasticsearchUp;
        this.metrics = metrics;
        this.pool = new DocumentPool(Math.min(4 * settings.maxBytes(), io.hepstack.collector.pipeline.HeapBudget.bytes(0.05)));
        this.epoch = new Epoch(0);
        this.epochs.add(epoch);
        this.buffer = new ArrayBlockingQueue<>(settings.maxOperations() * (settings.maxConcurrentRequests() + 1));
        this.retryPolicy = Backoff.exponential(RetryPolicy.<Void>builder().withMaxRetries(settings.maxRetries()),
                settings.initialBackoff().compareTo(settings.maxBackoff()) < 0 ? settings.initialBackoff() : settings.maxBackoff(),
                settings.maxBackoff()).build();
        this.accepted = metrics.meter("index.accepted");
        this.duplicates = metrics.meter("index.duplicates");
        this.stale = metrics.meter("index.stale_versions");
        this.retried = metrics.meter("index.retried");
        this.spooled = metrics.meter("index.spool.written");
        this.spoolLost = metrics.meter("index.spool.lost");
        this.replayed = metrics.meter("index.spool.replayed");
        this.quarantined = metrics.meter("index.spool.quarantined");
        this.deadLettered = metrics.meter("index.deadletter.written");
        this.deadLetterFailed = metrics.meter("index.deadletter.failed");
        this.requestFailures = metrics.meter("index.request_failures");
        this.contentions = metrics.meter("index.buffer_full_waits");
        this.requestTimer = metrics.timer("index.bulk_requests");
        metrics.gauge("index.in_flight", () -> inFlight::get);
        metrics.gauge("index.buffered", () -> buffer::size);
        metrics.gauge("index.spool.bytes", () -> spool::bytes);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bulk-indexer-retry");
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < settings.maxConcurrentRequests(); i++) {
            Thread t = new Thread(this::sendLoop, "bulk-sender-" + i);
            t.setDaemon(true);
            t.start();
            senders.add(t);
        }
        scheduler.scheduleWithFixedDelay(this::replaySpoolFailsafe, settings.replayInterval().toMillis(),
                settings.replayInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Copies the lent document into an array of the {@link DocumentPool}, which goes back to the pool
     * once the document is stored, spooled or dead-lettered.
     */
    @Override
    public void accept(String index, String id, boolean create, long version, JsonDocument document) {
        byte[] source = pool.take(document.length());
        System.arraycopy(document.bytes(), 0, source, 0, document.length());
        accept(IndexRequest.pooled(index, id, source, document.length(), create, version));
    }

    /** Bytes of document arrays idle in the pool (tests: they come back once their documents are settled). */
    long pooledIdleBytes() {
        return pool.idleBytes();
    }

    @Override
    public void accept(IndexRequest request) {
        if (!accepting) {
            throw new IllegalStateException("indexer is closed");
        }
        accepted.mark();
        Epoch e = epoch;
        e.open.incrementAndGet();
        enqueue(new Pending(request, null, null, e));
    }

    /**
     * Starts a new epoch and returns the number of the one it ends. The pipeline's worker, which also
     * accepts the documents, calls it, so no document slips between the two.
     */
    @Override
    public synchronized long mark() {
        Epoch ended = epoch;
        Epoch next = new Epoch(ended.number + 1);
        epochs.add(next);
        epoch = next;
        return ended.number;
    }

    /** Whether every document accepted up to the epoch {@code mark} ended is stored, spooled or dead-lettered. */
    @Override
    public boolean reached(long mark) {
        for (Epoch e : epochs) {
            if (e.number > mark) {
                return true;
            }
            if (e.open.get() > 0) {
                return false;
            }
            if (e != epoch) {
                epochs.remove(e); // settled for good: nothing is accepted in an ended epoch
            }
        }
        return true;
    }

    private void enqueue(Pending p) {
        inFlight.incrementAndGet();
        if (!buffer.offer(p)) {
            contentions.mark();
            try {
                buffer.put(p);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                toSpool(List.of(p), "interrupted while waiting for buffer space");
            }
        }
    }

    @Override
    public void flush() {
        flushRequested = true;
    }

    /**
     * While not ready (e.g. templates not installed yet because Elasticsearch is unreachable at
     * start-up), batches go to the spool instead of creating indices with the wrong mappings; the
     * spool is replayed once ready.
     */
    public void ready(boolean ready) {
        this.ready = ready;
    }

    /** Documents accepted but not yet stored, failed or spooled. */
    public long inFlight() {
        return inFlight.get();
    }

    public DiskSpool spool() {
        return spool;
    }

    /** Sends what is buffered and waits until nothing is in flight (or the timeout passes). */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            flushRequested = true;
            if (inFlight.get() == 0 && retriesScheduled.get() == 0) {
                return true;
            }
            Thread.sleep(10);
        }
        return inFlight.get() == 0;
    }

    @Override
    public void close() {
        if (!accepting) {
            return;
        }
        accepting = false;
        try {
            // scheduled retries still belong to this run: let them come back into the buffer
            long deadline = System.nanoTime() + settings.maxBackoff().toNanos() * 2;
            while (retriesScheduled.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            stopping = true;
            for (Thread t : senders) {
                t.join(Duration.ofSeconds(120).toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scheduler.shutdownNow();
        List<Pending> left = new ArrayList<>();
        buffer.drainTo(left);
        for (Pending p; (p = deadLetters.poll()) != null; ) {
            left.add(p);
        }
        synchronized (scheduledRetries) { // a retry task that did not run: its document goes to the spool
            for (Pending p : scheduledRetries) {
                retriesScheduled.decrementAndGet();
                left.add(p); // still counted in flight: toSpool settles it
            }
            scheduledRetries.clear();
        }
        if (!left.isEmpty()) {
            toSpool(left, "indexer stopped before they were sent");
        }
    }

    /** Runs one replay pass now (also called periodically). */
    public void replaySpool() throws IOException {
        if (!accepting || !ready || !reachable()) {
            return;
        }
        for (Path segment : spool.segments()) {
            if (replaying.containsKey(segment)) {
                continue;
            }
            DiskSpool.Segment read;
            try {
                read = spool.read(segment);
            } catch (IOException e) {
                read = new DiskSpool.Segment(List.of(), e.toString());
            }
            if (read.damage() != null) {
                Path aside = spool.quarantine(segment);
                quarantined.mark();
                LOG.error("spool segment {} is damaged ({}); moved to {}, its {} intact documents are replayed",
                        segment.getFileName(), read.damage(), aside, read.documents().size());
                if (read.documents().isEmpty()) {
                    continue;
                }
            }
            List<IndexRequest> docs = read.documents();
            if (docs.isEmpty()) {
                spool.delete(segment);
                continue;
            }
            SegmentReplay replay = new SegmentReplay(segment, docs.size());
            replaying.put(segment, replay);
            LOG.info("replaying {} spooled documents from {}", docs.size(), segment.getFileName());
            for (IndexRequest r : docs) {
                replayed.mark();
                enqueue(new Pending(r, replay));
            }
        }
    }

    private boolean reachable() {
        try {
            return elasticsearchUp.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void replaySpoolFailsafe() {
        try {
            replaySpool();
        } catch (Throwable t) {
            LOG.error("spool replay failed", t);
        }
    }

    // ---------------------------------------------------------------- sending

    private void sendLoop() {
        List<Pending> batch = new ArrayList<>(settings.maxOperations());
        BulkBody body = new BulkBody(settings.maxBytes());
        long intervalNanos = settings.flushInterval().toNanos();
        while (true) {
            try {
                Pending first = deadLetters.poll();
                if (first == null) {
                    first = buffer.poll(20, TimeUnit.MILLISECONDS);
                }
                if (first == null) {
                    if (stopping && buffer.isEmpty() && deadLetters.isEmpty()) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                long bytes = first.request().length();
                long deadline = System.nanoTime() + intervalNanos;
                while (batch.size() < settings.maxOperations() && bytes < settings.maxBytes()) {
                    Pending next = buffer.poll();
                    if (next == null) {
                        if (flushRequested || stopping || System.nanoTime() >= deadline) {
                            break;
                        }
                        // sleep a slice, then take what came: a timed poll would wake this thread for
                        // every document the worker hands over at moderate rates (6-8 µs of CPU per
                        // message at 6,000/s, three times what it costs when requests fill at once)
                        LockSupport.parkNanos(Math.min(5_000_000L, Math.max(0, deadline - System.nanoTime())));
                        continue;
                    }
                    batch.add(next);
                    bytes += next.request().length();
                }
                if (buffer.isEmpty()) {
                    flushRequested = false;
                }
                if (ready) {
                    send(batch, body);
                } else {
                    toSpool(new ArrayList<>(batch), "index templates not installed yet");
                }
            } catch (InterruptedException e) {
                if (stopping) {
                    return;
                }
            } catch (Throwable t) { // a sender never dies: whatever it held goes to the spool
                LOG.error("bulk sender failed", t);
                toSpool(batch, t.toString());
            } finally {
                batch.clear();
            }
        }
    }

    private void send(List<Pending> batch, BulkBody body) {
        body.fill(batch, Pending::request);
        Request request = new Request("POST", "/_bulk");
        request.addParameter("filter_path", "errors,items.*.status,items.*.error.type,items.*.error.reason");
        request.setEntity(new ByteArrayEntity(body.bytes(), 0, body.length(), ContentType.APPLICATION_JSON));
        Response response;
        try (Timer.Context ignored = requestTimer.time()) {
            response = client.performRequest(request);
        } catch (ResponseException e) {
            int status = e.getResponse().getStatusLine().getStatusCode();
            if (status == 429 || status >= 500) {
                requestFailures.mark();
                failureLog.error("bulk request of {} documents refused with {}; retrying", batch.size(), status);
                retryOrSpool(batch);
            } else {
                requestFailures.mark();
                failureLog.error("bulk request of {} documents rejected with {}: {}", batch.size(), status, e.getMessage());
                toSpool(batch, "HTTP " + status);
            }
            return;
        } catch (IOException | RuntimeException e) {
            requestFailures.mark();
            failureLog.error("bulk request of {} documents failed: {}", batch.size(), e.toString());
            toSpool(batch, e.getClass().getSimpleName());
            return;
        }
        try (InputStream in = response.getEntity().getContent()) {
            handleItems(batch, in);
        } catch (IOException e) {
            // the request reached Elasticsearch but the answer was lost: resending is safe (deterministic ids)
            failureLog.error("bulk response of {} documents unreadable: {}", batch.size(), e.toString());
            retryOrSpool(batch);
        }
    }

    /**
     * The body of a bulk request, built in one buffer that each sender thread keeps: a request is a
     * few MB (up to {@code maxBytes}), and a new array for each one (twice, with a
     * {@code ByteArrayOutputStream}) was a humongous allocation for G1 at every request, each of which
     * can start a concurrent mark (end to end, the bulk sender allocated more per message than the
     * listener). The request is sent before the buffer is filled again; one that grew past twice
     * {@code maxBytes} (huge documents) is let go afterwards.
     */
    static final class BulkBody {
        private final int keep;
        private byte[] buf;
        private int len;

        BulkBody(long maxBytes) {
            this.keep = (int) Math.min(Integer.MAX_VALUE / 2, 2 * maxBytes);
            this.buf = new byte[(int) Math.min(keep, maxBytes + (maxBytes >> 4))];
        }

        /** The body of {@code batch}'s requests, each an action line and its document. */
        <T> void fill(List<T> batch, java.util.function.Function<T, IndexRequest> request) {
            if (buf.length > keep) {
                buf = new byte[keep / 2];
            }
            len = 0;
            for (T item : batch) {
                IndexRequest r = request.apply(item);
                ascii(r.create() ? "{\"create\":{\"_index\":\"" : "{\"index\":{\"_index\":\"");
                text(r.index(), false);
                ascii("\",\"_id\":\"");
                text(r.id(), true);
                write('"');
                if (!r.create() && r.externalVersion() >= 0) {
                    ascii(",\"version\":");
                    ascii(Long.toString(r.externalVersion()));
                    ascii(",\"version_type\":\"external\"");
                }
                ascii("}}\n");
                ensure(r.length() + 1);
                System.arraycopy(r.source(), 0, buf, len, r.length());
                len += r.length();
                buf[len++] = '\n';
            }
        }

        byte[] bytes() {
            return buf;
        }

        int length() {
            return len;
        }

        /** Fixed text: ASCII by construction. */
        private void ascii(String s) {
            ensure(s.length());
            for (int i = 0; i < s.length(); i++) {
                buf[len++] = (byte) s.charAt(i);
            }
        }

        /** An index name or a document id (escaped as a JSON string's content): ours are plain ASCII, anything else goes the long way. */
        private void text(String s, boolean escape) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
                    StringBuilder sb = new StringBuilder(s.length() + 8);
                    if (escape) {
                        appendEscaped(sb, s);
                    } else {
                        sb.append(s);
                    }
                    byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
                    ensure(b.length);
                    System.arraycopy(b, 0, buf, len, b.length);
                    len += b.length;
                    return;
                }
            }
            ascii(s);
        }

        private void write(int b) {
            ensure(1);
            buf[len++] = (byte) b;
        }

        private void ensure(int n) {
            if (len + n > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
            }
        }
    }

    private static void appendEscaped(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
    }

    /** Walks {@code items[]} of the bulk answer; item i answers document i. */
    /**
     * Settles each document as its item of the answer says. An answer that breaks off after some
     * items (a truncated or malformed response) is not an {@link IOException} for the caller, which
     * would resend the whole batch: the documents already settled (stored, dead-lettered) would be
     * settled twice, miscounting the marks the write-ahead buffer waits for and, once its array went
     * back to the {@link DocumentPool}, letting a later document overwrite one still to be sent. Only
     * what was not answered is resent.
     */
    private void handleItems(List<Pending> batch, InputStream in) throws IOException {
        List<Pending> retry = new ArrayList<>();
        int[] seen = {0};
        try {
            readItems(batch, in, retry, seen);
        } catch (IOException | RuntimeException e) {
            if (seen[0] == 0 && retry.isEmpty()) {
                throw e instanceof IOException io ? io : new IOException(e); // nothing settled: the caller resends them all
            }
            LOG.error("bulk answer broke off after {} of {} documents ({}); resending the rest", seen[0], batch.size(), e.toString());
        }
        if (seen[0] < batch.size()) {
            if (seen[0] > 0) {
                LOG.error("bulk answer covered {} of {} documents; resending the rest", seen[0], batch.size());
            }
            retry.addAll(batch.subList(seen[0], batch.size())); // ids are deterministic: resending is safe
        }
        if (!retry.isEmpty()) {
            retryOrSpool(retry, "still refused after " + settings.maxRetries() + " retries");
        }
    }

    private void readItems(List<Pending> batch, InputStream in, List<Pending> retry, int[] seen) throws IOException {
        try (JsonParser p = JSON.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("bulk answer is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (!"items".equals(field)) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.START_OBJECT) { // one item: {"create": {...}}
                    p.nextToken(); // op name
                    p.nextToken(); // START_OBJECT of the result
                    int status = 0;
                    String errorType = null;
                    String errorReason = null;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        p.nextToken();
                        if ("status".equals(name)) {
                            status = p.getIntValue();
                        } else if ("error".equals(name) && p.currentToken() == JsonToken.START_OBJECT) {
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String en = p.currentName();
                                p.nextToken();
                                if ("type".equals(en)) {
                                    errorType = p.getText();
                                } else if ("reason".equals(en)) {
                                    errorReason = p.getText();
                                } else {
                                    p.skipChildren();
                                }
                            }
                        } else {
                            p.skipChildren();
                        }
                    }
                    p.nextToken(); // END_OBJECT of the item
                    if (seen[0] >= batch.size()) {
                        throw new IOException("bulk answer has more items than the request");
                    }
                    Pending doc = batch.get(seen[0]);
                    seen[0]++; // counted before it is settled: whatever happens next, it is not resent
                    classify(doc, status, errorType, errorReason, retry);
                }
            }
        }
    }

    private void classify(Pending doc, int status, String errorType, String errorReason,
                          List<Pending> retry) {
        String family = doc.request().family();
        if (status >= 200 && status < 300) {
            metrics.meter("index." + family + ".indexed").mark();
            settle(doc);
        } else if (status == 409) {
            (doc.request().create() ? duplicates : stale).mark();
            settle(doc);
        } else if (status == 429 || status >= 500) {
            retry.add(doc); // retryOrSpool asks the retry policy
        } else {
            metrics.meter("index." + family + ".failed").mark();
            failureLog.error("document {} in {} rejected ({} {}): {}; kept in the dead-letter index", doc.request().id(),
                    doc.request().index(), status, errorType, errorReason);
            deadLetter(doc, status, errorType, errorReason);
            settle(doc);
        }
    }

    /** Accepted means stored: a refused document goes to the dead-letter index (a refused dead letter is only counted). */
    private void deadLetter(Pending doc, int status, String errorType, String errorReason) {
        if (DeadLetters.isDeadLetter(doc.request())) {
            deadLetterFailed.mark();
            return;
        }
        deadLettered.mark();
        inFlight.incrementAndGet();
        if (doc.epoch() != null) {
            doc.epoch().open.incrementAndGet(); // its epoch is settled once the dead letter is
        }
        // not through the buffer: a sender must never block on the buffer it drains; the senders take these first
        deadLetters.add(new Pending(DeadLetters.of(doc.request(), status, errorType, errorReason, Instant.now()), null, null,
                doc.epoch()));
    }

    private void retryOrSpool(List<Pending> docs) {
        retryOrSpool(docs, "out of retries");
    }

    /**
     * Sends each document again after the delay its Failsafe execution gives, on the sender threads
     * (re-enqueued by the scheduler); those whose retries are used up go to the spool. Documents
     * due at the same delay (those of one refused request: same attempt) go back together, in
     * order, from one scheduled task, so they travel in one request again rather than in as many
     * as the sender happens to wake for.
     */
    private void retryOrSpool(List<Pending> docs, String exhaustedReason) {
        List<Pending> exhausted = new ArrayList<>();
        Map<Long, List<Pending>> byDelay = new LinkedHashMap<>();
        for (Pending p : docs) {
            Execution<Void> execution = p.retries() != null ? p.retries() : Execution.of(retryPolicy);
            execution.recordException(REFUSED);
            if (execution.isComplete()) {
                exhausted.add(p);
                continue;
            }
            byDelay.computeIfAbsent(execution.getDelay().toMillis(), d -> new ArrayList<>())
                    .add(new Pending(p.request(), p.segment(), execution, p.epoch()));
        }
        for (Map.Entry<Long, List<Pending>> due : byDelay.entrySet()) {
            List<Pending> group = due.getValue();
            retried.mark(group.size());
            retriesScheduled.addAndGet(group.size());
            scheduledRetries.addAll(group);
            try {
                scheduler.schedule(() -> {
                    for (Pending p : group) {
                        synchronized (scheduledRetries) {
                            if (!scheduledRetries.remove(p)) {
                                continue; // close() spooled it already
                            }
                        }
                        try {
                            inFlight.decrementAndGet(); // enqueue() counts it again
                            enqueue(new Pending(p.request().retried(), p.segment(), p.retries(), p.epoch()));
                        } finally {
                            retriesScheduled.decrementAndGet();
                        }
                    }
                }, due.getKey(), TimeUnit.MILLISECONDS);
            } catch (RuntimeException rejected) { // scheduler stopped
                scheduledRetries.removeAll(group);
                retriesScheduled.addAndGet(-group.size());
                exhausted.addAll(group);
            }
        }
        if (!exhausted.isEmpty()) {
            toSpool(exhausted, exhaustedReason);
        }
    }

    private void settle(Pending p) {
        if (p.request().pooled()) {
            pool.give(p.request().source()); // stored, spooled or dead-lettered: nothing reads it any more
        }
        inFlight.decrementAndGet();
        if (p.epoch() != null) {
            p.epoch().open.decrementAndGet();
        }
        if (p.segment() != null) {
            p.segment().settled();
        }
    }

    private void toSpool(List<Pending> batch, String why) {
        if (batch.isEmpty()) {
            return;
        }
        List<IndexRequest> reqs = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            reqs.add(p.request());
        }
        if (spool.append(reqs)) {
            spooled.mark(reqs.size());
            LOG.warn("{} documents spooled to {} ({})", reqs.size(), spool.dir(), why);
        } else {
            spoolLost.mark(reqs.size());
            for (IndexRequest r : reqs) { // per family too: lost messages are not lost TDR upserts
                metrics.meter("index." + r.family() + ".spool_lost").mark();
            }
            LOG.error("{} documents LOST: the spool refused them ({})", reqs.size(), why);
        }
        batch.forEach(this::settle);
    }
}
