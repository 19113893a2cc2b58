package io.hepstack.collector.health;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.health.HealthCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The one loss the collector cannot prevent: datagrams the kernel dropped because a UDP socket's
 * receive buffer was full (the listener did not read fast enough). Linux counts them per socket in
 * the last column ("drops") of {@code /proc/net/udp} and {@code /proc/net/udp6}; this sums the
 * sockets bound to the listener's port (several with SO_REUSEPORT) and reports it as the gauge
 * {@code hep.udp.kernel_drops}, a warning in the log when it grows (checked every
 * {@code interval}), and this health check, unhealthy while drops were seen in the last minute.
 * Where there is no {@code /proc} (not Linux) the counter stays at -1 and the check is healthy.
 */
public final class UdpKernelDrops extends HealthCheck implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UdpKernelDrops.class);
    private static final List<Path> TABLES = List.of(Path.of("/proc/net/udp"), Path.of("/proc/net/udp6"));
    private static final long RECENT_NANOS = 60_000_000_000L;

    private final IntSupplier port;
    private final ScheduledExecutorService poller;
    private volatile long total = -1;
    private volatile long lastIncreaseNanos;
    private volatile long lastIncrease;

    /** @param port the listener's bound UDP port (asked each time: it is known only once bound) */
    public UdpKernelDrops(IntSupplier port, MetricRegistry metrics, java.time.Duration interval) {
        this.port = port;
        metrics.gauge("hep.udp.kernel_drops", () -> () -> total);
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "udp-kernel-drops");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sum of the drops column of the rows of {@code table} whose local port is {@code port}. */
    static long drops(List<String> table, int port) {
        long sum = 0;
        String hexPort = String.format(":%04X", port);
        for (String row : table) {
            String[] cols = row.trim().split("\\s+");
            if (cols.length < 13 || !cols[1].endsWith(hexPort)) {
                continue; // the header, or another socket
            }
            try {
                sum += Long.parseLong(cols[cols.length - 1]);
            } catch (NumberFormatException ignored) {
                // not a socket row
            }
        }
        return sum;
    }

    /** The current drop count of the listener's sockets, or -1 when it cannot be read. */
    long read() {
        int p = port.getAsInt();
        if (p <= 0) {
            return -1;
        }
        long sum = 0;
        boolean any = false;
        for (Path table : TABLES) {
            try {
                sum += drops(Files.readAllLines(table), p);
                any = true;
            } catch (IOException | UnsupportedOperationException e) {
                // no IPv6, or not Linux
            }
        }
        return any ? sum : -1;
    }

    void poll() {
        try {
            long now = read();
            long before = total;
            if (before >= 0 && now > before) {
                lastIncrease = now - before;
                lastIncreaseNanos = System.nanoTime();
                LOG.warn("the kernel dropped {} HEP datagrams on UDP port {} (socket receive buffer full; {} in total):"
                        + " raise hep.udp.receiveBufferBytes / net.core.rmem_max or hep.udp.threads", now - before, port.getAsInt(), now);
            }
            total = now;
        } catch (RuntimeException e) {
            LOG.debug("reading the UDP drop counters failed", e);
        }
    }

    public long total() {
        return total;
    }

    @Override
    protected Result check() {
        if (total > 0 && System.nanoTime() - lastIncreaseNanos < RECENT_NANOS) {
            return Result.unhealthy("the kernel dropped " + lastIncrease + " HEP datagrams on UDP port " + port.getAsInt()
                    + " within the last minute (" + total + " since start of the socket)");
        }
        return Result.builder().healthy().withDetail("kernel_drops", total).build();
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
