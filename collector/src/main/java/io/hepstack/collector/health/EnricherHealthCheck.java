package io.hepstack.collector.health;

import com.codahale.metrics.health.HealthCheck;
import io.hepstack.enricher.Enricher;
import io.hepstack.enricher.reload.LoadStatus;

import java.util.ArrayList;
import java.util.List;

/**
 * Unhealthy while a data file's newest version failed to load (the previous one stays active);
 * notes (e.g. a GeoIP database that is missing, so geo is off) are reported as details.
 */
public final class EnricherHealthCheck extends HealthCheck {

    private final Enricher enricher;

    public EnricherHealthCheck(Enricher enricher) {
        this.enricher = enricher;
    }

    @Override
    protected Result check() {
        List<String> problems = new ArrayList<>();
        for (LoadStatus s : enricher.status()) {
            if (s.lastError() != null) {
                problems.add(s.name() + ": " + s.lastError());
            }
        }
        ResultBuilder b = problems.isEmpty() ? Result.builder().healthy() : Result.builder().unhealthy()
                .withMessage(String.join("; ", problems));
        b.withDetail("files", enricher.status().size());
        if (!enricher.notes().isEmpty()) {
            b.withDetail("notes", enricher.notes());
        }
        return b.build();
    }
}
