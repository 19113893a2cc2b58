package io.hepstack.collector.kibana;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dropwizard.jackson.Jackson;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KibanaSettingsTest {

    /** Dropwizard's own object mapper, failing on unknown keys as the configuration does. */
    private static final ObjectMapper YAML = Jackson.newObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Test
    void theDockerConfigsKibanaSectionBindsAndNamesTheComposeKibana() throws Exception {
        // as the collector reads it: ${ENV:-default} expanded (the compose file sets KIBANA_USERNAME/PASSWORD)
        String text = new io.dropwizard.configuration.EnvironmentVariableSubstitutor(false)
                .replace(java.nio.file.Files.readString(Path.of("../docker/config.yml")));
        JsonNode config = YAML.readTree(text);
        KibanaSettings settings = YAML.treeToValue(config.path("kibana"), KibanaSettings.class);
        assertThat(settings.enabled()).isTrue();
        assertThat(settings.url()).isEqualTo("http://kibana:5601");
        assertThat(settings.space()).isEqualTo("default");
        assertThat(settings.buildImporter()).isNotNull();
    }

    @Test
    void aConfiguredImporterImportsWithTheConfiguredSpaceAndCredentials() throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString("hep:s3cret".getBytes(StandardCharsets.UTF_8));
        try (FakeKibana kibana = new FakeKibana(basic).withSpace("voip").notReadyFor(1)) {
            KibanaSettings settings = YAML.readValue("url: " + kibana.url() + "\nspace: voip\nusername: hep\n"
                    + "password: s3cret\ngiveUpAfter: 30 seconds\nretryEvery: 20 milliseconds\n", KibanaSettings.class);
            KibanaImporter importer = settings.buildImporter();
            importer.start();
            assertThat(importer.outcome().get(30, TimeUnit.SECONDS).successCount()).isEqualTo(64);
            importer.stop();
            assertThat(kibana.objects("voip")).hasSize(64);
            assertThat(kibana.requests()).hasSize(2);
        }
    }

    @Test
    void withoutAUrlThereIsNothingToImportAndBadSettingsSayWhich() throws Exception {
        KibanaSettings none = YAML.readValue("space: default\n", KibanaSettings.class);
        assertThat(none.enabled()).isFalse();
        assertThatThrownBy(none::buildImporter).isInstanceOf(IllegalStateException.class).hasMessageContaining("kibana.url");
        assertThatThrownBy(() -> YAML.readValue("url: http://k:5601\nusername: u\napiKey: k\n", KibanaSettings.class).buildImporter())
                .hasMessageContaining("not both");
        assertThatThrownBy(() -> YAML.readValue("url: http://k:5601\nspace: Not Valid\n", KibanaSettings.class).buildImporter())
                .hasMessageContaining("Not Valid");
        assertThatThrownBy(() -> YAML.readValue("url: http://k:5601\nspce: typo\n", KibanaSettings.class))
                .hasMessageContaining("spce");
        assertThat(Duration.ofMinutes(10)).isEqualTo(KibanaImporter.DEFAULT_GIVE_UP_AFTER);
    }
}
