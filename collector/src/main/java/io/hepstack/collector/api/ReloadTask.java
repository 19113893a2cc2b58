package io.hepstack.collector.api;

import io.dropwizard.servlets.tasks.Task;
import io.hepstack.enricher.Enricher;
import io.hepstack.enricher.reload.LoadStatus;
import io.hepstack.enricher.reload.ReloadableFile;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** Admin task {@code POST /tasks/reload}: reloads every data file now and prints what is loaded. */
public final class ReloadTask extends Task {

    private final Enricher enricher;
    private final ReloadableFile<?> fraudRules;

    public ReloadTask(Enricher enricher, ReloadableFile<?> fraudRules) {
        super("reload");
        this.enricher = enricher;
        this.fraudRules = fraudRules;
    }

    @Override
    public void execute(Map<String, List<String>> parameters, PrintWriter out) {
        for (LoadStatus s : enricher.reloadAll()) {
            print(out, s);
        }
        if (fraudRules != null) {
            fraudRules.reload();
            print(out, fraudRules.status());
        }
    }

    private static void print(PrintWriter out, LoadStatus s) {
        out.printf("%-24s version %d, %d rows, loaded %s%s%n", s.name(), s.version(), s.rows(), s.loadedAt(),
                s.lastError() == null ? "" : " — LAST ATTEMPT FAILED: " + s.lastError());
    }
}
