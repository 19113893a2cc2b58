package io.hepstack.enricher.dnsbl;

import io.hepstack.enricher.net.IpAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Asynchronous DNSBL checks. {@link #check} never blocks: it answers from the cache, or returns
 * {@link DnsblResult#UNKNOWN} and schedules a lookup on a small bounded pool. Answers are cached for
 * {@code ttl}, failures for {@code errorTtl} (as UNKNOWN), so a dead DNS server costs one query per
 * address per {@code errorTtl}, never the caller's time.
 */
public final class Dnsbl implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Dnsbl.class);

    private final List<String> zones;
    private final DnsResolver resolver;
    private final Duration ttl;
    private final Duration errorTtl;
    private final int cacheSize;
    private final Clock clock;
    private final ThreadPoolExecutor pool;
    private final ConcurrentHashMap<IpAddress, Entry> cache = new ConcurrentHashMap<>();
    private final LongAdder lookups = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder dropped = new LongAdder();

    private record Entry(DnsblResult result, Instant expires, boolean pending) {
    }

    public Dnsbl(List<String> zones, DnsResolver resolver, Duration ttl, Duration errorTtl, int maxConcurrent,
                 int maxQueued, int cacheSize, Clock clock) {
        if (zones == null || zones.isEmpty()) {
            throw new IllegalArgumentException("dnsbl needs at least one zone");
        }
        if (maxConcurrent < 1 || maxQueued < 0 || cacheSize < 1) {
            throw new IllegalArgumentException("dnsbl maxConcurrent >= 1, maxQueued >= 0, cacheSize >= 1: "
                    + maxConcurrent + ", " + maxQueued + ", " + cacheSize);
        }
        this.zones = List.copyOf(zones);
        this.resolver = resolver;
        this.ttl = ttl;
        this.errorTtl = errorTtl;
        this.cacheSize = cacheSize;
        this.clock = clock;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(maxConcurrent, maxConcurrent, 30, TimeUnit.SECONDS,
                maxQueued == 0 ? new java.util.concurrent.SynchronousQueue<>() : new ArrayBlockingQueue<>(maxQueued),
                r -> {
                    Thread t = new Thread(r, "dnsbl-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
    }

    /** The cached answer for {@code a}, or UNKNOWN (and a lookup is scheduled). Never blocks. */
    public DnsblResult check(IpAddress a) {
        Instant now = clock.instant();
        Entry e = cache.get(a);
        if (e != null && (e.pending || now.isBefore(e.expires))) {
            return e.result;
        }
        if (e == null && cache.size() >= cacheSize) {
            evictExpired(now);
            if (cache.size() >= cacheSize) {
                dropped.increment();
                return DnsblResult.UNKNOWN;
            }
        }
        Entry pending = new Entry(e == null ? DnsblResult.UNKNOWN : e.result, now, true);
        boolean mine = e == null ? cache.putIfAbsent(a, pending) == null : cache.replace(a, e, pending);
        if (mine) {
            try {
                pool.execute(() -> lookup(a));
            } catch (RejectedExecutionException full) {
                dropped.increment();
                cache.remove(a, pending);
            }
        }
        return pending.result;
    }

    private void lookup(IpAddress a) {
        lookups.increment();
        String reversed = reverse(a);
        List<String> listedIn = new ArrayList<>();
        List<String> answers = new ArrayList<>();
        try {
            for (String zone : zones) {
                List<String> r = resolver.lookupA(reversed + "." + zone);
                if (!r.isEmpty()) {
                    listedIn.add(zone);
                    answers.add(r.get(0));
                }
            }
        } catch (Exception ex) { // timeouts, SERVFAIL: unknown for errorTtl
            failures.increment();
            LOG.debug("dnsbl lookup of {} failed: {}", a, ex.toString());
            cache.put(a, new Entry(DnsblResult.UNKNOWN, clock.instant().plus(errorTtl), false));
            return;
        }
        DnsblResult result = listedIn.isEmpty() ? DnsblResult.NOT_LISTED
                : new DnsblResult(DnsblResult.Status.LISTED, List.copyOf(listedIn), List.copyOf(answers));
        cache.put(a, new Entry(result, clock.instant().plus(ttl), false));
    }

    private void evictExpired(Instant now) {
        cache.entrySet().removeIf(x -> !x.getValue().pending && !now.isBefore(x.getValue().expires));
    }

    /** "4.3.2.1" for 1.2.3.4; 32 reversed nibbles for IPv6 (RFC 5782). */
    static String reverse(IpAddress a) {
        StringBuilder sb = new StringBuilder(64);
        if (a.isV4()) {
            long v = a.lo();
            return (v & 0xFF) + "." + ((v >>> 8) & 0xFF) + "." + ((v >>> 16) & 0xFF) + "." + (v >>> 24);
        }
        for (int i = 0; i < 16; i++) {
            sb.append(Character.forDigit((int) ((a.lo() >>> (4 * i)) & 0xF), 16)).append('.');
        }
        for (int i = 0; i < 16; i++) {
            sb.append(Character.forDigit((int) ((a.hi() >>> (4 * i)) & 0xF), 16)).append('.');
        }
        sb.setLength(sb.length() - 1);
        return sb.toString();
    }

    public long lookups() {
        return lookups.sum();
    }

    public long failures() {
        return failures.sum();
    }

    /** Checks not scheduled because the queue or the cache was full. */
    public long dropped() {
        return dropped.sum();
    }

    public int inFlight() {
        return pool.getActiveCount();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
