package io.hepstack.tools.hepgen;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * The {@code replay} command's progress on stderr: on a terminal one line rewritten in place a few
 * times a second ({@code \r}); in a log (stderr not a terminal) a line every {@link #LOG_EVERY_NANOS}.
 * Stdout keeps only the summary, so scripts reading it are not disturbed.
 */
final class ReplayProgress {

    static final long TTY_EVERY_NANOS = 200_000_000L;
    static final long LOG_EVERY_NANOS = 10_000_000_000L;

    private final PrintStream out;
    private final long total;
    private final boolean terminal;
    private final LongSupplier clock;
    private final long start;
    private long last;
    private long sent;

    ReplayProgress(PrintStream out, long total, boolean terminal, LongSupplier nanoClock) {
        this.out = out;
        this.total = total;
        this.terminal = terminal;
        this.clock = nanoClock;
        this.start = nanoClock.getAsLong();
        this.last = start;
    }

    /** On stderr; a terminal when the JVM has a console (stdin and stdout attached to one). */
    static ReplayProgress onStderr(long total) {
        return new ReplayProgress(System.err, total, System.console() != null, System::nanoTime);
    }

    static ReplayProgress silent() {
        return new ReplayProgress(null, 0, false, System::nanoTime);
    }

    /** {@code n} packets sent so far. */
    void sent(long n) {
        sent = n;
        if (out == null) {
            return;
        }
        long now = clock.getAsLong();
        if (now - last >= (terminal ? TTY_EVERY_NANOS : LOG_EVERY_NANOS)) {
            last = now;
            print(now, false);
        }
    }

    void done() {
        if (out != null && (terminal || sent > 0 && clock.getAsLong() - start >= LOG_EVERY_NANOS)) {
            print(clock.getAsLong(), true);
        }
    }

    private void print(long now, boolean last) {
        double secs = Math.max(1e-9, (now - start) / 1e9);
        String line = String.format(java.util.Locale.ROOT, "replay: %d/%d packets (%d%%), %.0f packets/s", sent, total,
                total == 0 ? 100 : sent * 100 / total, sent / secs);
        if (terminal) {
            out.print("\r" + line + (last ? "\n" : ""));
        } else {
            out.println(line);
        }
        out.flush();
    }
}
