package io.hepstack.collector.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.collector.pcap.PcapPacket;
import io.hepstack.collector.pcap.PcapReader;
import io.hepstack.collector.testing.EsHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The 20 calls of hepgen-20calls.pcap through the whole collector: their TDRs in Elasticsearch
 * carry the status, timings, geo, e.164 destination, cost and blacklist hits that
 * ../shared/testdata/SOURCES.md gives for each call, and the call API tells each call's story
 * (SIP, RTCP and LOG) in capture order.
 */
class CallsEndToEndIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static EsHttp es;

    /** One row of the SOURCES.md tables: expected answers for each call. */
    record Call(int n, String callId, String callerIp, String to, boolean answered, long ringMs, long finalMs,
                long durationS, String country, String cost, String prefix, boolean blacklisted) {
    }

    // # | Call-ID | caller IP | to | answered | INVITE→180 | INVITE→final | 200→BYE | caller country | cost | prefix | listed
    static final List<Call> CALLS = List.of(
            new Call(1, "325a1333-0ebb-5c2d-38a24bec5164@81.2.69.142", "81.2.69.142", "+442079460123", true, 788, 2643, 146, "GB", "0.0243", "4420", false),
            new Call(2, "1b97b907-9371-3386-bf3d0348cb04@89.160.20.112", "89.160.20.112", "+4915123456789", true, 169, 4853, 131, "SE", "0.2100", "49151", true),
            new Call(3, "58f03404-ff10-cadd-f828e65f08c8@216.160.83.56", "216.160.83.56", "+4915123456789", true, 469, 1344, 102, "US", "0.1400", "49151", true),
            new Call(4, "98136680-8ae6-adf0-2974bac3dcda@2.125.160.216", "2.125.160.216", "+33142685300", true, 679, 2772, 65, "GB", "0.0130", "331", false),
            new Call(5, "cad69fd5-e72a-138e-08e25b00c109@175.16.199.10", "175.16.199.10", "+447700900123", true, 672, 6138, 97, "CN", "0.0889", "447", true),
            new Call(6, "9bd824b6-78c8-847b-2f1e0af95318@12.81.92.20", "12.81.92.20", "+88213000123", false, -1, 2551, -1, null, "0.0000", "88213", false),
            new Call(7, "fd0707ea-a4c7-67d9-5d7422dcf414@81.2.69.142", "81.2.69.142", "+33142685300", true, 290, 2523, 154, "GB", null, null, false),
            new Call(8, "0bd909f4-9a95-2c4e-a37c7e9eed08@89.160.20.112", "89.160.20.112", "+88213000123", true, 722, 3537, 123, "SE", "14.9500", "88213", true),
            new Call(9, "140722c4-3191-cc22-9a1ad0393a3b@216.160.83.56", "216.160.83.56", "+3727123456", true, 162, 2706, 37, "US", "0.0300", "372", true),
            new Call(10, "ca476959-8ff7-076f-a09ac7995b98@2.125.160.216", "2.125.160.216", "+4915123456789", true, 699, 5172, 46, "GB", null, null, false),
            new Call(11, "e9efe16c-8d8f-0f43-64d7cbc71c0b@175.16.199.10", "175.16.199.10", "+33142685300", true, 559, 6143, 182, "CN", null, null, true),
            new Call(12, "2351c79e-26f8-ecea-a7e1a9f82f24@12.81.92.20", "12.81.92.20", "+861012345678", true, 266, 4179, 93, null, "0.0288", "8610", false),
            new Call(13, "d5e3fb30-8968-1dc8-a368882cdc7c@81.2.69.142", "81.2.69.142", "+447700900123", false, -1, 2045, -1, "GB", null, null, false),
            new Call(14, "cb5f16c7-2c43-cc38-ab59ce65d9c7@89.160.20.112", "89.160.20.112", "+4930901820", true, 871, 5557, 184, "SE", "0.0440", "4930", true),
            new Call(15, "7295142d-571f-f00b-206f7607036f@216.160.83.56", "216.160.83.56", "+5372345678", true, 829, 3662, 64, "US", "1.9000", "537", true),
            new Call(16, "80b8cdb3-bdee-6d5f-d125bad90879@2.125.160.216", "2.125.160.216", "+4930901820", true, 821, 2024, 98, "GB", null, null, false),
            new Call(17, "5678584c-6d7b-5464-f294c190697a@175.16.199.10", "175.16.199.10", "+5372345678", true, 811, 4238, 19, "CN", "1.0000", "537", true),
            new Call(18, "455256d9-0875-2d0c-424e9c7084ac@12.81.92.20", "12.81.92.20", "+5372345678", true, 505, 3885, 156, null, null, null, false),
            new Call(19, "507b1e83-60e2-cd9c-3a93ae985da4@81.2.69.142", "81.2.69.142", "+4915123456789", true, 517, 5631, 235, "GB", null, null, false),
            new Call(20, "ff57e3a2-6d40-e1ed-7c81f8e4a860@89.160.20.112", "89.160.20.112", "+442079460123", true, 746, 5524, 219, "SE", null, null, true));

    @BeforeAll
    static void clean() {
        es = EsHttp.shared();
        for (String p : List.of("hep-sip-2026.01.*", "hep-log-2026.01.*", "hep-rtcp-2026.01.*", "hep-tdr-2026.01.*", "hep-alert-2026.01.*")) {
            es.deleteIndices(p);
        }
    }

    @AfterAll
    static void cleanAfter() {
        clean();
    }

    @Test
    void everyCallHasAFinalTdrWithTheKnownAnswersAndTheApiTellsItsStory() throws Exception {
        List<byte[]> packets = new ArrayList<>();
        for (PcapPacket p : PcapReader.read(Path.of("../testdata/hep/hepgen-20calls.pcap"))) {
            packets.add(p.payload());
        }
        try (Collector c = new Collector(); DatagramSocket s = new DatagramSocket()) {
            for (byte[] b : packets) {
                s.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), c.udpPort()));
            }
            String finals = "{\"query\":{\"bool\":{\"filter\":[{\"term\":{\"tdr.type\":\"call\"}},{\"term\":{\"tdr.final\":true}}]}}}";
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> es.count("hep-tdr-2026.01.*", finals) == 20);

            JsonNode hits = es.post("/hep-tdr-2026.01.*/_search", "{\"size\":100,\"query\":{\"term\":{\"tdr.type\":\"call\"}}}")
                    .path("hits").path("hits");
            Map<String, JsonNode> byCall = new HashMap<>();
            for (JsonNode h : hits) {
                byCall.put(h.path("_source").path("tdr").path("call_id").asText(), h.path("_source"));
            }
            assertThat(byCall).hasSize(20);
            for (Call k : CALLS) {
                JsonNode t = byCall.get(k.callId());
                String what = "call " + k.n();
                assertThat(t).as(what).isNotNull();
                JsonNode tdr = t.path("tdr");
                assertThat(tdr.path("status").asText()).as(what).isEqualTo(k.answered() ? "FINISHED" : "USER_BUSY");
                assertThat(tdr.path("final_code").asInt()).as(what).isEqualTo(k.answered() ? 200 : 486);
                assertThat(tdr.path("final_response_ms").asLong()).as(what).isEqualTo(k.finalMs());
                if (k.ringMs() >= 0) {
                    assertThat(tdr.path("setup_ms").asLong()).as(what + " PDD").isEqualTo(k.ringMs());
                    assertThat(tdr.path("duration_s").asLong()).as(what).isEqualTo(k.durationS());
                }
                assertThat(t.path("source").path("ip").asText()).as(what).isEqualTo(k.callerIp());
                if (k.country() != null) {
                    assertThat(t.path("source").path("geo").path("country_iso_code").asText()).as(what).isEqualTo(k.country());
                } else {
                    assertThat(t.path("source").path("geo").isMissingNode()).as(what + ": not in the City DB").isTrue();
                }
                assertThat(tdr.path("callee").path("number").path("e164").asText()).as(what).isEqualTo(k.to());
                if (k.cost() != null) {
                    assertThat(t.path("rating").path("cost").decimalValue()).as(what)
                            .isEqualByComparingTo(new java.math.BigDecimal(k.cost()));
                    assertThat(t.path("rating").path("prefix").asText()).as(what).isEqualTo(k.prefix());
                }
                assertThat(t.path("blacklist").path("hit").asBoolean(false)).as(what).isEqualTo(k.blacklisted());
                if (k.answered()) {
                    assertThat(t.path("qos").path("mos").asDouble()).as(what + " MOS").isBetween(1.0, 4.5);
                }
            }
            // AT&T's address is in the ASN test database only
            assertThat(byCall.get(CALLS.get(5).callId()).path("source").path("as").path("number").asLong()).isEqualTo(7018);

            // the call API: the TDR and every message of call 1 across protocols, in capture order
            // (once the indexer has sent everything and a refresh has made it searchable)
            assertThat(c.app().elasticsearch().indexer().awaitIdle(Duration.ofSeconds(30))).isTrue();
            es.refresh("hep-*");
            String callId = CALLS.get(0).callId();
            HttpResponse<String> r = c.get("/api/v1/calls/" + URLEncoder.encode(callId, StandardCharsets.UTF_8).replace("+", "%20"));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode call = MAPPER.readTree(r.body());
            assertThat(call.path("tdrs")).hasSize(1);
            List<String> protocols = new ArrayList<>();
            String previous = "";
            for (JsonNode m : call.path("messages")) {
                protocols.add(m.path("protocol").asText());
                String time = m.path("time").asText();
                assertThat(time).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
                assertThat(time.compareTo(previous)).as("capture order").isGreaterThanOrEqualTo(0);
                previous = time;
            }
            assertThat(protocols).containsOnly("sip", "rtcp", "log");
            assertThat(protocols.stream().filter("sip"::equals).count()).isEqualTo(7); // INVITE 100 180 200 ACK BYE 200
            assertThat(protocols).contains("rtcp", "log");

            // and the search
            HttpResponse<String> busy = c.get("/api/v1/calls?status=USER_BUSY&from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z");
            assertThat(busy.statusCode()).as(busy.body()).isEqualTo(200);
            assertThat(MAPPER.readTree(busy.body()).path("total").asLong()).isEqualTo(2);
        }
    }
}
