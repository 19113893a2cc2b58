package io.hepstack.collector.correlate;

import com.fasterxml.jackson.databind.JsonNode;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.enricher.Enricher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HEP captures of testdata/hep replayed in capture (file) order with ticks, as the pipeline
 * would, against the known answers of testdata/SOURCES.md.
 */
class HepCaptureTest {

    private static Enricher enricher;

    @BeforeAll
    static void start() {
        enricher = TestEnricher.build();
    }

    @AfterAll
    static void stop() {
        enricher.close();
    }

    /** SOURCES.md, "hepgen-20calls.pcap: the 20 calls" (-1: none). */
    record HepgenCall(int n, String callId, String callerIp, boolean answered, long ringMs, long finalMs, long byeS,
                      long lost, long packets, long jitter) {
    }

    static final List<HepgenCall> HEPGEN = List.of(
            new HepgenCall(1, "325a1333-0ebb-5c2d-38a24bec5164@81.2.69.142", "81.2.69.142", true, 788, 2643, 146, 59, 3650, 226),
            new HepgenCall(2, "1b97b907-9371-3386-bf3d0348cb04@89.160.20.112", "89.160.20.112", true, 169, 4853, 131, 25, 3275, 384),
            new HepgenCall(3, "58f03404-ff10-cadd-f828e65f08c8@216.160.83.56", "216.160.83.56", true, 469, 1344, 102, 24, 2550, 382),
            new HepgenCall(4, "98136680-8ae6-adf0-2974bac3dcda@2.125.160.216", "2.125.160.216", true, 679, 2772, 65, 11, 1625, 265),
            new HepgenCall(5, "cad69fd5-e72a-138e-08e25b00c109@175.16.199.10", "175.16.199.10", true, 672, 6138, 97, 7, 2425, 309),
            new HepgenCall(6, "9bd824b6-78c8-847b-2f1e0af95318@12.81.92.20", "12.81.92.20", false, -1, 2551, -1, -1, -1, -1),
            new HepgenCall(7, "fd0707ea-a4c7-67d9-5d7422dcf414@81.2.69.142", "81.2.69.142", true, 290, 2523, 154, 111, 3850, 280),
            new HepgenCall(8, "0bd909f4-9a95-2c4e-a37c7e9eed08@89.160.20.112", "89.160.20.112", true, 722, 3537, 123, 83, 3075, 162),
            new HepgenCall(9, "140722c4-3191-cc22-9a1ad0393a3b@216.160.83.56", "216.160.83.56", true, 162, 2706, 37, 2, 925, 36),
            new HepgenCall(10, "ca476959-8ff7-076f-a09ac7995b98@2.125.160.216", "2.125.160.216", true, 699, 5172, 46, 33, 1150, 131),
            new HepgenCall(11, "e9efe16c-8d8f-0f43-64d7cbc71c0b@175.16.199.10", "175.16.199.10", true, 559, 6143, 182, 32, 4550, 325),
            new HepgenCall(12, "2351c79e-26f8-ecea-a7e1a9f82f24@12.81.92.20", "12.81.92.20", true, 266, 4179, 93, 61, 2325, 271),
            new HepgenCall(13, "d5e3fb30-8968-1dc8-a368882cdc7c@81.2.69.142", "81.2.69.142", false, -1, 2045, -1, -1, -1, -1),
            new HepgenCall(14, "cb5f16c7-2c43-cc38-ab59ce65d9c7@89.160.20.112", "89.160.20.112", true, 871, 5557, 184, 46, 4600, 25),
            new HepgenCall(15, "7295142d-571f-f00b-206f7607036f@216.160.83.56", "216.160.83.56", true, 829, 3662, 64, 2, 1600, 74),
            new HepgenCall(16, "80b8cdb3-bdee-6d5f-d125bad90879@2.125.160.216", "2.125.160.216", true, 821, 2024, 98, 8, 2450, 178),
            new HepgenCall(17, "5678584c-6d7b-5464-f294c190697a@175.16.199.10", "175.16.199.10", true, 811, 4238, 19, 12, 475, 121),
            new HepgenCall(18, "455256d9-0875-2d0c-424e9c7084ac@12.81.92.20", "12.81.92.20", true, 505, 3885, 156, 41, 3900, 346),
            new HepgenCall(19, "507b1e83-60e2-cd9c-3a93ae985da4@81.2.69.142", "81.2.69.142", true, 517, 5631, 235, 29, 5875, 9),
            new HepgenCall(20, "ff57e3a2-6d40-e1ed-7c81f8e4a860@89.160.20.112", "89.160.20.112", true, 746, 5524, 219, 98, 5475, 89));

    /** SOURCES.md, rates: ASTPP costs of the hepgen calls it lists. */
    static final Map<Integer, String> COST = Map.ofEntries(Map.entry(1, "0.0243"), Map.entry(2, "0.2100"),
            Map.entry(3, "0.1400"), Map.entry(4, "0.0130"), Map.entry(5, "0.0889"), Map.entry(6, "0.0000"),
            Map.entry(8, "14.9500"), Map.entry(9, "0.0300"), Map.entry(12, "0.0288"), Map.entry(14, "0.0440"),
            Map.entry(15, "1.9000"), Map.entry(17, "1.0000"));

