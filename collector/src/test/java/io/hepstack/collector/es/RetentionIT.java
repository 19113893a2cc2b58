package io.hepstack.collector.es;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.collector.testing.EsHttp;
import io.hepstack.collector.testing.TestElasticsearch;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Retention against the real Elasticsearch: exactly the expired daily indices go, nothing else. */
class RetentionIT {

    private static final LocalDate TODAY = LocalDate.of(2031, 3, 10);

    @Test
    void deletesExactlyTheExpiredDailyIndices() throws Exception {
        EsHttp es = EsHttp.shared();
        List<String> made = List.of(
                "hep-sip-2031.03.10", "hep-sip-2031.03.03", // today, 7 days ago: kept (7 days)
                "hep-sip-2031.03.02", "hep-sip-2030.12.31", // 8 days and more: deleted
                "hep-tdr-2031.01.01", // 68 days: kept (90 days)
                "hep-tdr-2030.12.09", // 91 days: deleted
                "hep-rtcp-2031.03.01", // no setting: default 30 days, kept
                "hep-weird-2020.01.01", // not one of our families: never touched
                "hep-sip-archive", // not a daily index
                "notes-2020.01.01");
        for (String index : made) {
            es.put("/" + index, "{}");
        }
        try (RestClient rest = ElasticsearchClients.restClient(new ElasticsearchClients.Connection(
                List.of(TestElasticsearch.url()), null, null, null, null))) {
            Retention retention = new Retention(rest, new ObjectMapper(), Map.of("sip", 7, "tdr", 90), 30);
            List<String> deleted = retention.run(TODAY, List.of("sip", "tdr", "rtcp"));
            assertThat(deleted).containsExactly("hep-sip-2030.12.31", "hep-sip-2031.03.02", "hep-tdr-2030.12.09");
        }
        List<String> left = new ArrayList<>();
        for (JsonNode row : es.get("/_cat/indices/hep-*,notes-*?format=json&h=index")) {
            left.add(row.path("index").asText());
        }
        assertThat(left).contains("hep-sip-2031.03.10", "hep-sip-2031.03.03", "hep-tdr-2031.01.01", "hep-rtcp-2031.03.01",
                "hep-weird-2020.01.01", "hep-sip-archive", "notes-2020.01.01");
        assertThat(left).doesNotContain("hep-sip-2031.03.02", "hep-sip-2030.12.31", "hep-tdr-2030.12.09");
        for (String index : made) {
            if (left.contains(index)) {
                es.delete("/" + index);
            }
        }
    }
}
