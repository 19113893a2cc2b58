package io.hepstack.tools.hepgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.hepstack.collector.hep.HepEncoder;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.it.Collector;
import io.hepstack.collector.protocol.sip.SipMessage;
import io.hepstack.collector.protocol.sip.SipParser;
import io.hepstack.collector.testing.EsHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fraud detection through the whole collector with the sample rules (samples/fraud/fraud-rules.yml):
 * quiet traffic raises nothing; a burst of calls from one residential user (12 calls in 48 s to the
 * same Estonian number) raises exactly one calls-per-minute warning — in Elasticsearch, in the API
 * and as one webhook delivery to a local receiver, within a second of the call that crossed it; the
 * same burst split by a clean restart raises that alert once too (the fraud counters are checkpointed).
 */
class FraudEndToEndIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static EsHttp es;

    @BeforeEach
    void clean() {
        es = EsHttp.shared();
        for (String p : List.of("hep-*-2026.03.02", "hep-*-2026.03.03", "hep-alert-2026.11.*")) {
            es.deleteIndices(p);
        }
    }

    @AfterAll
    static void cleanAfter() {
        for (String p : List.of("hep-*-2026.03.02", "hep-*-2026.03.03", "hep-alert-2026.11.*")) {
            EsHttp.shared().deleteIndices(p);
        }
    }

    private static List<HepPacket> traffic(long startMicros, int users, String callerIp, List<String> callerNumbers,
                                           String destination, int calls, double cps, long seed) {
        TrafficConfig cfg = TrafficConfig.builder().seed(seed).startMicros(startMicros).calls(calls).registrations(0)
                .callsPerSecond(cps).users(users).callerNumbers(callerNumbers).callerIps(List.of(callerIp))
                .destinations(1).destinationNumbers(List.of(destination)).callMix(Map.of(CallOutcome.ANSWERED, 1))
                .callDuration(DurationDistribution.parse("fixed:1")).rtcp(false).logs(false).captureId(4001).build();
        List<HepPacket> out = new ArrayList<>();
        for (HepTrafficModel m = new HepTrafficModel(cfg); m.hasNext(); ) {
            TrafficPacket p = m.next();
            out.add(p.hep());
        }
        return out;
    }

    private static void send(int port, List<HepPacket> packets) throws Exception {
        HepEncoder enc = new HepEncoder();
        try (DatagramSocket s = new DatagramSocket()) {
            for (HepPacket p : packets) {
                byte[] b = enc.encode(p);
                s.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), port));
            }
        }
    }

    private static long alerts(String query) {
        return es.count("hep-alert-2026.03.*", query);
    }

    /** A local webhook receiver: the bodies it was sent and when they arrived. */
    private static final class Receiver implements AutoCloseable {
        final List<String> bodies = new CopyOnWriteArrayList<>();
        final List<Instant> arrivals = new CopyOnWriteArrayList<>();
        private final HttpServer server;

        Receiver() throws java.io.IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/alerts", ex -> {
                bodies.add(new String(ex.getRequestBody().readAllBytes()));
                arrivals.add(Instant.now());
                ex.sendResponseHeaders(204, -1);
                ex.close();
            });
            server.start();
        }

        /** The test configuration with alerts also POSTed here, written into {@code dir}. */
        String config(Path dir) throws java.io.IOException {
            Path config = dir.resolve("collector-fraud.yml");
            Files.writeString(config, Files.readString(Path.of(ResourceHelpers.resourceFilePath("collector-test.yml")))
                    .replace("fraud:\n  rules: ../samples/fraud/fraud-rules.yml\n", "fraud:\n  rules: ../samples/fraud/fraud-rules.yml\n"
                            + "  webhooks:\n    endpoints:\n      - url: http://127.0.0.1:" + server.getAddress().getPort() + "/alerts\n"));
            assertThat(Files.readString(config)).contains("/alerts");
            return config.toString();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static final long MONDAY_10 = Instant.parse("2026-03-02T10:00:00Z").toEpochMilli() * 1000; // office hours in Europe/London
    private static final String FINAL_CALLS = "{\"query\":{\"bool\":{\"filter\":[{\"term\":{\"tdr.type\":\"call\"}},"
            + "{\"term\":{\"tdr.final\":true}},{\"term\":{\"hep.capture_id\":4001}}]}}}";

    /** One residential user, 12 answered one-second calls, one every 4 s, to the same Estonian number. */
    private static List<HepPacket> burst(long start) {
        return traffic(start, 1, "2.125.160.216", List.of("+441865270000"), "+3727123456", 12, 0.25, 2);
    }

    /** The one calls-per-minute warning a burst raises, as stored in Elasticsearch. */
    private static JsonNode theOneAlert() {
        es.refresh("hep-alert-*");
        JsonNode hits = es.post("/hep-alert-2026.03.*/_search", "{\"size\":20}").path("hits").path("hits");
        assertThat(hits).as(hits.toString()).hasSize(1);
        JsonNode a = hits.get(0).path("_source").path("alert");
        assertThat(a.path("rule").asText()).isEqualTo("calls-per-minute");
        assertThat(a.path("severity").asText()).isEqualTo("warning");
        assertThat(a.path("threshold").asDouble()).isEqualTo(10);
        assertThat(a.path("value").asDouble()).isGreaterThanOrEqualTo(10);
        assertThat(a.path("rule_id").asText()).isEqualTo("1");
        assertThat(a.path("called_number").asText()).isEqualTo("3727123456");
        return a;
    }

    @Test
    void aBurstFromOneUserRaisesExactlyTheExpectedAlertEverywhereAndQuietTrafficNone(@TempDir Path dir) throws Exception {
        Receiver receiver = new Receiver();
        List<String> bodies = receiver.bodies;
        List<Instant> arrivals = receiver.arrivals;
        long monday10 = MONDAY_10;
        try (receiver; Collector c = new Collector(receiver.config(dir))) {
            // quiet: five users, one call each, to London
            send(c.udpPort(), traffic(monday10, 5, "81.2.69.142", List.of("+441865270001"), "+442079460123", 5, 0.1, 1));
            String finals = FINAL_CALLS;
            await().atMost(Duration.ofSeconds(60)).until(() -> es.count("hep-tdr-2026.03.*", finals) == 5);
            Thread.sleep(2000);
            assertThat(alerts(null)).as("quiet traffic raises no alert").isZero();
            assertThat(bodies).isEmpty();

            // the burst: one user, 12 answered one-second calls, one every 4 s, to the same Estonian number
            List<HepPacket> burst = burst(monday10 + 3_600_000_000L);
            String user = null;
            SipParser parser = new SipParser();
            for (HepPacket p : burst) {
                SipMessage m = parser.parse(p.payload, 0, p.payload.length);
                if (m.isRequest() && "INVITE".equals(m.method())) {
                    user = m.from().uri().user();
                }
            }
            assertThat(user).isNotNull();
            Instant sent = Instant.now();
            send(c.udpPort(), burst);
            await().atMost(Duration.ofSeconds(30)).until(() -> !bodies.isEmpty());
            assertThat(Duration.between(sent, arrivals.get(0))).as("alert delivered within a second").isLessThan(Duration.ofSeconds(1));
            await().atMost(Duration.ofSeconds(60)).until(() -> es.count("hep-tdr-2026.03.*", finals) == 17);
            Thread.sleep(3000);

            assertThat(theOneAlert().path("user").asText()).isEqualTo(user);

            assertThat(bodies).as("one webhook delivery per alert").hasSize(1);
            JsonNode hook = MAPPER.readTree(bodies.get(0));
            assertThat(hook.toString()).contains("calls-per-minute").contains(user);

            JsonNode recent = MAPPER.readTree(c.get("/api/v1/fraud/alerts").body());
            assertThat(recent).hasSize(1);
            assertThat(recent.get(0).path("rule").asText()).isEqualTo("calls-per-minute");
            HttpResponse<String> stats = c.get("/api/v1/fraud/users/" + java.net.URLEncoder.encode(user, java.nio.charset.StandardCharsets.UTF_8));
            assertThat(stats.statusCode()).as(stats.body()).isEqualTo(200);
            assertThat(stats.body()).contains("\"user\":\"" + user + "\"");
        }
    }

    @Test
    void aBurstSplitByACleanRestartRaisesItsAlertOnceAsWithoutTheRestart(@TempDir Path dir) throws Exception {
        long start = MONDAY_10 + 2 * 3_600_000_000L;
        List<HepPacket> burst = burst(start);
        // calls at 0, 4, ... 44 s, each 1 s long: the first six before the restart, the other six after it
        int half = 0;
        while (burst.get(half).timestampMicros() < start + 22_000_000L) {
            half++;
        }
        ConfigOverride[] checkpoint = {ConfigOverride.config("fraud.checkpoint.enabled", "true"),
                ConfigOverride.config("fraud.checkpoint.file", dir.resolve("fraud/state.json").toString())};
        try (Receiver receiver = new Receiver()) {
            String config = receiver.config(dir);
            try (Collector c = new Collector(config, checkpoint)) {
                send(c.udpPort(), burst.subList(0, half));
                await().atMost(Duration.ofSeconds(60)).until(() -> es.count("hep-tdr-2026.03.*", FINAL_CALLS) == 6);
            } // a clean stop: the fraud counters are saved
            assertThat(dir.resolve("fraud/state.json")).exists();
            assertThat(receiver.bodies).as("six calls in a minute raise nothing").isEmpty();

            try (Collector c = new Collector(config, checkpoint)) {
                assertThat(dir.resolve("fraud/state.json")).as("restored, and read once").doesNotExist();
                send(c.udpPort(), burst.subList(half, burst.size()));
                await().atMost(Duration.ofSeconds(60)).until(() -> es.count("hep-tdr-2026.03.*", FINAL_CALLS) == 12);
                await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.bodies.isEmpty());
                Thread.sleep(3000);
                theOneAlert();
                assertThat(receiver.bodies).as("one webhook delivery, as without the restart").hasSize(1);
                JsonNode recent = MAPPER.readTree(c.get("/api/v1/fraud/alerts").body());
                assertThat(recent).hasSize(1);
            }
        }
    }

    private static java.util.Set<String> rulesFor(String field, String value) {
        es.refresh("hep-alert-*");
        // the flood capture carries its own (November 2026) capture times: search every alert index
        JsonNode hits = es.post("/hep-alert-*/_search", "{\"size\":100,\"query\":{\"term\":{\"" + field + "\":\""
                + value + "\"}}}").path("hits").path("hits");
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (JsonNode h : hits) {
            JsonNode a = h.path("_source").path("alert");
            out.add(a.path("rule").asText() + "/" + a.path("severity").asText());
        }
        return out;
    }

    @Test
    void aLongPremiumCallAScannerFloodAndANewCountryRaiseTheirAlerts() throws Exception {
        long tuesday = Instant.parse("2026-03-03T09:00:00Z").toEpochMilli() * 1000;
        try (Collector c = new Collector()) {
            // a 700 s call to an EMSAT satellite number (+882): over the call-duration limits of rule 4
            send(c.udpPort(), longCall(tuesday));
            // a user who always called Germany calls France
            List<HepPacket> history = traffic(tuesday, 1, "81.2.69.142", List.of("+441865270200"), "+4930901820", 6, 0.01, 4);
            List<HepPacket> elsewhere = traffic(tuesday + 1_000_000_000L, 1, "81.2.69.142", List.of("+441865270200"),
                    "+33142685300", 1, 1, 5);
            send(c.udpPort(), history);
            send(c.udpPort(), elsewhere);
            // then the SIPp REGISTER flood with a scanner's User-Agent, as Kamailio mirrored it (last: its
            // November capture times move the clocks past the March calls, whose history must come first)
            List<byte[]> flood = new ArrayList<>();
            for (var p : io.hepstack.collector.pcap.PcapReader.read(Path.of("../testdata/hep/kamailio-hep3-register-flood.pcap"))) {
                flood.add(p.payload());
            }
            try (DatagramSocket s = new DatagramSocket()) {
                for (byte[] b : flood) {
                    s.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), c.udpPort()));
                    Thread.sleep(0, 300_000);
                }
            }

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(rulesFor("alert.user", "+441865270100")).contains("call-duration/critical", "high-risk-destination/warning");
                assertThat(rulesFor("alert.source_ip", "127.0.0.1")).contains("sip-flood/critical", "scanner-user-agent/critical");
                assertThat(rulesFor("alert.user", "+441865270200")).contains("new-country/warning");
            });
            // the German history itself raised nothing about new countries
            assertThat(rulesFor("alert.user", "+441865270200")).containsExactly("new-country/warning");
        }
    }

    private static List<HepPacket> longCall(long start) {
        TrafficConfig cfg = TrafficConfig.builder().seed(3).startMicros(start).calls(1).registrations(0)
                .callsPerSecond(1).users(1).callerNumbers(List.of("+441865270100")).callerIps(List.of("2.125.160.216"))
                .destinations(1).destinationNumbers(List.of("+88213000123")).callMix(Map.of(CallOutcome.ANSWERED, 1))
                .callDuration(DurationDistribution.parse("fixed:700")).rtcp(false).logs(false).captureId(4002).build();
        List<HepPacket> out = new ArrayList<>();
        for (HepTrafficModel m = new HepTrafficModel(cfg); m.hasNext(); ) {
            out.add(m.next().hep());
        }
        return out;
    }
}
