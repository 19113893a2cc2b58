package io.hepstack.collector.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class IndexTemplatesFilesTest {

    private static final Path DIR = Path.of("../index-templates");

    @Test
    void theInstallerListsExactlyTheFilesOfIndexTemplates() throws Exception {
        assertThat(names(DIR.resolve("component"))).containsExactlyInAnyOrderElementsOf(TemplateInstaller.COMPONENTS);
        // a protocol may ship only its component: its index template is then the standard one
        assertThat(TemplateInstaller.INDEX_TEMPLATES).containsAll(names(DIR.resolve("index")));
        assertThat(TemplateInstaller.FAMILIES).contains("sip", "rtcp", "log", "dns", "rtcpxr", "tdr", "alert");
    }

    @Test
    void everyIndexTemplateComposesExistingComponentsAndIsVersioned() throws Exception {
        ObjectMapper m = new ObjectMapper();
        TemplateInstaller installer = new TemplateInstaller(null, m, new TemplateInstaller.IndexSettings(1, 0, null));
        for (String name : TemplateInstaller.INDEX_TEMPLATES) {
            JsonNode t = installer.indexTemplate(name);
            assertThat(t.path("version").asInt()).isPositive();
            assertThat(t.path("index_patterns").get(0).asText()).isEqualTo(name + "-*");
            for (JsonNode c : t.path("composed_of")) {
                assertThat(TemplateInstaller.COMPONENTS).contains(c.asText());
            }
        }
    }

    private static List<String> names(Path dir) throws Exception {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> out.add(p.getFileName().toString().replace(".json", "")));
        }
        return out;
    }
}
