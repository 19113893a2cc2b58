package io.hepstack.collector.kibana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KibanaClientTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String BASIC = "Basic " + Base64.getEncoder()
            .encodeToString("elastic:changeme".getBytes(StandardCharsets.UTF_8));

    @Test
    void importSendsWhatKibanaRequiresAndAllPackagedObjectsAreAccepted() throws Exception {
        SavedObjectsFile file = SavedObjectsFile.packaged();
        try (FakeKibana kibana = new FakeKibana(BASIC)) {
            KibanaClient client = KibanaClient.builder(kibana.url() + "/")
                    .credentials(KibanaCredentials.basic("elastic", "changeme")).build();
            ImportResult result = client.importObjects(file, true).requireSuccess();

            assertThat(file.objectCount()).isEqualTo(64);
            assertThat(result.successCount()).isEqualTo(file.objectCount());
            assertThat(result.errors()).isEmpty();
            assertThat(kibana.objects("default")).hasSize(file.objectCount());

            FakeKibana.Recorded r = kibana.requests().get(0);
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo("/api/saved_objects/_import");
            assertThat(r.query()).isEqualTo("overwrite=true");
            assertThat(r.header("kbn-xsrf")).isNotBlank();
            assertThat(r.header("Authorization")).isEqualTo(BASIC);
            FakeKibana.Multipart.Part part = FakeKibana.Multipart.parse(r.header("Content-Type"), r.body()).get("file");
            assertThat(part.fileName()).isEqualTo("hepstack.ndjson");
            assertThat(part.contentType()).isEqualTo("application/ndjson");
            assertThat(part.content()).isEqualTo(file.content());
        }
    }

    @Test
    void aSpaceIsAddressedByItsPathPrefixAndAnApiKeyByItsHeader() throws Exception {
        try (FakeKibana kibana = new FakeKibana("ApiKey dGVzdDprZXk=").withSpace("noc")) {
            KibanaClient client = KibanaClient.builder(kibana.url()).space("noc")
                    .credentials(KibanaCredentials.apiKey("dGVzdDprZXk=")).build();
            client.importObjects(SavedObjectsFile.packaged(), true).requireSuccess();
            assertThat(kibana.requests().get(0).path()).isEqualTo("/s/noc/api/saved_objects/_import");
            assertThat(kibana.objects("noc")).hasSize(64);
            assertThat(kibana.objects("default")).isEmpty();

            KibanaClient unknownSpace = KibanaClient.builder(kibana.url()).space("nope")
                    .credentials(KibanaCredentials.apiKey("dGVzdDprZXk=")).build();
            assertThatThrownBy(() -> unknownSpace.importObjects(SavedObjectsFile.packaged(), true))
                    .isInstanceOf(KibanaException.class)
                    .hasMessageContaining("404 Not Found: Saved object [space/nope] not found");
        }
    }

    @Test
    void wrongCredentialsGiveKibanasMessageAndAreNotRetryable() throws Exception {
        try (FakeKibana kibana = new FakeKibana(BASIC)) {
            KibanaClient client = KibanaClient.builder(kibana.url())
                    .credentials(KibanaCredentials.basic("elastic", "wrong")).build();
            assertThatThrownBy(() -> client.importObjects(SavedObjectsFile.packaged(), true))
                    .isInstanceOfSatisfying(KibanaException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(401);
                        assertThat(e.retryable()).isFalse();
                        assertThat(e.getMessage()).contains("401 Unauthorized: [security_exception]: unable to authenticate user");
                    });
        }
    }

    @Test
    void withoutOverwriteExistingObjectsComeBackAsConflicts() throws Exception {
        try (FakeKibana kibana = new FakeKibana(null)) {
            KibanaClient client = KibanaClient.builder(kibana.url()).build();
            client.importObjects(SavedObjectsFile.packaged(), true).requireSuccess();
            ImportResult again = client.importObjects(SavedObjectsFile.packaged(), false);
            assertThat(kibana.requests().get(1).query()).isNull();
            assertThat(again.success()).isFalse();
            assertThat(again.successCount()).isZero();
            assertThat(again.errors()).hasSize(64).allSatisfy(e -> assertThat(e.errorType()).isEqualTo("conflict"));
            assertThatThrownBy(again::requireSuccess).hasMessageContaining("refused 64")
                    .hasMessageContaining("dashboard hepstack-dashboard-sip-health (hepstack · SIP health): conflict");
            // overwrite replaces them all
            assertThat(client.importObjects(SavedObjectsFile.packaged(), true).successCount()).isEqualTo(64);
        }
    }

    @Test
    void objectErrorsNameTheMissingReferences() throws Exception {
        String dashboard = "{\"type\":\"dashboard\",\"id\":\"d1\",\"attributes\":{\"title\":\"D\"},"
                + "\"references\":[{\"type\":\"lens\",\"id\":\"gone\",\"name\":\"p1:panel_p1\"}]}\n";
        try (FakeKibana kibana = new FakeKibana(null)) {
            ImportResult r = KibanaClient.builder(kibana.url()).build()
                    .importObjects(new SavedObjectsFile("one.ndjson", dashboard.getBytes(StandardCharsets.UTF_8)), true);
            assertThat(r.success()).isFalse();
            assertThat(r.errors()).singleElement().satisfies(e -> {
                assertThat(e.errorType()).isEqualTo("missing_references");
                assertThat(e.detail()).isEqualTo("missing [lens:gone]");
                assertThat(e.title()).isEqualTo("D");
            });
        }
    }

    @Test
    void exportNamesTheObjectsAndGetsTheirReferencesToo() throws Exception {
        try (FakeKibana kibana = new FakeKibana(BASIC)) {
            KibanaClient client = KibanaClient.builder(kibana.url())
                    .credentials(KibanaCredentials.basic("elastic", "changeme")).build();
            client.importObjects(SavedObjectsFile.packaged(), true).requireSuccess();

            byte[] ndjson = client.export(List.of(),
                    List.of(KibanaClient.ObjectRef.parse("dashboard:hepstack-dashboard-sip-health")), true);
            List<JsonNode> lines = lines(ndjson);
            JsonNode details = lines.get(lines.size() - 1);
            assertThat(details.path("exportedCount").asInt()).isEqualTo(lines.size() - 1);
            assertThat(details.path("missingRefCount").asInt()).isZero();
            List<String> ids = new ArrayList<>();
            lines.subList(0, lines.size() - 1).forEach(o -> ids.add(o.path("id").asText()));
            assertThat(ids).contains("hepstack-dashboard-sip-health", "hepstack-lens-sip-methods",
                    "hepstack-search-sip-messages", "hepstack-dv-sip").doesNotContain("hepstack-dashboard-fraud-cost");

            FakeKibana.Recorded r = kibana.requests().get(1);
            assertThat(r.path()).isEqualTo("/api/saved_objects/_export");
            assertThat(r.header("kbn-xsrf")).isNotBlank();
            assertThat(r.header("Authorization")).isEqualTo(BASIC);
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
            JsonNode body = MAPPER.readTree(r.body());
            assertThat(body.path("objects").get(0).path("type").asText()).isEqualTo("dashboard");
            assertThat(body.path("includeReferencesDeep").asBoolean()).isTrue();
            assertThat(body.has("type")).isFalse();

            byte[] byType = client.export(List.of("index-pattern"), List.of(), false);
            assertThat(lines(byType)).hasSize(8); // a data view per index family (7) and the export summary
        }
    }

    @Test
    void exportingAnUnknownObjectReportsWhichOne() throws Exception {
        try (FakeKibana kibana = new FakeKibana(null)) {
            KibanaClient client = KibanaClient.builder(kibana.url()).build();
            assertThatThrownBy(() -> client.export(List.of(), List.of(new KibanaClient.ObjectRef("dashboard", "nope")), true))
                    .isInstanceOfSatisfying(KibanaException.class, e -> assertThat(e.statusCode()).isEqualTo(400))
                    .hasMessageContaining("400 Bad Request: Error fetching objects to export")
                    .hasMessageContaining("\"id\":\"nope\"");
            assertThatThrownBy(() -> client.export(List.of("dashboard"), List.of(new KibanaClient.ObjectRef("dashboard", "x")), true))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aKibanaBehindABasePathIsAddressedUnderIt() throws Exception {
        try (FakeKibana kibana = new FakeKibana(null)) {
            KibanaClient client = KibanaClient.builder(kibana.url() + "/kibana/").build();
            assertThatThrownBy(() -> client.importObjects(SavedObjectsFile.packaged(), true))
                    .isInstanceOf(KibanaException.class).hasMessageContaining("404");
            assertThat(kibana.requests().get(0).path()).isEqualTo("/kibana/api/saved_objects/_import");
        }
    }

    @Test
    void noKibanaListeningIsARetryableFailureWithTheAddress() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        KibanaClient client = KibanaClient.builder("http://127.0.0.1:" + port).connectTimeout(Duration.ofSeconds(2)).build();
        assertThatThrownBy(() -> client.importObjects(SavedObjectsFile.packaged(), true))
                .isInstanceOfSatisfying(KibanaException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(KibanaException.NO_RESPONSE);
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.getMessage()).contains("127.0.0.1:" + port);
                });
    }

    @Test
    void theImporterWaitsWhileKibanaStarts() throws Exception {
        try (FakeKibana kibana = new FakeKibana(null).notReadyFor(3)) {
            KibanaImporter importer = new KibanaImporter(KibanaClient.builder(kibana.url()).build(),
                    SavedObjectsFile.packaged(), Duration.ofSeconds(30), Duration.ofMillis(50));
            importer.start();
            ImportResult result = importer.outcome().get(30, TimeUnit.SECONDS);
            importer.stop();
            assertThat(result.successCount()).isEqualTo(64);
            assertThat(kibana.requests()).hasSize(4);
            assertThat(kibana.objects("default")).containsKey("dashboard:hepstack-dashboard-calls-overview");
        }
    }

    @Test
    void theImporterGivesUpAfterItsDeadlineWithKibanasLastAnswer() throws Exception {
        try (FakeKibana kibana = new FakeKibana(null).notReadyFor(1_000)) {
            KibanaImporter importer = new KibanaImporter(KibanaClient.builder(kibana.url()).build(),
                    SavedObjectsFile.packaged(), Duration.ofMillis(300), Duration.ofMillis(50));
            assertThatThrownBy(importer::importWithRetry)
                    .isInstanceOf(KibanaException.class)
                    .hasMessageContaining("did not accept the saved objects within PT0.3S")
                    .hasMessageContaining("503: Kibana server is not ready yet");
            assertThat(kibana.requests().size()).isBetween(2, 8);
        }
    }

    @Test
    void theImporterDoesNotRetryWhatRetryingCannotFix() throws Exception {
        try (FakeKibana kibana = new FakeKibana(BASIC)) {
            KibanaImporter importer = new KibanaImporter(KibanaClient.builder(kibana.url()).build(),
                    SavedObjectsFile.packaged(), Duration.ofSeconds(30), Duration.ofMillis(50));
            importer.start();
            assertThat(importer.outcome()).failsWithin(Duration.ofSeconds(30))
                    .withThrowableThat().havingCause().isInstanceOf(KibanaException.class).withMessageContaining("401");
            assertThat(kibana.requests()).hasSize(1);
        }
    }

    @Test
    void settingsAreValidatedWithTheBadValueInTheMessage() {
        assertThatThrownBy(() -> KibanaClient.builder("ftp://kibana:5601")).hasMessageContaining("ftp://kibana:5601");
        assertThatThrownBy(() -> KibanaClient.builder("http://elastic:secret@kibana:5601"))
                .hasMessageNotContaining("secret").hasMessageContaining("not in the URL");
        assertThatThrownBy(() -> KibanaClient.builder("http://kibana:5601").space("My Space"))
                .hasMessageContaining("My Space");
        assertThatThrownBy(() -> KibanaClient.builder("http://kibana:5601").requestTimeout(Duration.ZERO))
                .hasMessageContaining("PT0S");
        assertThatThrownBy(() -> new SavedObjectsFile("export.json", new byte[]{'{', '}'}))
                .hasMessageContaining("export.json");
        assertThatThrownBy(() -> KibanaCredentials.of("elastic", "x", "key")).hasMessageContaining("not both");
        assertThatThrownBy(() -> KibanaCredentials.of(null, "x", null)).hasMessageContaining("without a username");
        assertThat(KibanaCredentials.basic("elastic", "s3cret").toString()).doesNotContain("s3cret");
        assertThat(KibanaCredentials.of(null, null, null).authorizationHeader()).isEmpty();
        assertThat(KibanaClient.builder("http://kibana:5601/").space("").build().space()).isEqualTo("default");
    }

    private static List<JsonNode> lines(byte[] ndjson) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String l : new String(ndjson, StandardCharsets.UTF_8).split("\n")) {
            if (!l.isBlank()) {
                out.add(MAPPER.readTree(l));
            }
        }
        return out;
    }
}
