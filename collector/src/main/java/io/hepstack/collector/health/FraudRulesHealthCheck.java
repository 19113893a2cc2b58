package io.hepstack.collector.health;

import com.codahale.metrics.health.HealthCheck;
import io.hepstack.collector.fraud.rules.FraudConfig;
import io.hepstack.enricher.reload.LoadStatus;
import io.hepstack.enricher.reload.ReloadableFile;

/** Unhealthy while the newest fraud rules file failed to load (the previous rules stay active). */
public final class FraudRulesHealthCheck extends HealthCheck {

    private final ReloadableFile<FraudConfig> rules;

    public FraudRulesHealthCheck(ReloadableFile<FraudConfig> rules) {
        this.rules = rules;
    }

    @Override
    protected Result check() {
        LoadStatus s = rules.status();
        if (s.lastError() != null) {
            return Result.unhealthy("fraud rules: " + s.lastError() + " (version " + s.version() + " stays active)");
        }
        return Result.healthy("fraud rules version " + s.version() + " (" + s.rows() + " rules) from " + s.file());
    }
}
