package io.hepstack.collector.fraud;

import io.hepstack.collector.fraud.rules.Checks;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Helpers shared by the checks: sliding windows sized from their configuration, and alert text. */
final class CheckSupport {

    static final long MICROS = 1_000_000L;

    private CheckSupport() {
    }

    /** {@code w} if it still fits the check's window and highest threshold, else a new window. */
    static EventWindow window(EventWindow w, Checks.Count c) {
        int capacity = (int) Math.max(1, Math.ceil(c.threshold().max()));
        return w != null && w.fits(c.windowSeconds(), capacity) ? w : new EventWindow(c.windowSeconds(), capacity);
    }

    /** {@code c} if it still has the configured window, else a new counter. */
    static SlidingCounter counter(SlidingCounter c, long windowSeconds) {
        return c != null && c.windowSeconds() == windowSeconds ? c : new SlidingCounter(windowSeconds);
    }

    static int count(EventWindow w) {
        return w == null ? 0 : w.size();
    }

    static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }

    static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return BigDecimal.valueOf(v).setScale(4, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    /** "1 call", "5 calls": alert summaries are read by people. */
    static String calls(long n) {
        return n == 1 ? "1 call" : n + " calls";
    }

    static String span(long seconds) {
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + " d";
        }
        if (seconds % 3600 == 0) {
            return seconds / 3600 + " h";
        }
        if (seconds % 60 == 0 && seconds >= 120) {
            return seconds / 60 + " min";
        }
        return seconds + " s";
    }
}
