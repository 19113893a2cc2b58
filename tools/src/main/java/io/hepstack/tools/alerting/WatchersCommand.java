package io.hepstack.tools.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import io.hepstack.collector.es.ElasticsearchClients;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.elasticsearch.client.RestClient;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code watchers install|delete|list|check}: manages hepstack's Elasticsearch Watcher watches
 * (alerting/watchers/*.json, packaged with the collector, or the files of {@code --dir}).
 *
 * <ul>
 *   <li>{@code install} PUTs every watch; one whose installed copy is the same is left alone
 *       ({@code --force} rewrites it).</li>
 *   <li>{@code delete} removes them; {@code list} shows which are installed, active and up to date.</li>
 *   <li>{@code check} needs no Watcher: it runs each watch's search and condition now and says
 *       whether it would fire (for tuning thresholds, or on clusters without a Watcher licence).</li>
 * </ul>
 */
public final class WatchersCommand extends Command {

    private final PrintStream out;

    public WatchersCommand() {
        this(System.out);
    }

    /** For tests: where the report lines go. */
    public WatchersCommand(PrintStream out) {
        super("watchers", "install, delete, list or check the Elasticsearch Watcher watches of hepstack");
        this.out = out;
    }

    @Override
    public void configure(Subparser p) {
        p.addArgument("action").choices("install", "delete", "list", "check")
                .help("install, delete or list the watches; check runs their searches and conditions now");
        p.addArgument("--url").required(true).action(Arguments.append())
                .help("Elasticsearch URL, e.g. https://es1:9200 (repeat for more nodes)");
        p.addArgument("--username").help("basic-auth user");
        p.addArgument("--password").help("basic-auth password (default: $HEPSTACK_ES_PASSWORD)");
        p.addArgument("--api-key").dest("api_key").help("API key (base64 id:key), instead of user and password");
        p.addArgument("--ca-cert").dest("ca_cert").help("PEM file of the CA to trust for https");
        p.addArgument("--dir").help("folder of watch *.json files (default: the watches packaged with the collector)");
        p.addArgument("--watch").action(Arguments.append()).help("only this watch id (repeatable)");
        p.addArgument("--force").action(Arguments.storeTrue()).help("install: rewrite watches even when unchanged");
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace ns) throws Exception {
        ObjectMapper mapper = bootstrap == null || bootstrap.getObjectMapper() == null ? new ObjectMapper() : bootstrap.getObjectMapper();
        List<Watch> watches = select(ns.getString("dir") == null
                ? WatchFiles.packaged(mapper)
                : WatchFiles.fromDirectory(Path.of(ns.getString("dir")), mapper), ns.getList("watch"));
        String username = ns.getString("username");
        String password = ns.getString("password");
        if (username != null && password == null) {
            password = System.getenv("HEPSTACK_ES_PASSWORD");
        }
        if (username != null && ns.getString("api_key") != null) {
            throw new IllegalArgumentException("use either --username/--password or --api-key, not both");
        }
        String ca = ns.getString("ca_cert");
        ElasticsearchClients.Connection connection = new ElasticsearchClients.Connection(ns.getList("url"), username, password,
                ns.getString("api_key"), ca == null ? null : Path.of(ca));
        try (RestClient rest = ElasticsearchClients.restClient(connection)) {
            switch (ns.getString("action")) {
                case "install" -> install(new WatcherApi(rest, mapper), watches, ns.getBoolean("force"));
                case "delete" -> delete(new WatcherApi(rest, mapper), watches);
                case "list" -> list(new WatcherApi(rest, mapper), watches);
                case "check" -> check(new WatchSearch(rest, mapper), watches);
                default -> throw new IllegalArgumentException("unknown action: " + ns.getString("action"));
            }
        }
    }

    private static List<Watch> select(List<Watch> all, List<String> only) {
        if (only == null || only.isEmpty()) {
            return all;
        }
        List<Watch> out = new ArrayList<>();
        for (String id : only) {
            out.add(all.stream().filter(w -> w.id().equals(id)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no watch named " + id + "; known: "
                            + all.stream().map(Watch::id).toList())));
        }
        return out;
    }

    /**
     * Installs each watch; a watch the cluster rejects (HTTP 400) is reported and the others still go
     * in. Anything else (no connection, 401/403, no Watcher licence) stops at once: it would fail for
     * every watch.
     */
    private void install(WatcherApi api, List<Watch> watches, boolean force) throws IOException {
        List<String> failed = new ArrayList<>();
        String first = null;
        for (Watch w : watches) {
            try {
                out.println(w.id() + ": " + api.install(w, force).name().toLowerCase(Locale.ROOT));
            } catch (WatcherApi.WatcherApiException e) {
                if (e.status() != 400) {
                    throw e;
                }
                out.println(w.id() + ": REJECTED " + e.getMessage());
                failed.add(w.id());
                first = first == null ? e.getMessage() : first;
            }
        }
        if (!failed.isEmpty()) {
            throw new IOException("the cluster rejected " + failed.size() + " of " + watches.size() + " watches " + failed
                    + "; the first: " + first);
        }
    }

    private void delete(WatcherApi api, List<Watch> watches) throws IOException {
        for (Watch w : watches) {
            out.println(w.id() + ": " + (api.delete(w.id()) ? "deleted" : "absent"));
        }
    }

    private void list(WatcherApi api, List<Watch> watches) throws IOException {
        for (Watch w : watches) {
            Optional<WatcherApi.Installed> installed = api.get(w.id());
            if (installed.isEmpty()) {
                out.println(w.id() + ": absent");
                continue;
            }
            WatcherApi.Installed i = installed.get();
            out.println(w.id() + ": installed, " + (i.active() ? "active" : "inactive") + ", version " + i.version() + ", "
                    + (w.checksum().equals(i.checksum()) ? "up to date" : "differs from the file"));
        }
    }

    private void check(WatchSearch search, List<Watch> watches) throws IOException {
        for (Watch w : watches) {
            JsonNode payload = search.run(w);
            Map<String, Object> model = WatchCondition.model(w.id(), w.metadata(), payload);
            WatchCondition.Result r = WatchCondition.evaluate(w.condition(), model);
            out.println(w.id() + ": " + (r.met() ? "WOULD FIRE" : "quiet") + " (" + r.type() + ", hits "
                    + payload.path("hits").path("total") + ", " + summary(r.resolved()) + ")");
        }
    }

    private static String summary(Map<String, Object> resolved) {
        List<String> parts = new ArrayList<>();
        resolved.forEach((k, v) -> parts.add(k + "=" + (v instanceof List<?> l ? l.size() + " elements" : v)));
        return String.join(", ", parts);
    }
}
