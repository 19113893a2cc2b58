package io.hepstack.collector.es;

import com.fasterxml.jackson.databind.JsonNode;
import io.hepstack.collector.testing.EsHttp;
import io.hepstack.collector.testing.TestElasticsearch;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedElasticsearchIT {

    @Test
    void theSharedNodeIsARealHealthyElasticsearch819() {
        EsHttp es = EsHttp.shared();
        JsonNode health = es.get("/_cluster/health");
        assertThat(health.path("status").asText()).isIn("green", "yellow");
        assertThat(health.path("cluster_name").asText()).isEqualTo("hepstack-embedded");
        JsonNode nodes = es.get("/_nodes/_local");
        JsonNode node = nodes.path("nodes").elements().next();
        assertThat(node.path("version").asText()).startsWith("8.19.");
        assertThat(TestElasticsearch.node().pid()).isPositive();
        assertThat(ProcessHandle.of(TestElasticsearch.node().pid())).isPresent();
    }
}
