package io.hepstack.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * CPU time of the benchmark thread per operation over the measurement iterations: what one
 * operation costs on one core whatever else the machine runs (a shared 2-core machine hands a
 * busy benchmark thread only part of a core, which lowers ops/s but not CPU time per operation).
 * {@link #messagesPerCpuSecond()} is then the "ops/s per core" the targets speak of.
 */
final class CpuPerOperation {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private long startCpu;
    private long startWall;
    private long startOps;
    private long cpuNanos;
    private long wallNanos;
    private long operations;

    /** Call at the start of every iteration, on the benchmark thread, with the operations counted so far. */
    void iterationStarts(long opsSoFar) {
        startCpu = THREADS.getCurrentThreadCpuTime();
        startWall = System.nanoTime();
        startOps = opsSoFar;
    }

    /** Call at the end of every iteration, on the benchmark thread; only measurement iterations count. */
    void iterationEnds(IterationParams params, long opsSoFar) {
        if (params.getType() != IterationType.MEASUREMENT) {
            return;
        }
        cpuNanos += THREADS.getCurrentThreadCpuTime() - startCpu;
        wallNanos += System.nanoTime() - startWall;
        operations += opsSoFar - startOps;
    }

    double microsPerOperation() {
        return operations == 0 ? Double.NaN : cpuNanos / 1000.0 / operations;
    }

    double messagesPerCpuSecond() {
        return cpuNanos == 0 ? Double.NaN : operations * 1e9 / cpuNanos;
    }

    /** Share of the wall time the thread was on a CPU: well below 1 means the machine was busy. */
    double onCpuShare() {
        return wallNanos == 0 ? Double.NaN : (double) cpuNanos / wallNanos;
    }

    String report(String what) {
        return String.format("[cpu] %s: %.2f us CPU per operation = %.0f operations per CPU-second "
                + "(thread on CPU %.0f%% of the measured time; %d operations)", what, microsPerOperation(),
                messagesPerCpuSecond(), 100 * onCpuShare(), operations);
    }
}
