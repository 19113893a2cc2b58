package io.hepstack.tools.kibana;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import io.hepstack.collector.kibana.ImportResult;
import io.hepstack.collector.kibana.KibanaClient;
import io.hepstack.collector.kibana.KibanaImporter;
import io.hepstack.collector.kibana.SavedObjectsFile;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * {@code collector kibana-import --url URL [--space S] [--username U --password P | --api-key K]
 * [--file F] [--no-overwrite] [--wait SECONDS]}: imports saved objects (by default hepstack's
 * packaged dashboards) through Kibana's saved-objects import API.
 */
public final class KibanaImportCommand extends Command {

    private final Map<String, String> env;
    private final PrintStream out;

    public KibanaImportCommand() {
        this(System.getenv(), System.out);
    }

    KibanaImportCommand(Map<String, String> env, PrintStream out) {
        super("kibana-import", "Import hepstack's Kibana dashboards (or an ndjson file of saved objects) into Kibana");
        this.env = env;
        this.out = out;
    }

    @Override
    public void configure(Subparser p) {
        KibanaConnectionArguments.add(p);
        p.addArgument("--file").metavar("NDJSON")
                .help("saved objects to import (default: hepstack's dashboards packaged in the collector)");
        p.addArgument("--no-overwrite").dest("overwrite").action(Arguments.storeFalse()).setDefault(true)
                .help("keep objects that already exist in Kibana (reported as conflicts) instead of replacing them");
        p.addArgument("--wait").type(Integer.class).setDefault(0).metavar("SECONDS")
                .help("keep retrying for this long while Kibana is unreachable or starting (default: 0, try once)");
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace ns) throws Exception {
        KibanaClient client = KibanaConnectionArguments.client(ns, env);
        String path = ns.getString("file");
        SavedObjectsFile file = path == null ? SavedObjectsFile.packaged() : SavedObjectsFile.of(Path.of(path));
        boolean overwrite = ns.getBoolean("overwrite");
        int wait = ns.getInt("wait");
        if (wait < 0) {
            throw new IllegalArgumentException("--wait must be 0 or more seconds: " + wait);
        }
        ImportResult result;
        if (wait > 0) {
            result = new KibanaImporter(client, file, Duration.ofSeconds(wait), KibanaImporter.DEFAULT_RETRY_EVERY, overwrite)
                    .importWithRetry();
        } else {
            result = client.importObjects(file, overwrite).requireSuccess();
        }
        for (String w : result.warnings()) {
            out.println("warning: " + w);
        }
        out.println("Imported " + result.successCount() + " saved objects from " + file.fileName() + " into "
                + client.baseUrl() + " (space " + client.space() + ")");
    }

    /** A refused import is the user's to fix: print Kibana's message, not a stack trace. */
    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        cli.getStdErr().println("kibana-import failed: " + e.getMessage());
    }
}
