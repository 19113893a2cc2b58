package io.hepstack.collector.health;

import com.codahale.metrics.health.HealthCheck;
import io.hepstack.enricher.reload.LoadStatus;
import io.hepstack.enricher.reload.ReloadableFile;

/**
 * Unhealthy while the newest version of a hot-reloaded file (fraud rules, users) failed to load;
 * the previous version stays active, and the message names the file, line and reason.
 */
public final class ReloadableFileHealthCheck extends HealthCheck {

    private final String label;
    private final String rowsLabel;
    private final ReloadableFile<?> file;

    /** @param label e.g. "fraud rules"; @param rowsLabel what a row is, e.g. "rules" */
    public ReloadableFileHealthCheck(String label, String rowsLabel, ReloadableFile<?> file) {
        this.label = label;
        this.rowsLabel = rowsLabel;
        this.file = file;
    }

    @Override
    protected Result check() {
        LoadStatus s = file.status();
        if (s.lastError() != null) {
            return Result.unhealthy(label + ": " + s.lastError() + " (version " + s.version() + " stays active)");
        }
        return Result.healthy(label + " version " + s.version() + " (" + s.rows() + " " + rowsLabel + ") from " + s.file());
    }
}
