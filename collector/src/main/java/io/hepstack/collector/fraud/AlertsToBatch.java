package io.hepstack.collector.fraud;

import io.hepstack.collector.pipeline.Batch;

import java.util.ArrayList;
import java.util.List;

/**
 * The fraud engine's listener that puts alerts on the batch the fraud stage is working on, so the
 * index stage stores them like everything else (no side channel to the sink). The engine calls
 * listeners on the feeding thread, which is the pipeline worker during {@link FraudStage#process}
 * and {@link FraudStage#tick}; an alert raised at any other time waits for the next batch.
 */
public final class AlertsToBatch implements AlertListener {

    private Batch target;
    private final List<Alert> waiting = new ArrayList<>();

    @Override
    public synchronized void onAlert(Alert alert) {
        if (target != null) {
            target.emit(new AlertEvent(alert));
        } else {
            waiting.add(alert);
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
}
