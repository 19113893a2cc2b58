package io.hepstack.tools.kibana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.core.Application;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.util.JarLocation;
import io.hepstack.collector.kibana.FakeKibana;
import io.hepstack.collector.kibana.SavedObjectsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The two commands run through Dropwizard's own command line, as {@code java -jar collector.jar ...} runs them. */
class KibanaCommandsTest {

    private static final String BASIC = "Basic " + Base64.getEncoder()
            .encodeToString("elastic:changeme".getBytes(StandardCharsets.UTF_8));

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final ByteArrayOutputStream commandOut = new ByteArrayOutputStream();

    private Optional<Throwable> run(Map<String, String> env, String... args) {
        Application<Configuration> app = new Application<>() {
            @Override
            public void run(Configuration configuration, Environment environment) {
            }
        };
        Bootstrap<Configuration> bootstrap = new Bootstrap<>(app);
        PrintStream out = new PrintStream(commandOut, true, StandardCharsets.UTF_8);
        bootstrap.addCommand(new KibanaImportCommand(env, out));
        bootstrap.addCommand(new KibanaExportCommand(env, out));
        return new Cli(new JarLocation(getClass()), bootstrap, stdout, stderr).run(args);
    }

    @Test
    void importsThePackagedDashboardsWithBasicAuthFromTheEnvironment() throws Exception {
        try (FakeKibana kibana = new FakeKibana(BASIC).withSpace("noc")) {
            Optional<Throwable> error = run(Map.of("KIBANA_PASSWORD", "changeme"),
                    "kibana-import", "--url", kibana.url(), "--space", "noc", "--username", "elastic");
            assertThat(error).isEmpty();
            long packaged = new String(SavedObjectsFile.packaged().content(), StandardCharsets.UTF_8).lines()
                    .filter(l -> l.contains("\"id\"")).count();
            assertThat(packaged).as("the packaged saved objects").isGreaterThan(50);
            assertThat(commandOut.toString(StandardCharsets.UTF_8))
                    .contains("Imported " + packaged + " saved objects from hepstack.ndjson into " + kibana.url() + " (space noc)");
            assertThat(kibana.objects("noc")).hasSize((int) packaged);
            assertThat(kibana.requests().get(0).query()).isEqualTo("overwrite=true");
        }
    }

    @Test
    void importsAGivenFileWithoutOverwriteAndReportsConflicts(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mine.ndjson");
        Files.writeString(file, "{\"type\":\"index-pattern\",\"id\":\"dv1\",\"attributes\":{\"title\":\"x-*\"},\"references\":[]}\n");
        try (FakeKibana kibana = new FakeKibana("ApiKey a2V5")) {
            assertThat(run(Map.of(), "kibana-import", "--url", kibana.url(), "--api-key", "a2V5", "--file", file.toString()))
                    .isEmpty();
            Optional<Throwable> again = run(Map.of("KIBANA_API_KEY", "a2V5"), "kibana-import", "--url", kibana.url(),
                    "--file", file.toString(), "--no-overwrite");
            assertThat(again).isPresent();
            assertThat(kibana.requests().get(1).query()).isNull();
            assertThat(stderr.toString(StandardCharsets.UTF_8))
                    .contains("kibana-import failed: Kibana imported 0 saved objects but refused 1: [index-pattern dv1 (x-*): conflict]");
        }
    }

    @Test
    void aRefusedImportPrintsKibanasMessageAndFails() throws Exception {
        try (FakeKibana kibana = new FakeKibana(BASIC)) {
            Optional<Throwable> error = run(Map.of(), "kibana-import", "--url", kibana.url(),
                    "--username", "elastic", "--password", "nope");
            assertThat(error).isPresent();
            assertThat(stderr.toString(StandardCharsets.UTF_8))
                    .contains("kibana-import failed: Kibana refused import at " + kibana.url())
                    .contains("401 Unauthorized: [security_exception]")
                    .doesNotContain("\tat io.hepstack");
        }
    }

    @Test
    void aUserWithoutAPasswordIsRefusedBeforeAnyRequest() throws Exception {
        try (FakeKibana kibana = new FakeKibana(null)) {
            assertThat(run(Map.of(), "kibana-import", "--url", kibana.url(), "--username", "elastic")).isPresent();
            assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("--username elastic needs --password or KIBANA_PASSWORD");
            assertThat(kibana.requests()).isEmpty();
        }
    }

    @Test
    void exportsHepstacksDashboardsWithTheirReferencesByDefault(@TempDir Path dir) throws Exception {
        try (FakeKibana kibana = new FakeKibana(null)) {
            assertThat(run(Map.of(), "kibana-import", "--url", kibana.url())).isEmpty();
            Path out = dir.resolve("export.ndjson");
            assertThat(run(Map.of(), "kibana-export", "--url", kibana.url(), "--output", out.toString())).isEmpty();

            ObjectMapper mapper = new ObjectMapper();
            Set<String> exported = new HashSet<>();
            Set<String> packaged = new HashSet<>();
            JsonNode last = null;
            for (String line : Files.readAllLines(out)) {
                last = mapper.readTree(line);
                if (last.has("id")) {
                    exported.add(last.path("type").asText() + ":" + last.path("id").asText());
                }
            }
            for (String line : new String(SavedObjectsFile.packaged().content(), StandardCharsets.UTF_8).split("\n")) {
                JsonNode o = mapper.readTree(line);
                if (o.has("id") && !Set.of("hepstack-search-logs", "hepstack-dv-log", "hepstack-dv-dns", "hepstack-dv-rtcpxr").contains(o.path("id").asText())) {
                    packaged.add(o.path("type").asText() + ":" + o.path("id").asText());
                }
            }
            // the six dashboards reach every packaged object but the log search and the data views on no dashboard
            // (logs, DNS, vq-rtcpxr)
            assertThat(exported).isEqualTo(packaged);
            assertThat(last.path("exportedCount").asInt()).isEqualTo(packaged.size());
            assertThat(commandOut.toString(StandardCharsets.UTF_8)).contains("Exported " + packaged.size() + " saved objects");

            assertThat(run(Map.of(), "kibana-export", "--url", kibana.url(), "--type", "dashboard",
                    "--object", "dashboard:x", "--output", out.toString())).isPresent();
            assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("give --type or --object, not both");
        }
    }
}
