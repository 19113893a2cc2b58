package io.hepstack.collector.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.collector.es.ElasticsearchClients;
import io.hepstack.collector.testing.EsHttp;
import io.hepstack.collector.testing.TestElasticsearch;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TemplateInstallerIT {

    @Test
    void installsEveryTemplateOnceAndIndicesGetTheExplicitMappings() throws Exception {
        EsHttp es = EsHttp.shared();
        try (RestClient rest = ElasticsearchClients.restClient(new ElasticsearchClients.Connection(
                List.of(TestElasticsearch.url()), null, null, null, null))) {
            TemplateInstaller installer = new TemplateInstaller(rest, new ObjectMapper(),
                    new TemplateInstaller.IndexSettings(1, 0, "1s"));
            TemplateInstaller.Result first = installer.install();
            TemplateInstaller.Result second = installer.install();
            assertThat(second.installed()).as("second run changes nothing").isEmpty();
            assertThat(second.unchanged()).hasSize(TemplateInstaller.COMPONENTS.size() + TemplateInstaller.INDEX_TEMPLATES.size());
            assertThat(first.installed().size() + first.unchanged().size()).isEqualTo(second.unchanged().size());

            // a changed setting is a changed template: only the settings component is rewritten
            TemplateInstaller.Result changed = new TemplateInstaller(rest, new ObjectMapper(),
                    new TemplateInstaller.IndexSettings(1, 0, "2s")).install();
            assertThat(changed.installed()).containsExactly("component/hep-settings");
            new TemplateInstaller(rest, new ObjectMapper(), new TemplateInstaller.IndexSettings(1, 0, "1s")).install();
        }

        for (String family : List.of("sip", "rtcp", "log", "tdr", "alert")) {
            String index = "hep-" + family + "-1999.01.01";
            es.put("/" + index, "{}");
            JsonNode mapping = es.get("/" + index + "/_mapping").path(index).path("mappings");
            assertThat(mapping.path("dynamic").asText()).isEqualTo("false");
            assertThat(mapping.path("properties").path("@timestamp").path("type").asText()).isEqualTo("date_nanos");
            assertThat(mapping.path("properties").path("source").path("properties").path("geo")
                    .path("properties").path("location").path("type").asText()).isEqualTo("geo_point");
            JsonNode settings = es.get("/" + index + "/_settings").path(index).path("settings").path("index");
            assertThat(settings.path("number_of_replicas").asText()).isEqualTo("0");
            assertThat(settings.path("refresh_interval").asText()).isEqualTo("1s");
            es.delete("/" + index);
        }
        es.put("/hep-sip-1999.01.02", "{}");
        JsonNode sip = es.get("/hep-sip-1999.01.02/_mapping").path("hep-sip-1999.01.02").path("mappings").path("properties").path("sip");
        assertThat(sip.path("properties").path("call_id").path("type").asText()).isEqualTo("keyword");
        assertThat(sip.path("properties").path("from").path("properties").path("uri").path("properties").path("username")
                .path("type").asText()).isEqualTo("keyword");
        es.delete("/hep-sip-1999.01.02");
    }
}
