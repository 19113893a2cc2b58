package io.hepstack.collector.fraud;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Publishes a {@link FraudEngine}'s counters ({@link FraudMetrics}) in a Dropwizard
 * {@link MetricRegistry}: one gauge per counter, read from a fresh {@link FraudEngine#metrics()}
 * snapshot on each scrape (thread-safe, nothing done per event), plus the created alerts per rule and
 * per rule and severity. Every component of {@link FraudMetrics} must have a name here: registering
 * fails otherwise, so a new counter cannot be forgotten.
 */
final class FraudEngineMetrics {

    /** The name after the prefix of each {@link FraudMetrics} component, and how to read it. */
    private static final Map<String, Reading> READINGS = new LinkedHashMap<>();

    private record Reading(String name, ToLongFunction<FraudMetrics> value) {
    }

    static {
        reading("callsStarted", "calls.started", FraudMetrics::callsStarted);
        reading("callsAnswered", "calls.answered", FraudMetrics::callsAnswered);
        reading("callsEnded", "calls.ended", FraudMetrics::callsEnded);
        reading("sipSeen", "sip.seen", FraudMetrics::sipSeen);
        reading("ticks", "ticks", FraudMetrics::ticks);
        reading("alertsCreated", "alerts.raised", FraudMetrics::alertsCreatedTotal); // + per rule, below
        reading("alertUpdates", "alerts.updates", FraudMetrics::alertUpdates);
        reading("alertsPublished", "alerts.published", FraudMetrics::alertsPublished);
        reading("liveUsers", "users.live", FraudMetrics::liveUsers);
        reading("liveSources", "sources.live", FraudMetrics::liveSources);
        reading("liveCalls", "calls.live", FraudMetrics::liveCalls);
        reading("openAlerts", "alerts.open", FraudMetrics::openAlerts);
        reading("expiredUsers", "users.expired", FraudMetrics::expiredUsers);
        reading("evictedUsers", "users.evicted", FraudMetrics::evictedUsers);
        reading("expiredSources", "sources.expired", FraudMetrics::expiredSources);
        reading("evictedSources", "sources.evicted", FraudMetrics::evictedSources);
        reading("expiredCalls", "calls.expired", FraudMetrics::expiredCalls);
        reading("unknownCalls", "calls.unknown", FraudMetrics::unknownCalls);
        reading("duplicateStarts", "calls.duplicate_starts", FraudMetrics::duplicateStarts);
        reading("costSkipped", "cost.skipped", FraudMetrics::costSkipped);
        reading("listenerErrors", "listener.errors", FraudMetrics::listenerErrors);
        reading("configVersion", "config.version", FraudMetrics::configVersion);
    }

    private FraudEngineMetrics() {
    }

    private static void reading(String component, String name, ToLongFunction<FraudMetrics> value) {
        READINGS.put(component, new Reading(name, value));
    }

    /** The metric name (without prefix) of a {@link FraudMetrics} component, or null when it has none. */
    static String nameOf(String component) {
        Reading r = READINGS.get(component);
        return r == null ? null : r.name();
    }

    /**
     * Registers the gauges as {@code prefix.<name>}, replacing metrics of the same names (e.g. those of
     * an earlier engine). Returns the names registered.
     *
     * @throws IllegalStateException when a {@link FraudMetrics} component has no metric name
     */
    static List<String> register(MetricRegistry registry, String prefix, Supplier<FraudMetrics> source) {
        List<String> missing = new ArrayList<>();
        for (RecordComponent c : FraudMetrics.class.getRecordComponents()) {
            if (!READINGS.containsKey(c.getName())) {
                missing.add(c.getName());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("FraudMetrics components without a metric name: " + missing);
        }
        List<String> names = new ArrayList<>();
        for (Reading r : READINGS.values()) {
            ToLongFunction<FraudMetrics> value = r.value();
            put(registry, MetricRegistry.name(prefix, r.name()), () -> value.applyAsLong(source.get()), names);
        }
        for (AlertRule rule : AlertRule.values()) {
            String created = MetricRegistry.name(prefix, "alerts.raised", rule.code());
            put(registry, created, () -> createdTotal(source.get(), rule), names);
            for (Severity s : Severity.values()) {
                String key = rule.code() + "/" + s.code();
                put(registry, MetricRegistry.name(created, s.code()),
                        () -> source.get().alertsCreated().getOrDefault(key, 0L), names);
            }
        }
        return names;
    }

    private static long createdTotal(FraudMetrics m, AlertRule rule) {
        long n = 0;
        for (Severity s : Severity.values()) {
            n += m.alertsCreated().getOrDefault(rule.code() + "/" + s.code(), 0L);
        }
        return n;
    }

    private static void put(MetricRegistry registry, String name, Gauge<Long> gauge, List<String> names) {
        registry.remove(name);
        registry.register(name, gauge);
        names.add(name);
    }
}
