package io.hepstack.tools.hepgen;

/**
 * Paces sends to a target rate: packet {@code i} (0-based) is due {@code i / rate} seconds after
 * the first, computed from the start every time, so rounding never accumulates and the average
 * rate over a run is exact. A sender that falls behind (a slow socket, a stall of the machine)
 * catches up at full speed: the bucket's depth is unbounded, which keeps the count per elapsed
 * time exact at the price of a burst after a stall; {@link #maxLagNanos()} says how far behind
 * it ever was.
 *
 * <p>The clock and the wait are {@link Clock} so tests can drive time. Not thread-safe.
 */
public final class Pacer {

    /** Nanosecond time and a way to wait, {@link System#nanoTime()} and parking in production. */
    public interface Clock {
        long nanoTime();

        /** Waits about {@code nanos} (may return early or late). */
        void sleep(long nanos) throws InterruptedException;

        Clock SYSTEM = new Clock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleep(long nanos) throws InterruptedException {
                java.util.concurrent.locks.LockSupport.parkNanos(nanos);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        };
    }

    private final double packetsPerSecond;
    private final Clock clock;
    private long startNanos;
    private boolean started;
    private long maxLagNanos;

    /**
     * @param packetsPerSecond the target rate; 0 for no pacing (as fast as possible)
     */
    public Pacer(double packetsPerSecond, Clock clock) {
        if (!(packetsPerSecond >= 0) || Double.isInfinite(packetsPerSecond)) {
            throw new IllegalArgumentException("packetsPerSecond must be >= 0 (0 = unpaced): " + packetsPerSecond);
        }
        if (clock == null) {
            throw new IllegalArgumentException("clock must not be null");
        }
        this.packetsPerSecond = packetsPerSecond;
        this.clock = clock;
    }

    /** Starts the schedule now (the first call of {@link #dueNanos(long)} does it otherwise). */
    public void start() {
        startNanos = clock.nanoTime();
        started = true;
    }

    public long startNanos() {
        return startNanos;
    }

    /** When packet {@code i} is due, on the clock's scale. */
    public long dueNanos(long i) {
        if (!started) {
            start();
        }
        // i × 1e9 first: exact up to 9e6 packets, so whole-second due times come out exact
        return startNanos + (long) Math.floor(i * 1e9 / packetsPerSecond);
    }

    /** Nanoseconds until packet {@code i} is due (negative: overdue), recording the lag. */
    public long untilDue(long i) {
        long wait = dueNanos(i) - clock.nanoTime();
        if (-wait > maxLagNanos) {
            maxLagNanos = -wait;
        }
        return wait;
    }

    /** Blocks until packet {@code i} is due; returns at once when it is already. */
    public void await(long i) throws InterruptedException {
        awaitNanos(dueNanos(i));
    }

    /** Blocks until the clock reaches {@code due}. */
    public void awaitNanos(long due) throws InterruptedException {
        long wait;
        while ((wait = due - clock.nanoTime()) > 0) {
            clock.sleep(wait);
        }
        if (-wait > maxLagNanos) {
            maxLagNanos = -wait;
        }
    }

    /** True when no pacing is done. */
    public boolean unpaced() {
        return packetsPerSecond == 0;
    }

    public Clock clock() {
        return clock;
    }

    /** The most a packet was sent after its due time. */
    public long maxLagNanos() {
        return maxLagNanos;
    }
}
