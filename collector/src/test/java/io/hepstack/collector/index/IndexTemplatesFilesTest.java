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
        assertThat(names(DIR.resolve("index"))).containsExactlyInAnyOrderElementsOf(TemplateInstaller.INDEX_TEMPLATES);
    }

    @Test
    void everyIndexTemplateComposesExistingComponentsAndIsVersioned() throws Exception {
        ObjectMapper m = new ObjectMapper();
        for (String name : TemplateInstaller.INDEX_TEMPLATES) {
            JsonNode t = m.readTree(DIR.resolve("index/" + name + ".json").toFile());
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
