package io.hepstack.tools.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.core.Application;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.util.JarLocation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code watchers} command through Dropwizard's CLI, against {@link FakeWatcher}. */
class WatchersCommandTest {

    private static final ObjectMapper M = new ObjectMapper();
    private static final String BASIC = "Basic " + Base64.getEncoder().encodeToString("elastic:s3cret".getBytes(StandardCharsets.UTF_8));

    private FakeWatcher fake;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterEach
    void stop() {
        if (fake != null) {
            fake.close();
            assertThat(fake.unexpected).as("requests the command should not make").isEmpty();
        }
    }

    private Optional<Throwable> run(String... args) {
        out.reset();
        err.reset();
        Bootstrap<Configuration> bootstrap = new Bootstrap<>(new Application<>() {
            @Override
            public void run(Configuration configuration, Environment environment) {
            }
        });
        bootstrap.addCommand(new WatchersCommand(new PrintStream(out, true, StandardCharsets.UTF_8)));
        return new Cli(new JarLocation(getClass()), bootstrap, out, err).run(args);
    }

    private List<String> lines() {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private String[] args(String action, String... more) {
        List<String> a = new ArrayList<>(List.of("watchers", action, "--url", fake.url(), "--username", "elastic", "--password", "s3cret"));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    @Test
    void installPutsEveryPackagedWatchOnceWithAuthAndTheChecksum() throws Exception {
        fake = new FakeWatcher(BASIC);
        assertThat(run(args("install"))).isEmpty();
        List<String> expected = WatchFiles.PACKAGED.stream().map(id -> id + ": created").toList();
        assertThat(lines()).containsExactlyElementsOf(expected);
        assertThat(fake.calls).allSatisfy(c -> assertThat(c.authorization()).as("preemptive basic auth on " + c).isEqualTo(BASIC));
        List<FakeWatcher.Call> puts = fake.calls("PUT");
        assertThat(puts).extracting(FakeWatcher.Call::path)
                .containsExactlyElementsOf(WatchFiles.PACKAGED.stream().map(id -> "/_watcher/watch/" + id).toList());
        assertThat(puts).allSatisfy(p -> assertThat(p.query()).isEqualTo("active=true"));
        for (Watch w : WatchFiles.packaged(M)) {
            JsonNode sent = fake.watches.get(w.id());
            assertThat(sent).isEqualTo(w.installBody());
            ObjectNode withoutChecksum = sent.deepCopy();
            ((ObjectNode) withoutChecksum.path("metadata")).remove(Watch.CHECKSUM_KEY);
            assertThat(withoutChecksum).as("the file's body, untouched").isEqualTo(w.body());
        }

        // again: nothing changes, nothing is written
        int before = puts.size();
        assertThat(run(args("install"))).isEmpty();
        assertThat(lines()).containsExactlyElementsOf(WatchFiles.PACKAGED.stream().map(id -> id + ": unchanged").toList());
        assertThat(fake.calls("PUT")).hasSize(before);

        assertThat(run(args("install", "--force", "--watch", "hepstack-asr-drop"))).isEmpty();
        assertThat(lines()).containsExactly("hepstack-asr-drop: updated");
        assertThat(fake.versions.get("hepstack-asr-drop")).isEqualTo(2L);
    }

    @Test
    void aChangedFileIsRewrittenKeepingTheWatchInactiveIfTheUserDeactivatedIt(@TempDir Path dir) throws Exception {
        fake = new FakeWatcher(null);
        for (String id : WatchFiles.PACKAGED) {
            Files.copy(Path.of("../alerting/watchers/" + id + ".json"), dir.resolve(id + ".json"));
        }
        assertThat(run(args("install", "--dir", dir.toString()))).isEmpty();
        fake.active.put("hepstack-mos-drop", false);
        Path mos = dir.resolve("hepstack-mos-drop.json");
        Files.writeString(mos, Files.readString(mos).replace("\"mos_min\": 3.5", "\"mos_min\": 3.2"));

        assertThat(run(args("list", "--dir", dir.toString()))).isEmpty();
        assertThat(lines()).contains("hepstack-mos-drop: installed, inactive, version 1, differs from the file",
                "hepstack-asr-drop: installed, active, version 1, up to date");

        assertThat(run(args("install", "--dir", dir.toString()))).isEmpty();
        assertThat(lines()).contains("hepstack-mos-drop: updated", "hepstack-asr-drop: unchanged");
        FakeWatcher.Call put = fake.calls("PUT").get(fake.calls("PUT").size() - 1);
        assertThat(put.path()).isEqualTo("/_watcher/watch/hepstack-mos-drop");
        assertThat(put.query()).isEqualTo("active=false");
        assertThat(fake.watches.get("hepstack-mos-drop").at("/metadata/mos_min").asDouble()).isEqualTo(3.2);
    }

    @Test
    void listAndDelete() throws Exception {
        fake = new FakeWatcher(null);
        assertThat(run(args("list"))).isEmpty();
        assertThat(lines()).containsExactlyElementsOf(WatchFiles.PACKAGED.stream().map(id -> id + ": absent").toList());
        assertThat(run(args("install", "--watch", "hepstack-cost-spike", "--watch", "hepstack-asr-drop"))).isEmpty();
        assertThat(lines()).containsExactly("hepstack-cost-spike: created", "hepstack-asr-drop: created");

        assertThat(run(args("delete"))).isEmpty();
        assertThat(lines()).contains("hepstack-cost-spike: deleted", "hepstack-asr-drop: deleted", "hepstack-mos-drop: absent");
        assertThat(fake.calls("DELETE")).hasSize(WatchFiles.PACKAGED.size());
        assertThat(fake.watches).isEmpty();
    }

    @Test
    void apiKeyAuthAndRefusedCredentials() throws Exception {
        fake = new FakeWatcher("ApiKey aWQ6a2V5");
        assertThat(run("watchers", "install", "--url", fake.url(), "--api-key", "aWQ6a2V5", "--watch", "hepstack-mos-drop")).isEmpty();
        assertThat(lines()).containsExactly("hepstack-mos-drop: created");
        assertThat(fake.calls).allSatisfy(c -> assertThat(c.authorization()).isEqualTo("ApiKey aWQ6a2V5"));

        int before = fake.calls.size();
        Optional<Throwable> refused = run("watchers", "install", "--url", fake.url(), "--api-key", "d3Jvbmc=");
        assertThat(refused).isPresent();
        assertThat(refused.get()).hasMessageContaining("HTTP 401").hasMessageContaining("security_exception");
        assertThat(fake.calls.size() - before).as("stops at the first refusal").isEqualTo(1);
        assertThat(fake.watches).containsOnlyKeys("hepstack-mos-drop");
    }

    @Test
    void aWatchTheClusterRejectsIsReportedAndTheOthersStillInstall(@TempDir Path dir) throws Exception {
        fake = new FakeWatcher(null);
        Files.copy(Path.of("../alerting/watchers/hepstack-asr-drop.json"), dir.resolve("a.json"));
        Files.writeString(dir.resolve("b.json"), "{\"trigger\":{\"x\":1},\"input\":{\"x\":1},\"condition\":{\"never\":{}},"
                + "\"actions\":{\"x\":{}}}");
        Files.copy(Path.of("../alerting/watchers/hepstack-mos-drop.json"), dir.resolve("c.json"));
        Optional<Throwable> r = run(args("install", "--dir", dir.toString()));
        assertThat(r).isPresent();
        assertThat(r.get()).hasMessageContaining("rejected 1 of 3 watches [b]").hasMessageContaining("could not parse trigger for [b]");
        assertThat(lines()).hasSize(3).contains("a: created", "c: created");
        assertThat(lines().get(1)).startsWith("b: REJECTED PUT /_watcher/watch/b -> HTTP 400");
        assertThat(fake.watches).containsOnlyKeys("a", "c");

        Optional<Throwable> unknown = run(args("install", "--dir", dir.toString(), "--watch", "nope"));
        assertThat(unknown).isPresent();
        assertThat(unknown.get()).hasMessageContaining("no watch named nope").hasMessageContaining("[a, b, c]");
    }

    @Test
    void checkRunsEachSearchWithWatchersDefaultsAndEvaluatesTheCondition() throws Exception {
        fake = new FakeWatcher(BASIC);
        fake.searchResponse = "{\"hits\":{\"total\":2,\"hits\":[]},\"aggregations\":{\"by_rule\":{\"buckets\":[]}}}";
        assertThat(run(args("check", "--watch", "hepstack-critical-fraud-alerts"))).isEmpty();
        assertThat(lines()).containsExactly("hepstack-critical-fraud-alerts: WOULD FIRE (compare, hits 2, "
                + "ctx.metadata.min_alerts=1, ctx.payload.hits.total=2)");
        FakeWatcher.Call search = fake.calls("POST").get(0);
        assertThat(search.path()).isEqualTo("/hep-alert-*/_search");
        assertThat(search.query()).contains("rest_total_hits_as_int=true", "ignore_unavailable=true", "allow_no_indices=true",
                "expand_wildcards=open");
        JsonNode body = M.readTree(search.body());
        assertThat(body.toString()).doesNotContain("{{").contains("\"gte\":\"now-5m\"");

        fake.searchResponse = "{\"hits\":{\"total\":0,\"hits\":[]}}";
        assertThat(run(args("check", "--watch", "hepstack-critical-fraud-alerts", "--watch", "hepstack-asr-drop"))).isEmpty();
        assertThat(lines()).containsExactly(
                "hepstack-critical-fraud-alerts: quiet (compare, hits 0, ctx.metadata.min_alerts=1, ctx.payload.hits.total=0)",
                "hepstack-asr-drop: quiet (array_compare, hits 0, ctx.payload.aggregations.attempts_x_min_pct.value=null, "
                        + "ctx.payload.aggregations.calls.buckets=0 elements)");
    }

    @Test
    void argumentsAreChecked() {
        Optional<Throwable> noUrl = run("watchers", "install");
        assertThat(noUrl).isPresent();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--url is required");
        Optional<Throwable> badAction = run("watchers", "purge", "--url", "http://127.0.0.1:1");
        assertThat(badAction).isPresent();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("invalid choice: 'purge'");
        Optional<Throwable> both = run("watchers", "list", "--url", "http://127.0.0.1:1", "--username", "u", "--api-key", "k");
        assertThat(both).isPresent();
        assertThat(both.get()).hasMessageContaining("not both");
    }
}
