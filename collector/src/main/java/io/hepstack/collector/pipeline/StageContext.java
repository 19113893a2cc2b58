package io.hepstack.collector.pipeline;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the pipeline gives every stage: its id, a metric namespace named after it and a logger.
 * Every counter a stage (or a part it builds) keeps is made here, so it reaches {@code /metrics}
 * and {@code /prometheus} by construction: {@code meter("tdr.written")} in the stage "correlate"
 * is {@code correlate.tdr.written}.
 */
public final class StageContext {

    private final String id;
    private final MetricRegistry registry;
    private final Logger log;

    public StageContext(String id, MetricRegistry registry) {
        if (id == null || !id.matches("[a-z][a-z0-9_.-]*")) {
            throw new IllegalArgumentException("stage id must be lower-case letters, digits, '_', '-' or '.': " + id);
        }
        this.id = id;
        this.registry = Objects.requireNonNull(registry, "registry");
        this.log = LoggerFactory.getLogger("io.hepstack.collector.stage." + id);
    }

    public String id() {
        return id;
    }

    public Logger log() {
        return log;
    }

    /** The full metric name: {@code <id>.<name>}. */
    public String name(String name) {
        return id + "." + name;
    }

    public Meter meter(String name) {
        return registry.meter(name(name));
    }

    public Counter counter(String name) {
        return registry.counter(name(name));
    }

    public Timer timer(String name) {
        return registry.timer(name(name));
    }

    /** Registers (or finds) a gauge; {@code value} is read on every scrape, from another thread. */
    @SuppressWarnings("unchecked")
    public <T> Gauge<T> gauge(String name, Supplier<T> value) {
        return registry.gauge(name(name), () -> value::get);
    }

    /** A context for a part of this stage, named {@code <id>.<part>} (e.g. "fraud.webhooks"). */
    public StageContext child(String part) {
        return new StageContext(name(part), registry);
    }

    /** The registry itself, for parts that register their own metrics under {@link #id()}. */
    public MetricRegistry registry() {
        return registry;
    }
}
