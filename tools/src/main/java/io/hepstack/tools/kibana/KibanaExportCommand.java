package io.hepstack.tools.kibana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import io.hepstack.collector.kibana.KibanaClient;
import io.hepstack.collector.kibana.SavedObjectsFile;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code collector kibana-export --url URL [--space S] [credentials] [--type T]... [--object TYPE:ID]...
 * [--no-references] --output FILE}: writes saved objects from Kibana as ndjson. Without
 * {@code --type}/{@code --object} it exports hepstack's dashboards (the ones the packaged file
 * defines) with everything they reference, i.e. the hepstack set as it now is in Kibana, edits included.
 */
public final class KibanaExportCommand extends Command {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<String, String> env;
    private final PrintStream out;

    public KibanaExportCommand() {
        this(System.getenv(), System.out);
    }

    KibanaExportCommand(Map<String, String> env, PrintStream out) {
        super("kibana-export", "Export saved objects (by default hepstack's dashboards) from Kibana to an ndjson file");
        this.env = env;
        this.out = out;
    }

    @Override
    public void configure(Subparser p) {
        KibanaConnectionArguments.add(p);
        p.addArgument("--type").action(Arguments.append()).metavar("TYPE")
                .help("export every object of this type (index-pattern, search, lens, map, dashboard, ...); repeatable");
        p.addArgument("--object").action(Arguments.append()).metavar("TYPE:ID")
                .help("export this object, e.g. dashboard:hepstack-dashboard-sip-health; repeatable");
        p.addArgument("--no-references").dest("references").action(Arguments.storeFalse()).setDefault(true)
                .help("do not add the objects the exported ones reference");
        p.addArgument("--output").required(true).metavar("FILE").help("ndjson file to write ('-' for standard output)");
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace ns) throws Exception {
        KibanaClient client = KibanaConnectionArguments.client(ns, env);
        List<String> types = ns.getList("type") == null ? List.of() : ns.getList("type");
        List<KibanaClient.ObjectRef> objects = new ArrayList<>();
        if (ns.getList("object") != null) {
            for (Object o : ns.getList("object")) {
                objects.add(KibanaClient.ObjectRef.parse(o.toString()));
            }
        }
        if (!types.isEmpty() && !objects.isEmpty()) {
            throw new IllegalArgumentException("give --type or --object, not both (Kibana exports by one or the other)");
        }
        if (types.isEmpty() && objects.isEmpty()) {
            objects = packagedDashboards();
        }
        byte[] ndjson = client.export(types, objects, ns.getBoolean("references"));
        String output = ns.getString("output");
        if ("-".equals(output)) {
            out.write(ndjson);
            out.flush();
            return;
        }
        Files.write(Path.of(output), ndjson);
        out.println("Exported " + exportedCount(ndjson) + " saved objects from " + client.baseUrl() + " (space "
                + client.space() + ") to " + output);
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        cli.getStdErr().println("kibana-export failed: " + e.getMessage());
    }

    /** The dashboards hepstack ships, named as the export API wants them. */
    static List<KibanaClient.ObjectRef> packagedDashboards() throws IOException {
        List<KibanaClient.ObjectRef> refs = new ArrayList<>();
        for (String line : new String(SavedObjectsFile.packaged().content(), StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode o = MAPPER.readTree(line);
            if ("dashboard".equals(o.path("type").asText())) {
                refs.add(new KibanaClient.ObjectRef("dashboard", o.path("id").asText()));
            }
        }
        return refs;
    }

    /** Kibana's export ends with a summary line holding {@code exportedCount}. */
    private static String exportedCount(byte[] ndjson) {
        String text = new String(ndjson, StandardCharsets.UTF_8).strip();
        String last = text.substring(text.lastIndexOf('\n') + 1);
        try {
            JsonNode summary = MAPPER.readTree(last);
            if (summary.has("exportedCount")) {
                return summary.get("exportedCount").asText();
            }
        } catch (IOException notASummary) {
            // an export without details: count the lines instead
        }
        return Long.toString(text.isEmpty() ? 0 : text.lines().count());
    }
}
