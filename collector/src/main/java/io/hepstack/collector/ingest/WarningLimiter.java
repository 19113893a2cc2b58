package io.hepstack.collector.ingest;

import org.slf4j.Logger;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hostile or broken senders can cause a warning per packet or per connection; this logs at most
 * one line per kind of warning per period and says how many were left out meanwhile (they are
 * all counted by metrics). The kinds are a fixed set of names given by the code, never input.
 * Thread-safe: called from every event loop.
 */
final class WarningLimiter {

    private static final long PERIOD_NANOS = 10_000_000_000L;

    private final Logger log;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    private static final class Window {
        final AtomicLong last = new AtomicLong(System.nanoTime() - 2 * PERIOD_NANOS);
        final AtomicLong suppressed = new AtomicLong();
    }

    WarningLimiter(Logger log) {
        this.log = log;
    }

    /** Logs {@code format} at WARN unless this kind was logged in the last 10 s. */
    void warn(String kind, String format, Object... args) {
        Window w = windows.computeIfAbsent(kind, k -> new Window());
        long now = System.nanoTime();
        long prev = w.last.get();
        if (now - prev < PERIOD_NANOS || !w.last.compareAndSet(prev, now)) {
            w.suppressed.incrementAndGet();
            return;
        }
        long left = w.suppressed.getAndSet(0);
        if (left > 0) {
            log.warn(format + " [and {} more {} in the last 10 s, counted in the metrics]", append(args, left, kind));
        } else {
            log.warn(format, args);
        }
    }

    private static Object[] append(Object[] args, Object... more) {
        Object[] out = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, out, args.length, more.length);
        return out;
    }
}
