package io.hepstack.collector.correlate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.enricher.Enricher;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every field a TDR document carries is mapped by the hep-tdr index template (hep-base + hep-tdr
 * components), so dashboards can filter and aggregate on it. Documents from the hepgen capture
 * with the sample enricher (geo, blacklists, numbers, rating, RTCP), the scanner capture
 * (registrations, OPTIONS) and generated linked legs with RTCP from both sides.
 */
class TdrTemplateTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void everyTdrFieldIsMapped() throws IOException {
        JsonNode base = MAPPER.readTree(Path.of("../index-templates/component/hep-base.json").toFile())
                .path("template").path("mappings").path("properties");
        JsonNode tdr = MAPPER.readTree(Path.of("../index-templates/component/hep-tdr.json").toFile())
                .path("template").path("mappings").path("properties");
        Set<String> unmapped = new TreeSet<>();
        Set<String> seen = new TreeSet<>();
        try (Enricher e = TestEnricher.build()) {
            for (JsonNode doc : CaptureReplay.replay(CaptureReplay.hep(CaptureReplay.repo("hep/hepgen-20calls.pcap")),
                    new CorrelationConfig(), e, true).sink().docs()) {
                walk("", doc, base, tdr, unmapped, seen);
            }
        }
        for (JsonNode doc : CaptureReplay.replay(CaptureReplay.hep(CaptureReplay.repo("hep/kamailio-hep3-scan.pcap")),
                new CorrelationConfig(), null, true).sink().docs()) {
            walk("", doc, base, tdr, unmapped, seen);
        }
        Harness h = new Harness();
        TestSip.Dialog a = new TestSip.Dialog("tpl-a@test");
        TestSip.Dialog b = new TestSip.Dialog("tpl-b@test");
        h.batch(a.invite(0).header("P-Asserted-Identity", "<sip:+4930123456@example.com>"), b.invite(5).header("X-CID", a.callId),
                a.reply(200, "OK", 100).sdp("10.2.2.2", 5000, "PCMU/8000"),
                a.reply(486, "Busy Here", 50).header("Reason", "Q.850;cause=17"));
        h.packets(TestSip.rtcp("10.2.2.2", 5001, "10.1.1.1", 4001, a.at(1_000), a.callId, 2, 1, 100, 0, 0, 100, 8),
                TestSip.rtcp("10.1.1.1", 4001, "10.2.2.2", 5001, a.at(1_000), a.callId, 1, 2, 100, 0, 0, 100, 8));
        h.flush();
        for (JsonNode doc : h.sink.docs()) {
            walk("", doc, base, tdr, unmapped, seen);
        }
        assertThat(seen).contains("tdr.status", "tdr.setup_ms", "qos.a_leg.mos", "qos.b_leg.mos", "rating.cost",
                "source.geo.location", "tdr.registration.auth_challenges", "tdr.linked_call_ids", "tdr.reason.cause",
                "tdr.caller.pai", "user_agent.original");
        assertThat(unmapped).isEmpty();
    }

    /** Records the document paths that no template maps (leaves and objects alike). */
    private static void walk(String prefix, JsonNode node, JsonNode base, JsonNode tdr, Set<String> unmapped, Set<String> seen) {
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            String path = prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey();
            JsonNode mapping = mapping(base, path);
            if (mapping == null) {
                mapping = mapping(tdr, path);
            }
            if (mapping == null) {
                unmapped.add(path);
                continue;
            }
            seen.add(path);
            JsonNode v = f.getValue();
            if (v.isObject() && mapping.has("properties")) {
                walk(path, v, base, tdr, unmapped, seen);
            }
        }
    }

    private static JsonNode mapping(JsonNode props, String path) {
        JsonNode m = null;
        JsonNode level = props;
        for (String part : path.split("\\.")) {
            m = level.get(part);
            if (m == null) {
                return null;
            }
            level = m.path("properties");
        }
        return m;
    }
}
