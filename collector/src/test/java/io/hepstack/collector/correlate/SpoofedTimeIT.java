package io.hepstack.collector.correlate;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import io.hepstack.collector.hep.HepEncoder;
import io.hepstack.collector.it.Collector;
import io.hepstack.collector.pcap.PcapPacket;
import io.hepstack.collector.pcap.PcapReader;
import io.hepstack.collector.testing.EsHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Attacks on time, against a running collector (capture clock on, as by default) and the real
 * Elasticsearch: packets dated 2106 (a new call and the BYE of a live call) must create no 2106
 * index and no alert, while the fraud checks keep firing on the real traffic; the hepgen capture
 * of January 2026 replayed at full speed beside the live traffic must give its 20 calls with their
 * known timings and raise no call-duration alert (before the capture clock, a replayed call "lasted"
 * the months between its capture and now).
 */
class SpoofedTimeIT {

    private static final long Y2106 = Instant.parse("2106-02-07T00:00:00Z").getEpochSecond() * 1_000_000L;
    private static EsHttp es;

    @BeforeAll
    static void clean() {
        es = EsHttp.shared();
        es.deleteIndices("hep-*");
    }

    @AfterAll
    static void cleanAfter() {
        es.deleteIndices("hep-*");
    }

    @Test
    void spoofedAndReplayedTimesMoveNoStateAndRaiseNoFalseAlert() throws Exception {
        try (Collector c = new Collector(ConfigOverride.config("hep.clock.enabled", "true"));
             DatagramSocket s = new DatagramSocket()) {
            long now = System.currentTimeMillis() * 1000;
            // live traffic of agent 1: bob's call is up
            TestSip.Dialog bob = dialog("bob-live@it", "bob", "+4930901820", now);
            send(s, c, bob.invite(0), bob.reply(200, "OK", 300));
            // the attacker, as agent 1: a new call dated 2106, and bob's BYE dated 2106 (an 80-year call)
            TestSip.Dialog spoof = dialog("spoof-2106@it", "mallory", "+4930901821", Y2106);
            TestSip.Msg bye = bob.inDialog("BYE", true, 2, "z9hG4bK-bye", 0);
            bye.micros = Y2106;
            TestSip.Msg byeOk = bob.answer(bye, 200, "OK", 0);
            byeOk.micros = Y2106;
            send(s, c, spoof.invite(0), bye, byeOk);
            // an old capture (hepgen's 20 calls of January 2026, agent 2001) replayed at full speed
            List<byte[]> replay = new ArrayList<>();
            for (PcapPacket p : PcapReader.read(Path.of("../testdata/hep/hepgen-20calls.pcap"))) {
                replay.add(p.payload());
            }
            for (byte[] b : replay) {
                s.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), c.udpPort()));
            }
            // then real traffic again: alice calls an 882 number (the sample rules warn at 1 call a minute)
            TestSip.Dialog alice = dialog("alice-live@it", "alice", "+88213000123", System.currentTimeMillis() * 1000);
            send(s, c, alice.invite(0));

            String finals = "{\"query\":{\"bool\":{\"filter\":[{\"term\":{\"tdr.type\":\"call\"}},{\"term\":{\"tdr.final\":true}}]}}}";
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                es.refresh("hep-*");
                return es.count("hep-tdr-*", finals) >= 21 && alerts("calls-per-minute", "alice") > 0;
            });
            es.refresh("hep-*");

            JsonNode indices = es.get("/_cat/indices/hep-*?format=json&h=index");
            List<String> names = new ArrayList<>();
            indices.forEach(i -> names.add(i.path("index").asText()));
            assertThat(names).as("no index of a spoofed or an old day").isNotEmpty()
                    .noneMatch(n -> n.contains("2106")).noneMatch(n -> n.contains("2026.01"));
            JsonNode spoofed = es.post("/hep-sip-*/_search",
                    "{\"query\":{\"term\":{\"sip.call_id\":\"spoof-2106@it\"}}}").path("hits").path("hits");
            assertThat(spoofed).as("the packet is stored").hasSize(1);
            assertThat(spoofed.get(0).path("_source").path("@timestamp").asText()).as("with the time it claims")
                    .startsWith("2106-02-07");

            assertThat(alerts("call-duration", null)).as("no duration alert: not bob's 80 years, not a replayed call's months")
                    .isZero();
            JsonNode all = es.post("/hep-alert-*/_search", "{\"size\":100}").path("hits").path("hits");
            for (JsonNode a : all) {
                Instant at = Instant.parse(a.path("_source").path("@timestamp").asText());
                assertThat(at).as("every alert is dated now: %s", a.path("_source").path("message").asText())
                        .isBetween(Instant.now().minusSeconds(600), Instant.now().plusSeconds(60));
            }

            // the replayed calls are right: hepgen's known answers (CallsEndToEndIT has all 20)
            JsonNode hits = es.post("/hep-tdr-*/_search", "{\"size\":100,\"query\":{\"term\":{\"hep.capture_id\":2001}}}")
                    .path("hits").path("hits");
            Map<String, JsonNode> byCall = new HashMap<>();
            hits.forEach(h -> byCall.put(h.path("_source").path("tdr").path("call_id").asText(), h.path("_source").path("tdr")));
            assertThat(byCall).hasSize(20);
            assertThat(byCall.get("2351c79e-26f8-ecea-a7e1a9f82f24@12.81.92.20").path("duration_s").asLong()).isEqualTo(93);
            assertThat(byCall.get("cb5f16c7-2c43-cc38-ab59ce65d9c7@89.160.20.112").path("duration_s").asLong()).isEqualTo(184);
            assertThat(byCall.get("d5e3fb30-8968-1dc8-a368882cdc7c@81.2.69.142").path("status").asText()).isEqualTo("USER_BUSY");
            assertThat(byCall.values()).allMatch(t -> t.path("final").asBoolean());

            assertThat((Long) c.gauge("clock.clamped")).as("the 2106 packets were clamped").isGreaterThanOrEqualTo(3L);
        }
    }

    private static long alerts(String rule, String user) {
        String q = "{\"query\":{\"bool\":{\"filter\":[{\"term\":{\"alert.rule\":\"" + rule + "\"}}"
                + (user == null ? "" : ",{\"term\":{\"alert.user\":\"" + user + "\"}}") + "]}}}";
        return es.count("hep-alert-*", q);
    }

    private static TestSip.Dialog dialog(String callId, String user, String number, long t0) {
        TestSip.Dialog d = new TestSip.Dialog(callId);
        d.t0 = t0;
        d.captureId = 1;
        d.fromUser = user;
        d.toUser = number;
        return d;
    }

    private static void send(DatagramSocket s, Collector c, TestSip.Msg... msgs) throws Exception {
        for (TestSip.Msg m : msgs) {
            byte[] b = new HepEncoder().encode(m.hep());
            s.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), c.udpPort()));
            Thread.sleep(20);
        }
    }
}
