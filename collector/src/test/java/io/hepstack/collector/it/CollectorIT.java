package io.hepstack.collector.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.testing.ConfigOverride;
import io.hepstack.collector.document.LeanDefaults;
import io.hepstack.collector.document.RawText;
import io.hepstack.collector.hep.HepDecoder;
import io.hepstack.collector.document.DocumentIds;
import io.hepstack.collector.pcap.PcapPacket;
import io.hepstack.collector.pcap.PcapReader;
import io.hepstack.collector.pcap.TcpStreamReassembler;
import io.hepstack.collector.testing.EsHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * HEP in, Elasticsearch out, through the real collector: real captures over UDP and TCP (split
 * and coalesced), compared packet by packet with what tshark read from the same files; garbage
 * counted and harmless; a restart that re-receives everything duplicates nothing; auth keys.
 */
class CollectorIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Path HEP = Path.of("../testdata/hep");
    private static final Pattern CALL_ID = Pattern.compile("(?im)^(?:Call-ID|i)[ \\t]*:[ \\t]*(\\S+)");
    private static EsHttp es;

    @BeforeAll
    static void clean() {
        es = EsHttp.shared();
        deleteTestIndices();
    }

    @AfterAll
    static void cleanAfter() {
        deleteTestIndices();
    }

    private static void deleteTestIndices() {
        for (String p : List.of("hep-sip-2026.*", "hep-log-2026.*", "hep-rtcp-2026.*", "hep-alert-2026.*", "hep-tdr-2026.*")) {
            es.deleteIndices(p);
        }
    }

    /** One row of the tshark reference table: the independent reading of each HEP packet. */
    record Ref(int frame, String srcIp, String dstIp, int srcPort, int dstPort, long sec, long usec, int protoType,
               long captureId, String correlationId, String node, int payloadLen) {
    }

    static List<Ref> reference(String name) throws Exception {
        List<String> lines = Files.readAllLines(Path.of("src/test/resources/hep/reference/" + name + ".tsv"));
        String[] head = lines.get(0).split("\t", -1);
        Map<String, Integer> col = new HashMap<>();
        for (int i = 0; i < head.length; i++) {
            col.put(head[i], i);
        }
        List<Ref> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t", -1);
            String src = f[col.get("hep3.src_ip")].isEmpty() ? f[col.get("hep3.src_ip6")] : f[col.get("hep3.src_ip")];
            String dst = f[col.get("hep3.dst_ip")].isEmpty() ? f[col.get("hep3.dst_ip6")] : f[col.get("hep3.dst_ip")];
            out.add(new Ref(Integer.parseInt(f[col.get("frame.number")]), src, dst,
                    Integer.parseInt(f[col.get("hep3.src_port")]), Integer.parseInt(f[col.get("hep3.dst_port")]),
                    Long.parseLong(f[col.get("hep3.ts_sec")]), Long.parseLong(f[col.get("hep3.ts_usec")]),
                    Integer.parseInt(f[col.get("hep3.proto_type")]), Long.parseLong(f[col.get("hep3.capture_id")]),
                    f[col.get("hep3.corr_id")], f[col.get("hep3.node")], Integer.parseInt(f[col.get("payload_len")])));
        }
        return out;
    }

    private static List<byte[]> udpPayloads(String file) throws Exception {
        List<byte[]> out = new ArrayList<>();
        for (PcapPacket p : PcapReader.read(HEP.resolve(file))) {
            if (p.isUdp()) {
                out.add(p.payload());
            }
        }
        return out;
    }

    private static void sendUdp(int port, List<byte[]> datagrams) throws Exception {
        try (DatagramSocket s = new DatagramSocket()) {
            for (byte[] d : datagrams) {
                s.send(new DatagramPacket(d, d.length, InetAddress.getLoopbackAddress(), port));
                Thread.sleep(0, 200_000); // keep within the kernel's socket buffer on a busy machine
            }
        }
    }

    /** Fetches documents by id from the message indices. */
    private static Map<String, JsonNode> fetch(List<String> ids) {
        Map<String, JsonNode> out = new HashMap<>();
        for (int i = 0; i < ids.size(); i += 500) {
            ObjectNode body = MAPPER.createObjectNode();
            ArrayNode arr = body.putArray("query").addObject().putObject("ids").putArray("values");
            ids.subList(i, Math.min(ids.size(), i + 500)).forEach(arr::add);
            ObjectNode q = MAPPER.createObjectNode();
            q.set("query", body.get("query").get(0));
            q.put("size", 1000);
            es.refresh("hep-*");
            JsonNode r = es.post("/hep-sip-*,hep-log-*,hep-rtcp-*/_search", q.toString());
            for (JsonNode hit : r.path("hits").path("hits")) {
                out.put(hit.path("_id").asText(), hit.path("_source"));
            }
        }
        return out;
    }

    private static void assertDocumentsMatchReference(List<byte[]> packets, List<Ref> refs, String transport) {
        assertThat(packets).hasSameSizeAs(refs);
        HepDecoder decoder = new HepDecoder();
        List<String> ids = new ArrayList<>();
        for (byte[] b : packets) {
            ids.add(DocumentIds.of(decoder.decode(b, 0, b.length)));
        }
        // the reorder stage hands the newest messages on up to its window later than the rest
        await().atMost(Duration.ofSeconds(30)).until(() -> fetch(ids).size() >= packets.size());
        Map<String, JsonNode> docs = fetch(ids);
        assertThat(docs).as("one document per packet").hasSize(packets.size());
        for (int i = 0; i < packets.size(); i++) {
            Ref ref = refs.get(i);
            JsonNode d = docs.get(ids.get(i));
            String what = "frame " + ref.frame();
            // microseconds kept exactly: tshark's seconds + microseconds
            assertThat(Instant.parse(d.path("@timestamp").asText())).as(what)
                    .isEqualTo(Instant.ofEpochSecond(ref.sec(), ref.usec() * 1000));
            assertThat(d.path("@timestamp").asText()).as(what).matches(".*\\.\\d{6}Z");
            assertThat(d.path("source").path("ip").asText()).as(what).isEqualTo(ref.srcIp());
            assertThat(d.path("source").path("port").asInt()).as(what).isEqualTo(ref.srcPort());
            assertThat(d.path("destination").path("ip").asText()).as(what).isEqualTo(ref.dstIp());
            assertThat(d.path("destination").path("port").asInt()).as(what).isEqualTo(ref.dstPort());
            // lean: hep.proto_type only when not the dataset's usual type, hep.transport only when not udp
            assertThat(LeanDefaults.protoType(d)).as(what).isEqualTo(ref.protoType());
            assertThat(d.path("hep").has("proto_type")).as(what)
                    .isEqualTo(ref.protoType() != LeanDefaults.usualProtoType(d.path("event").path("dataset").asText()));
            assertThat(d.path("hep").path("capture_id").asLong()).as(what).isEqualTo(ref.captureId());
            assertThat(d.path("hep").has("payload_size")).as(what + ": lean, the length of the payload").isFalse();
            assertThat(LeanDefaults.receivedOver(d)).as(what).isEqualTo(transport);
            assertThat(d.path("hep").has("transport")).as(what).isEqualTo(!transport.equals("udp"));
            assertThat(d.path("event").has("kind")).as(what + ": lean").isFalse();
            assertThat(d.path("event").has("outcome")).as(what + ": lean, failures only").isEqualTo(d.has("error"));
            // lean: written once, as call.id, when the call is the one the HEP correlation id names
            assertThat(d.path("hep").path("correlation_id").asText(d.path("call").path("id").asText(""))).as(what)
                    .isEqualTo(ref.correlationId());
            assertThat(d.path("hep").path("node").asText("")).as(what).isEqualTo(ref.node());
            if (ref.protoType() == 1) {
                // lean: stored without the CRs of its CRLFs, read back as captured (RawText)
                assertThat(d.path("event").path("original").asText()).as(what).doesNotContain("\r");
                String raw = RawText.original(d);
                assertThat(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8)).as(what).hasSize(ref.payloadLen());
                Matcher m = CALL_ID.matcher(raw);
                assertThat(m.find()).as(what).isTrue();
                assertThat(d.path("sip").path("call_id").asText()).as(what).isEqualTo(m.group(1));
                String firstLine = raw.substring(0, raw.indexOf("\r\n"));
                if (firstLine.startsWith("SIP/2.0 ")) {
                    assertThat(d.path("sip").path("code").asInt()).as(what).isEqualTo(Integer.parseInt(firstLine.substring(8, 11)));
                } else {
                    assertThat(d.path("sip").path("method").asText()).as(what).isEqualTo(firstLine.substring(0, firstLine.indexOf(' ')));
                }
            } else {
                assertThat(d.path("call").path("id").asText("")).as(what).isEqualTo(ref.correlationId());
            }
        }
    }

    @Test
    void udpAndTcpCapturesLandAsExactDocumentsAndARestartDuplicatesNothing() throws Exception {
        List<byte[]> udp = udpPayloads("kamailio-hep3.pcap");
        List<byte[]> hepgen = udpPayloads("hepgen-20calls.pcap");
        byte[] tcpStream = TcpStreamReassembler.reassemble(PcapReader.read(HEP.resolve("kamailio-hep3-tcp.pcap"))).get(0).bytes();
        List<byte[]> tcpPackets = new ArrayList<>();
        for (int off = 0; off < tcpStream.length; ) {
            int len = ((tcpStream[off + 4] & 0xff) << 8) | (tcpStream[off + 5] & 0xff);
            tcpPackets.add(java.util.Arrays.copyOfRange(tcpStream, off, off + len));
            off += len;
        }
        long messages = udp.size() + hepgen.size() + tcpPackets.size();

        try (Collector c = new Collector()) {
            // templates are installed at start-up
            assertThat(es.get("/_index_template/hep-sip").path("index_templates").get(0).path("name").asText()).isEqualTo("hep-sip");

            // UDP, with garbage datagrams in between: counted as rejected, neighbours unharmed
            List<byte[]> withGarbage = new ArrayList<>();
            Random rnd = new Random(7);
            for (int i = 0; i < udp.size(); i++) {
                withGarbage.add(udp.get(i));
                if (i % 50 == 0) {
                    byte[] junk = new byte[20 + rnd.nextInt(200)];
                    rnd.nextBytes(junk);
                    withGarbage.add(junk);
                }
            }
            byte[] truncated = java.util.Arrays.copyOf(udp.get(0), udp.get(0).length - 10); // length field disagrees
            withGarbage.add(truncated);
            sendUdp(c.udpPort(), withGarbage);
            sendUdp(c.udpPort(), hepgen);

            // TCP: one connection with the stream cut at random points, one with everything coalesced
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), c.tcpPort()); OutputStream out = s.getOutputStream()) {
                for (int off = 0; off < tcpStream.length; ) {
                    int n = Math.min(tcpStream.length - off, 1 + rnd.nextInt(700));
                    out.write(tcpStream, off, n);
                    out.flush();
                    off += n;
                }
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> c.meter("index.accepted") >= messages);
            assertThat(c.app().elasticsearch().indexer().awaitIdle(Duration.ofSeconds(60))).isTrue();

            long rejected = c.metrics().getMeters().entrySet().stream().filter(e -> e.getKey().startsWith("hep.udp.rejected."))
                    .mapToLong(e -> e.getValue().getCount()).sum();
            assertThat(rejected).as("6 random datagrams and 1 truncated packet").isEqualTo(7);
            assertThat(c.meter("hep.udp.rejected.length_mismatch")).as("truncated packet").isGreaterThanOrEqualTo(1);
            assertThat(c.meter("hep.udp.accepted")).isEqualTo(udp.size() + hepgen.size());
            assertThat(c.meter("hep.tcp.accepted")).isEqualTo(tcpPackets.size());
            assertThat(c.meter("index.duplicates")).isZero();

            assertDocumentsMatchReference(udp, reference("kamailio-hep3"), "udp");
            assertDocumentsMatchReference(hepgen, reference("hepgen-20calls"), "udp");
            assertDocumentsMatchReference(tcpPackets, reference("kamailio-hep3-tcp"), "tcp");
            assertThat(es.count("hep-sip-2026.*", null)).isEqualTo(259 + 134 + 130);
            assertThat(es.count("hep-log-2026.*", null)).isEqualTo(20 + 20 + 10);
            assertThat(es.count("hep-rtcp-2026.*", null)).isEqualTo(18);

            // enrichment on the way: the hepgen callers sit on MaxMind test addresses
            JsonNode london = es.post("/hep-sip-2026.01.01/_search", "{\"size\":1,\"query\":{\"bool\":{\"filter\":["
                    + "{\"term\":{\"source.ip\":\"81.2.69.142\"}},{\"term\":{\"sip.method\":\"INVITE\"}}]}}}")
                    .path("hits").path("hits").get(0).path("_source");
            // lean documents: the address's country; the city, the number's analysis and the rest are on the call's TDR;
            // the e.164 number is the From's user as written, which number searches and scopes look in too
            assertThat(london.path("source").path("geo").path("country_iso_code").asText()).isEqualTo("GB");
            assertThat(london.path("source").path("geo").has("city_name")).isFalse();
            assertThat(london.path("sip").path("from").path("uri").path("username").asText()).isEqualTo("+442071838750");
            assertThat(london.path("sip").path("from").has("number")).as("neither the number again nor its country code").isFalse();

            // the same TCP stream again, coalesced in one write: nothing new
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), c.tcpPort()); OutputStream out = s.getOutputStream()) {
                out.write(tcpStream);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> c.meter("index.duplicates") >= tcpPackets.size());
        }

        // a restarted collector receiving everything again stores no second copy
        try (Collector c = new Collector()) {
            sendUdp(c.udpPort(), udp);
            sendUdp(c.udpPort(), hepgen);
            // (the reorder stage hands the newest messages on up to its window later)
            await().atMost(Duration.ofSeconds(60)).until(() -> c.meter("index.duplicates") >= udp.size() + hepgen.size());
            assertThat(c.app().elasticsearch().indexer().awaitIdle(Duration.ofSeconds(60))).isTrue();
            assertThat(c.meter("index.duplicates")).isEqualTo(udp.size() + hepgen.size());
            assertThat(es.count("hep-sip-2026.*", null)).isEqualTo(259 + 134 + 130);
            assertThat(es.count("hep-log-2026.*", null)).isEqualTo(50);
        }
    }

    /**
     * A clean restart in the middle of the 20 hepgen calls: the calls live at the stop are taken
     * back from Elasticsearch, so every call ends as it does without a restart — same statuses,
     * durations, ends and message counts, no orphan "bye" records.
     */
    @Test
    void aRestartMidTrafficEndsEveryCallAsWithoutIt() throws Exception {
        // in capture order (the file holds one call after the other), so calls are live at the stop
        io.hepstack.collector.hep.HepDecoder decoder = io.hepstack.collector.hep.HepDecoder.builder().build();
        List<byte[]> hepgen = new ArrayList<>(udpPayloads("hepgen-20calls.pcap"));
        hepgen.sort(java.util.Comparator.comparingLong(d -> decoder.decode(d, 0, d.length).timestampMicros()));
        deleteTestIndices();
        Map<String, String> straight;
        try (Collector c = new Collector()) {
            sendAndDrain(c, hepgen);
        }
        straight = callOutcomes();
        assertThat(straight).hasSize(20);
        deleteTestIndices();

        int half = hepgen.size() / 2;
        try (Collector c = new Collector()) {
            sendAndDrain(c, hepgen.subList(0, half));
        }
        es.refresh("hep-tdr-2026.*");
        long liveAtStop = es.count("hep-tdr-2026.*", "{\"query\":{\"term\":{\"tdr.final\":false}}}");
        assertThat(liveAtStop).as("calls live when the first run stopped").isPositive();
        try (Collector c = new Collector()) {
            sendAndDrain(c, hepgen.subList(half, hepgen.size()));
        }
        assertThat(callOutcomes()).isEqualTo(straight);
        assertThat(es.count("hep-tdr-2026.*", "{\"query\":{\"bool\":{\"must_not\":{\"term\":{\"tdr.type\":\"call\"}}}}}"))
                .as("no orphan in-dialog records").isZero();
        deleteTestIndices();
    }

    private static void sendAndDrain(Collector c, List<byte[]> packets) throws Exception {
        long before = c.meter("index.accepted");
        sendUdp(c.udpPort(), packets);
        await().atMost(Duration.ofSeconds(60)).until(() -> c.meter("index.accepted") - before >= packets.size());
        assertThat(c.app().elasticsearch().indexer().awaitIdle(Duration.ofSeconds(60))).isTrue();
    }

    /** Per Call-ID: status, final code, end, duration, who ended it, SIP message count. */
    private static Map<String, String> callOutcomes() {
        es.refresh("hep-tdr-2026.*");
        Map<String, String> out = new java.util.TreeMap<>();
        JsonNode hits = es.post("/hep-tdr-2026.*/_search", "{\"size\":100,\"query\":{\"term\":{\"tdr.type\":\"call\"}}}")
                .path("hits").path("hits");
        for (JsonNode h : hits) {
            JsonNode t = h.path("_source").path("tdr");
            out.put(t.path("call_id").asText(), t.path("status").asText() + " " + t.path("final_code").asText() + " "
                    + t.path("end").asText() + " " + t.path("duration_ms").asText() + " " + t.path("ended_by").asText()
                    + " sip=" + t.path("messages").path("sip").asText());
        }
        return out;
    }

    @Test
    void withAnAuthKeyOnlyPacketsCarryingItAreAccepted() throws Exception {
        List<byte[]> hepgen = udpPayloads("hepgen-20calls.pcap");      // auth key "myHep"
        List<byte[]> kamailio = udpPayloads("kamailio-hep3.pcap");     // no auth key
        try (Collector c = new Collector(ConfigOverride.config("hep.authKey", "myHep"))) {
            sendUdp(c.udpPort(), kamailio);
            sendUdp(c.udpPort(), hepgen);
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    c.meter("hep.udp.accepted") + c.meter("hep.udp.rejected.auth_failed") >= hepgen.size() + kamailio.size());
            assertThat(c.meter("hep.udp.accepted")).isEqualTo(hepgen.size());
            assertThat(c.meter("hep.udp.rejected.auth_failed")).isEqualTo(kamailio.size());
            // health and Prometheus on the admin port
            var http = java.net.http.HttpClient.newHttpClient();
            var prom = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    "http://127.0.0.1:" + c.adminPort() + "/prometheus")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(prom.statusCode()).isEqualTo(200);
            assertThat(prom.body()).contains("hep_udp_rejected_auth_failed_total " + kamailio.size() + ".0");
            // every counter is exported by construction: each Dropwizard metric has its Prometheus family,
            // including every stage's (parse, enrich, correlate, rate, fraud with the engine's, index) and the spool's
            // (metrics made after the registry is read, e.g. per index family on the first bulk answer, wait for the next scrape)
            java.util.Map<String, com.codahale.metrics.Metric> before = new java.util.TreeMap<>(c.metrics().getMetrics());
            java.util.Set<String> names = before.keySet();
            prom = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    "http://127.0.0.1:" + c.adminPort() + "/prometheus")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(names).contains("correlate.evictions", "correlate.calls.live", "rate.lookups", "fraud.calls.started",
                    "fraud.alerts.raised", "fraud.feed.errors", "index.documents", "index.tdr.documents",
                    "index.spool.written", "parse.sip.ok", "parse.dns.ok", "parse.vq_rtcpxr.ok", "pipeline.stage.fraud");
            for (var e : before.entrySet()) {
                if (e.getValue() instanceof com.codahale.metrics.Gauge<?> g && !(g.getValue() instanceof Number || g.getValue() instanceof Boolean)) {
                    continue; // text gauges (JVM attributes, deadlocked threads) have no number to export
                }
                String name = e.getKey();
                // the Prometheus client sanitises names and keeps the suffixes _total, _created, _info, _bucket for itself
                String family = name.replaceAll("[^A-Za-z0-9_]", "_").replaceAll("_(total|created|info|bucket)$", "");
                assertThat(prom.body()).as("Prometheus has " + name).containsPattern("(?m)^" + java.util.regex.Pattern.quote(family) + "(_total)?[ {]");
            }
            var health = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    "http://127.0.0.1:" + c.adminPort() + "/healthcheck")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            JsonNode h = MAPPER.readTree(health.body());
            assertThat(h.path("elasticsearch").path("healthy").asBoolean()).as(health.body()).isTrue();
            assertThat(h.path("hep-listeners").path("healthy").asBoolean()).isTrue();
            assertThat(h.path("enricher").path("healthy").asBoolean()).isTrue();
        }
    }

    @Test
    void manyConcurrentTcpConnectionsAreFramedIndependently() throws Exception {
        byte[] stream = TcpStreamReassembler.reassemble(PcapReader.read(HEP.resolve("kamailio-hep3-tcp.pcap"))).get(0).bytes();
        int connections = 32;
        try (Collector c = new Collector()) {
            List<Thread> senders = new ArrayList<>();
            List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int i = 0; i < connections; i++) {
                int seed = i;
                Thread t = new Thread(() -> {
                    Random rnd = new Random(seed);
                    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), c.tcpPort()); OutputStream out = s.getOutputStream()) {
                        for (int off = 0; off < stream.length; ) {
                            int n = Math.min(stream.length - off, 1 + rnd.nextInt(3000));
                            out.write(stream, off, n);
                            off += n;
                        }
                    } catch (Exception e) {
                        errors.add(e);
                    }
                });
                t.start();
                senders.add(t);
            }
            for (Thread t : senders) {
                t.join();
            }
            assertThat(errors).isEmpty();
            await().atMost(Duration.ofSeconds(90)).until(() -> c.meter("index.accepted") >= 140L * connections);
            assertThat(c.app().elasticsearch().indexer().awaitIdle(Duration.ofSeconds(60))).isTrue();
            assertThat(c.meter("hep.tcp.accepted")).isEqualTo(140L * connections);
            long rejected = c.metrics().getMeters().entrySet().stream().filter(e -> e.getKey().startsWith("hep.tcp.rejected."))
                    .mapToLong(e -> e.getValue().getCount()).sum();
            assertThat(rejected).isZero();
            // every connection carried the same packets: one document each, the rest are duplicates
            long stored = c.meter("index.sip.indexed") + c.meter("index.log.indexed");
            assertThat(stored + c.meter("index.duplicates")).isEqualTo(140L * connections);
            assertThat(es.count("hep-sip-2026.*", "{\"query\":{\"term\":{\"hep.capture_id\":2002}}}")).isEqualTo(130);
        }
    }

    @Test
    void hepOverTlsIsAccepted(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=localhost", "-keyout", key.toString(), "-out", cert.toString())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor()).as(new String(p.getInputStream().readAllBytes())).isZero();
        List<byte[]> hepgen = udpPayloads("hepgen-20calls.pcap");
        try (Collector c = new Collector(ConfigOverride.config("hep.tls.enabled", "true"),
                ConfigOverride.config("hep.tls.port", "0"),
                ConfigOverride.config("hep.tls.certificate", cert.toString()),
                ConfigOverride.config("hep.tls.privateKey", key.toString()))) {
            java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            try (var in = Files.newInputStream(cert)) {
                trust.setCertificateEntry("hepstack", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
            tmf.init(trust);
            javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            try (Socket s = ctx.getSocketFactory().createSocket("localhost", c.app().listeners().tlsPort());
                 OutputStream out = s.getOutputStream()) {
                for (byte[] b : hepgen) {
                    out.write(b);
                }
                out.flush();
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> c.meter("hep.tls.accepted") >= hepgen.size());
            assertThat(c.meter("hep.tls.accepted")).isEqualTo(hepgen.size());
        }
    }
}