    /** SOURCES.md, blacklists: callers on voipbl (175.16.199.10) and CINS (89.160.20.112). */
    static final Set<Integer> BLACKLISTED = Set.of(5, 11, 17, 2, 8, 14, 20);

    @Test
    void hepgenCallsHaveTheGeneratorsStatusesTimingsQualityAndPrices() {
        List<HepPacket> packets = CaptureReplay.hep(CaptureReplay.repo("hep/hepgen-20calls.pcap"));
        assertThat(packets).hasSize(172);
        CaptureReplay.Result r = CaptureReplay.replay(packets, new CorrelationConfig(), enricher, true);
        assertThat(r.sink().ofType("call")).hasSize(20);
        assertThat(r.sink().docs()).hasSize(20);
        for (HepgenCall c : HEPGEN) {
            JsonNode doc = r.sink().call(c.callId());
            JsonNode t = doc.path("tdr");
            String at = "call " + c.n();
            assertThat(t.path("status").asText()).as(at).isEqualTo(c.answered() ? "FINISHED" : "USER_BUSY");
            assertThat(t.path("final").asBoolean()).as(at).isTrue();
            assertThat(t.path("final_response_ms").asLong()).as(at).isEqualTo(c.finalMs());
            assertThat(t.path("caller").path("ip").asText()).as(at).isEqualTo(c.callerIp());
            assertThat(t.path("callee").path("ip").asText()).as(at).isEqualTo("192.0.2.10");
            assertThat(t.path("nodes").get(0).asText()).as(at).isEqualTo("hepgen-01");
            assertThat(t.path("capture_ids").get(0).asLong()).as(at).isEqualTo(2001);
            assertThat(t.path("messages").path("logs").asInt()).as(at).isEqualTo(1);
            assertThat(doc.path("rating").path("table").asText()).as("every callee has a rate").isEqualTo("astpp");
            if (COST.containsKey(c.n())) {
                assertThat(doc.path("rating").path("cost").decimalValue()).as(at).isEqualByComparingTo(new BigDecimal(COST.get(c.n())));
            }
            assertThat(doc.path("blacklist").path("hit").asBoolean()).as(at).isEqualTo(BLACKLISTED.contains(c.n()));
            if (c.answered()) {
                assertThat(t.path("setup_ms").asLong()).as(at).isEqualTo(c.ringMs());
                assertThat(t.path("answer_ms").asLong()).as(at).isEqualTo(c.finalMs());
                assertThat(t.path("duration_s").asLong()).as(at).isEqualTo(c.byeS());
                assertThat(t.path("duration_ms").asLong()).as(at).isEqualTo(c.byeS() * 1000);
                assertThat(t.path("final_code").asInt()).as(at).isEqualTo(200);
                assertThat(t.path("messages").path("count").asInt()).as(at).isEqualTo(9);
                assertThat(t.path("messages").path("rtcp").asInt()).as(at).isEqualTo(1);
                // the SBC's report on the caller's stream: a_leg
                JsonNode a = doc.path("qos").path("a_leg");
                assertThat(a.path("packets").asLong()).as(at).isEqualTo(c.packets());
                assertThat(a.path("lost").asLong()).as(at).isEqualTo(c.lost());
                assertThat(a.path("jitter_ms").asDouble()).as(at).isEqualTo(c.jitter() / 8.0);
                String answer = t.path("callee").path("media").path("codecs").get(0).asText();
                assertThat(a.path("codec").asText()).as(at)
                        .isEqualTo(io.hepstack.collector.qos.Codec.fromRtpmap(answer).name());
                assertThat(doc.path("qos").has("b_leg")).as(at).isFalse();
                assertThat(doc.path("qos").path("mos").asDouble()).as(at).isEqualTo(a.path("mos").asDouble()).isBetween(1.0, 4.5);
            } else {
                assertThat(t.path("final_code").asInt()).as(at).isEqualTo(486);
                assertThat(t.has("setup_ms")).as(at).isFalse();
                assertThat(t.path("messages").path("count").asInt()).as(at).isEqualTo(5);
                assertThat(doc.has("qos")).as(at).isFalse();
            }
        }
        assertThat(r.messages()).allSatisfy(m -> assertThat(m.callId).as("every packet belongs to a call").isNotNull());
        assertThat(r.messages()).noneMatch(m -> m.duplicate);

        // the same packets sorted by capture time give the same calls
        List<HepPacket> sorted = new ArrayList<>(packets);
        sorted.sort(Comparator.comparingLong(HepPacket::timestampMicros));
        CaptureReplay.Result s = CaptureReplay.replay(sorted, new CorrelationConfig(), enricher, true);
        for (HepgenCall c : HEPGEN) {
            JsonNode a = r.sink().call(c.callId()).path("tdr");
            JsonNode b = s.sink().call(c.callId()).path("tdr");
            for (String f : List.of("status", "start", "end", "setup_ms", "answer_ms", "duration_ms", "final_code")) {
                assertThat(b.path(f)).as(c.n() + " " + f).isEqualTo(a.path(f));
            }
            assertThat(s.sink().call(c.callId()).path("qos")).isEqualTo(r.sink().call(c.callId()).path("qos"));
        }
    }

