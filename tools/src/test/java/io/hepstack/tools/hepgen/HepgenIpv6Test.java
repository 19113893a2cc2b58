package io.hepstack.tools.hepgen;

import com.fasterxml.jackson.databind.JsonNode;
import io.hepstack.collector.correlate.CaptureReplay;
import io.hepstack.collector.correlate.CorrelationConfig;
import io.hepstack.collector.correlate.TestEnricher;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.enricher.Enricher;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * hepgen's callers on IPv6 become calls like any other: parties, media, RTCP and logs joined,
 * geo from the MaxMind test database (2001:218::/32 is JP there, testdata/SOURCES.md).
 */
class HepgenIpv6Test {

    @Test
    void ipv6CallsHaveTheirPartiesMediaQualityAndGeo() {
        String caller = "2001:218::1";
        TrafficConfig config = TrafficConfig.builder().startMicros(1_767_225_600_000_000L).seed(5)
                .callerIps(List.of(caller)).users(3).calls(12).registrations(0).callsPerSecond(2)
                .callMix(Map.of(CallOutcome.ANSWERED, 1)).build();
        HepTrafficModel model = new HepTrafficModel(config);
        List<HepPacket> packets = new ArrayList<>();
        while (model.hasNext()) {
            packets.add(model.next().hep());
        }
        try (Enricher enricher = TestEnricher.build()) {
            CaptureReplay.Result r = CaptureReplay.replay(packets, new CorrelationConfig(), enricher, true);
            List<JsonNode> calls = r.sink().docs().stream()
                    .filter(d -> d.path("tdr").path("type").asText().equals("call")).toList();
            assertThat(calls).hasSize(12);
            for (JsonNode d : calls) {
                JsonNode t = d.path("tdr");
                assertThat(t.path("status").asText()).isEqualTo("FINISHED");
                assertThat(t.path("caller").path("ip").asText()).isEqualTo(caller);
                assertThat(t.path("callee").path("ip").asText()).isEqualTo("2001:db8::10");
                assertThat(t.path("caller").path("media").path("ip").asText()).isEqualTo(caller);
                assertThat(t.path("callee").path("media").path("ip").asText()).isEqualTo("2001:db8::10");
                assertThat(d.path("source").path("ip").asText()).isEqualTo(caller);
                assertThat(d.path("source").path("geo").path("country_iso_code").asText()).isEqualTo("JP");
                assertThat(t.path("messages").path("rtcp").asInt()).as("RTCP over IPv6 joins the call").isPositive();
                assertThat(t.path("messages").path("logs").asInt()).isEqualTo(1);
                assertThat(d.path("qos").path("mos").asDouble()).isBetween(1.0, 4.5);
            }
        }
    }
}
