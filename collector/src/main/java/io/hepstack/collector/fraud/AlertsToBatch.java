package io.hepstack.collector.fraud;

import io.hepstack.collector.pipeline.Batch;


/**
 * The fraud engine's listener that puts alerts on the batch the fraud stage is working on, so the
 * index stage stores them like everything else (no side channel to the sink). The engine calls
 * listeners on the feeding thread, which is the pipeline worker during {@link FraudStage#process}
 * and {@link FraudStage#tick}; an alert raised at any other time waits for the next batch.
 */
public final class AlertsToBatch implements AlertListener {

    /** Alerts raised outside a batch wait at most this many (the oldest are dropped and counted). */
    static final int MAX_WAITING = 10_000;

    private Batch target;
    private final java.util.ArrayDeque<Alert> waiting = new java.util.ArrayDeque<>();
    private long dropped;

    @Override
    public synchronized void onAlert(Alert alert) {
        if (target != null) {
            target.emit(new AlertEvent(alert));
        } else {
            if (waiting.size() == MAX_WAITING) {
                waiting.removeFirst();
                dropped++;
            }
            waiting.addLast(alert);
        }
    }

    /** Alerts go into {@code batch} from now on (and those that waited, now). */
    synchronized void into(Batch batch) {
        target = batch;
        for (Alert a : waiting) {
            batch.emit(new AlertEvent(a));
        }
        waiting.clear();
    }

    synchronized void detach() {
        target = null;
    }

    /** Alerts dropped while waiting for a batch (more than {@link #MAX_WAITING} outside the pipeline). */
    public synchronized long dropped() {
        return dropped;
    }
}