    @Test
    void kamailioProxyCallsAreOneTdrPerCallIdWithBothHops() {
        CaptureReplay.Result r = CaptureReplay.replay(CaptureReplay.hep(CaptureReplay.repo("hep/kamailio-hep3.pcap")),
                new CorrelationConfig(), null, true);
        List<JsonNode> calls = r.sink().ofType("call");
        assertThat(calls).hasSize(20);
        int sip = 0;
        for (JsonNode doc : calls) {
            JsonNode t = doc.path("tdr");
            String at = t.path("call_id").asText();
            assertThat(t.path("status").asText()).as(at).isEqualTo("FINISHED");
            assertThat(t.path("hops").asInt()).as(at).isEqualTo(2);
            assertThat(t.path("caller").path("port").asInt()).as(at).isEqualTo(5061);
            assertThat(t.path("callee").path("port").asInt()).as(at).isEqualTo(5070);
            assertThat(t.path("ended_by").asText()).as(at).isEqualTo("caller");
            assertThat(t.path("messages").path("retransmissions").asInt()).as(at).isZero();
            assertThat(t.path("messages").path("logs").asInt()).as(at).isEqualTo(1);
            assertThat(t.path("capture_ids").get(0).asLong()).as(at).isEqualTo(2001);
            // SIPp sends no User-Agent; only the proxy's 100 Trying has a Server header
            assertThat(t.path("caller").has("user_agent")).as(at).isFalse();
            assertThat(t.path("callee").path("user_agent").asText()).as(at).startsWith("kamailio");
            sip += t.path("messages").path("sip").asInt();
        }
        assertThat(sip).isEqualTo(259);
        assertThat(r.messages().stream().filter(m -> m.protocol.dataset().equals("log")))
                .hasSize(20).allSatisfy(m -> assertThat(m.callId).isEqualTo(m.hep.correlationId));
    }

    @Test
    void registerFloodIsOneFailedRegistrationPerRequest() {
        CaptureReplay.Result r = CaptureReplay.replay(
                CaptureReplay.hep(CaptureReplay.repo("hep/kamailio-hep3-register-flood.pcap")), new CorrelationConfig(), null, true);
        List<JsonNode> regs = r.sink().ofType("registration");
        assertThat(regs).hasSize(600);
        Map<Integer, Integer> codes = new HashMap<>();
        for (JsonNode d : regs) {
            JsonNode t = d.path("tdr");
            assertThat(t.path("status").asText()).isEqualTo("USER_FAILURE");
            assertThat(d.path("user_agent").path("original").asText()).isEqualTo("friendly-scanner");
            codes.merge(t.path("final_code").asInt(), 1, Integer::sum);
        }
        assertThat(codes).containsExactlyInAnyOrderEntriesOf(Map.of(401, 36, 404, 564));
        assertThat(r.sink().docs()).hasSize(600);
    }

    @Test
    void sipviciousScanShowsTheBruteForceAsOneRegistrationWithEveryChallenge() {
        CaptureReplay.Result r = CaptureReplay.replay(
                CaptureReplay.hep(CaptureReplay.repo("hep/kamailio-hep3-scan.pcap")), new CorrelationConfig(), null, true);
        // the capture's own view, computed here from the parsed messages
        Set<String> registerCallIds = new HashSet<>();
        int registers = 0;
        int answers = 0;
        for (CapturedMessage m : r.messages()) {
            io.hepstack.collector.protocol.sip.SipMessage sip = m.parsed(io.hepstack.collector.protocol.sip.SipMessage.class);
            if (sip != null && "REGISTER".equals(sip.cseqMethod())) {
                registerCallIds.add(sip.callId());
                if (sip.isRequest()) {
                    registers++;
                } else {
                    answers++;
                }
            }
        }
        assertThat(registers).isEqualTo(203);
        assertThat(answers).isEqualTo(108 + 95);
        List<JsonNode> regs = r.sink().ofType("registration");
        assertThat(regs).hasSize(registerCallIds.size());
        int requests = 0;
        JsonNode brute = null;
        for (JsonNode d : regs) {
            JsonNode t = d.path("tdr");
            assertThat(t.path("status").asText()).isEqualTo("USER_FAILURE");
            assertThat(t.path("final_code").asInt()).isIn(401, 404);
            requests += t.path("attempts").asInt();
            if (t.path("call_id").asText().equals("131860276")) {
                brute = t;
            }
        }
        assertThat(requests).isEqualTo(203);
        assertThat(brute).isNotNull();
        assertThat(brute.path("attempts").asInt()).isEqualTo(102);
        assertThat(brute.path("auth_challenges").asInt()).isEqualTo(102);
        assertThat(brute.path("messages").path("sip").asInt()).isEqualTo(204);
        assertThat(r.sink().ofType("options")).singleElement()
                .satisfies(d -> assertThat(d.path("tdr").path("status").asText()).isEqualTo("SUCCESS"));
    }
}
