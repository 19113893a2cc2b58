package io.hepstack.tools.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetadataTemplateTest {

    private static final ObjectMapper M = new ObjectMapper();

    private static JsonNode meta() throws Exception {
        return M.readTree("{\"window\":\"15m\",\"min\":20,\"mos\":3.5,\"nested\":{\"k\":\"v\"},\"quote\":\"a\\\"b\",\"obj\":{}}");
    }

    @Test
    void rendersMetadataValuesInPlace() throws Exception {
        assertThat(MetadataTemplate.render("w", "{\"gte\":\"now-{{ctx.metadata.window}}\",\"n\":\"{{ctx.metadata.min}}\","
                + "\"m\":\"{{ ctx.metadata.mos }}\",\"k\":\"{{ctx.metadata.nested.k}}\"}", meta()))
                .isEqualTo("{\"gte\":\"now-15m\",\"n\":\"20\",\"m\":\"3.5\",\"k\":\"v\"}");
        assertThat(MetadataTemplate.render("w", "no placeholders", meta())).isEqualTo("no placeholders");
    }

    @Test
    void escapesValuesForJson() throws Exception {
        String out = MetadataTemplate.render("w", "{\"q\":\"{{ctx.metadata.quote}}\"}", meta());
        assertThat(M.readTree(out).path("q").asText()).isEqualTo("a\"b");
    }

    @Test
    void refusesWhatItCannotRender() {
        assertThatThrownBy(() -> MetadataTemplate.render("w1", "{{ctx.metadata.nope}}", meta()))
                .isInstanceOf(InvalidWatchException.class).hasMessage("watch w1: {{ctx.metadata.nope}} is not a value in the watch's metadata");
        assertThatThrownBy(() -> MetadataTemplate.render("w1", "{{ctx.metadata.obj}}", meta()))
                .isInstanceOf(InvalidWatchException.class);
        assertThatThrownBy(() -> MetadataTemplate.render("w1", "{{ctx.payload.hits.total}}", meta()))
                .isInstanceOf(InvalidWatchException.class).hasMessageContaining("only {{ctx.metadata.*}}");
        assertThatThrownBy(() -> MetadataTemplate.render("w1", "x {{ctx.metadata.window", meta()))
                .isInstanceOf(InvalidWatchException.class).hasMessageContaining("unclosed '{{' at offset 2");
    }
}
