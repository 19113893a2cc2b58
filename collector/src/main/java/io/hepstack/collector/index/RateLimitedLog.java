package io.hepstack.collector.index;

import org.slf4j.Logger;

import java.time.Duration;

/** Logs at most {@code limit} messages per period, then one summary of how many were suppressed. */
final class RateLimitedLog {

    private final Logger log;
    private final int limit;
    private final long periodNanos;
    private long windowStart = System.nanoTime();
    private int inWindow;
    private long suppressed;

    RateLimitedLog(Logger log, int limit, Duration period) {
        this.log = log;
        this.limit = limit;
        this.periodNanos = period.toNanos();
    }

    synchronized void error(String format, Object... args) {
        long now = System.nanoTime();
        if (now - windowStart > periodNanos) {
            if (suppressed > 0) {
                log.error("... {} similar messages suppressed", suppressed);
            }
            windowStart = now;
            inWindow = 0;
            suppressed = 0;
        }
        if (inWindow++ < limit) {
            log.error(format, args);
        } else {
            suppressed++;
        }
    }
}
