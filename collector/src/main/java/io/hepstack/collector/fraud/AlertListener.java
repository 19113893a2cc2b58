package io.hepstack.collector.fraud;

/**
 * Receives alerts from the {@link FraudEngine}: a new alert (count 1) and later versions of the same
 * alert (same {@link Alert#id()}, higher count), so a store that upserts by id keeps the latest.
 *
 * <p>Called on the thread that fed the engine, one alert at a time and in order, outside the engine's
 * state lock. Implementations must not block (queue the work); an exception is logged and counted,
 * never thrown back into the pipeline.
 */
@FunctionalInterface
public interface AlertListener {
    void onAlert(Alert alert);
}
