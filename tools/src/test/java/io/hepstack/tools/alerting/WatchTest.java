package io.hepstack.tools.alerting;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WatchTest {

    private static final ObjectMapper M = new ObjectMapper();
    private static final String MINIMAL = """
            {"trigger":{"schedule":{"interval":"1m"}},"input":{"simple":{"a":1}},
             "condition":{"always":{}},"actions":{"log":{"logging":{"text":"x"}}},"metadata":{"k":1}}""";

    private static Watch parse(String id, String json) {
        return Watch.parse(id, json.getBytes(StandardCharsets.UTF_8), M);
    }

    @Test
    void theInstallBodyCarriesTheChecksumOfTheFileBody() throws Exception {
        Watch w = parse("my-watch_1", MINIMAL);
        ObjectNode install = w.installBody();
        assertThat(install.at("/metadata/hepstack_checksum").asText()).isEqualTo(w.checksum()).hasSize(64);
        assertThat(install.at("/metadata/k").asInt()).isEqualTo(1);
        assertThat(w.body().at("/metadata").has(Watch.CHECKSUM_KEY)).as("the body stays as in the file").isFalse();
        // formatting does not change the checksum, content does
        assertThat(parse("my-watch_1", M.readTree(MINIMAL).toPrettyString()).checksum()).isEqualTo(w.checksum());
        assertThat(parse("my-watch_1", MINIMAL.replace("\"1m\"", "\"2m\"")).checksum()).isNotEqualTo(w.checksum());
        // a watch without metadata gets one for the checksum
        assertThat(parse("w", MINIMAL.replace(",\"metadata\":{\"k\":1}", "")).installBody().at("/metadata/hepstack_checksum").isTextual()).isTrue();
    }

    @Test
    void badFilesGetATypedErrorNamingTheWatch() {
        assertThatThrownBy(() -> parse("w", "{not json")).isInstanceOf(InvalidWatchException.class).hasMessageStartingWith("watch w: not valid JSON");
        assertThatThrownBy(() -> parse("w", "[]")).isInstanceOf(InvalidWatchException.class).hasMessage("watch w: the body must be a JSON object");
        assertThatThrownBy(() -> parse("w", MINIMAL.replace("\"condition\"", "\"kondition\"")))
                .isInstanceOf(InvalidWatchException.class).hasMessage("watch w: 'condition' is missing or empty");
        assertThatThrownBy(() -> parse("Bad Id", MINIMAL)).isInstanceOf(InvalidWatchException.class).hasMessageContaining("Bad Id");
        assertThatThrownBy(() -> parse("w", MINIMAL.replace("{\"k\":1}", "{\"hepstack_checksum\":\"x\"}")))
                .isInstanceOf(InvalidWatchException.class).hasMessageContaining("reserved");
    }

    @Test
    void aDirectoryGivesItsJsonFilesInNameOrder(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("b-watch.json"), MINIMAL);
        Files.writeString(dir.resolve("a-watch.json"), MINIMAL);
        Files.writeString(dir.resolve("README.md"), "not a watch");
        assertThat(WatchFiles.fromDirectory(dir, M)).extracting(Watch::id).containsExactly("a-watch", "b-watch");
        Files.writeString(dir.resolve("c-watch.json"), "{");
        assertThatThrownBy(() -> WatchFiles.fromDirectory(dir, M)).isInstanceOf(InvalidWatchException.class).hasMessageContaining("c-watch");
        assertThatThrownBy(() -> WatchFiles.fromDirectory(dir.resolve("none"), M)).hasMessageContaining("not a directory");
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertThatThrownBy(() -> WatchFiles.fromDirectory(empty, M)).hasMessageContaining("no *.json watch files");
    }
}
