package io.hepstack.collector.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.collector.api.SipCallFixture;
import io.hepstack.collector.pcap.PcapPacket;
import io.hepstack.collector.pcap.PcapReader;
import io.hepstack.collector.testing.EsHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The web UI's API against the whole collector and a real Elasticsearch, seeded with calls whose
 * answers are known: the 20 calls of hepgen-20calls.pcap (../shared/testdata/SOURCES.md) and a
 * B2BUA call of two legs (the B leg names the A leg in X-CID) made by {@link SipCallFixture}.
 */
class UiApiIT {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String RANGE = "from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z";
    static final long T0 = 1_767_229_200_000_000L; // 2026-01-01T01:00:00Z
    static final String A_LEG = "b2bua-a-leg@10.9.0.1";
    static final String B_LEG = "b2bua-b-leg@10.9.0.2";
    static final int MESSAGES = 172 + 14; // the pcap's, then the B2BUA call's

    static EsHttp es;
    static Collector collector;
    static HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void seed() throws Exception {
        es = EsHttp.shared();
        clean();
        collector = new Collector();
        List<byte[]> packets = new ArrayList<>();
        for (PcapPacket p : PcapReader.read(Path.of("../testdata/hep/hepgen-20calls.pcap"))) {
            packets.add(p.payload());
        }
        SipCallFixture a = new SipCallFixture(A_LEG, "10.9.0.1", "10.9.0.2", T0);
        SipCallFixture b = new SipCallFixture(B_LEG, "10.9.0.2", "10.9.0.3", T0 + 100);
        b.extraHeader = "X-CID: " + A_LEG;
        b.toUser = "+4930901999";
        packets.addAll(a.hep());
        packets.addAll(b.hep());
        try (DatagramSocket s = new DatagramSocket()) {
            for (byte[] p : packets) {
                s.send(new DatagramPacket(p, p.length, InetAddress.getLoopbackAddress(), collector.udpPort()));
                Thread.sleep(0, 200_000);
            }
        }
        String finals = "{\"query\":{\"bool\":{\"filter\":[{\"term\":{\"tdr.type\":\"call\"}},{\"term\":{\"tdr.final\":true}}]}}}";
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> es.count("hep-tdr-2026.01.*", finals) == 22);
        assertThat(collector.app().elasticsearch().indexer().awaitIdle(Duration.ofSeconds(30))).isTrue();
        es.refresh("hep-*");
        assertThat(es.count("hep-sip-2026.01.*,hep-rtcp-2026.01.*,hep-log-2026.01.*", null)).isEqualTo(MESSAGES);
    }

    @AfterAll
    static void stop() {
        if (collector != null) {
            collector.close();
        }
        clean();
    }

    static void clean() {
        for (String p : List.of("hep-sip-2026.01.*", "hep-log-2026.01.*", "hep-rtcp-2026.01.*", "hep-tdr-2026.01.*",
                "hep-alert-2026.01.*", "hep-sip-2012.06.*", "hep-tdr-2012.06.*")) {
            es.deleteIndices(p);
        }
    }

    static HttpResponse<String> get(String pathAndQuery) throws Exception {
        return http.send(asAdmin(URI.create("http://127.0.0.1:" + collector.appPort() + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A request with the tests' admin API token (every /api path needs a user). */
    static HttpRequest.Builder asAdmin(URI uri) {
        return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + TestUsers.ADMIN_TOKEN);
    }

    static JsonNode ok(String pathAndQuery) throws Exception {
        HttpResponse<String> r = get(pathAndQuery);
        assertThat(r.statusCode()).as(pathAndQuery + " → " + r.body()).isEqualTo(200);
        return MAPPER.readTree(r.body());
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static List<String> callIds(JsonNode found) {
        List<String> out = new ArrayList<>();
        found.path("hits").forEach(h -> out.add(h.path("call_id").asText()));
        return out;
    }

    @Test
    void quickSearchFindsACallByCallIdNumberAndAddress() throws Exception {
        String call1 = CallsEndToEndIT.CALLS.get(0).callId();
        JsonNode byId = ok("/api/v1/search/calls?" + RANGE + "&q=" + enc(call1));
        assertThat(byId.path("q_kind").asText()).isEqualTo("call_id");
        assertThat(callIds(byId)).containsExactly(call1);
        assertThat(byId.path("total").asLong()).isEqualTo(1);
        assertThat(byId.path("timed_out").asBoolean()).isFalse();
        assertThat(byId.path("took_ms").isNumber()).isTrue();
        JsonNode hit = byId.path("hits").get(0);
        assertThat(hit.path("status").asText()).isEqualTo("FINISHED");
        assertThat(hit.path("final_code").asInt()).isEqualTo(200);
        assertThat(hit.path("src_ip").asText()).isEqualTo("81.2.69.142");
        assertThat(hit.path("caller_country").asText()).isEqualTo("GB");
        assertThat(hit.path("callee").asText()).isEqualTo("+442079460123");
        assertThat(hit.path("pdd_ms").asLong()).isEqualTo(788);
        assertThat(hit.path("start").asText()).matches("2026-01-01T\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");

        // +4930901820: calls 14 and 16 of the pcap, and the B2BUA's A leg (callee +4930901820)
        JsonNode byNumber = ok("/api/v1/search/calls?" + RANGE + "&q=" + enc("+49 30 901820"));
        assertThat(byNumber.path("q_kind").asText()).isEqualTo("number");
        assertThat(callIds(byNumber)).containsExactlyInAnyOrder(CallsEndToEndIT.CALLS.get(13).callId(),
                CallsEndToEndIT.CALLS.get(15).callId(), A_LEG);

        // the same number among the messages: lean documents keep a number that is the URI's user as written only there
        JsonNode messagesByNumber = ok("/api/v1/search/messages?" + RANGE + "&size=200&q=" + enc("+49 30 901820"));
        assertThat(messagesByNumber.path("q_kind").asText()).isEqualTo("number");
        assertThat(new HashSet<>(callIds(messagesByNumber))).containsExactlyInAnyOrder(CallsEndToEndIT.CALLS.get(13).callId(),
                CallsEndToEndIT.CALLS.get(15).callId(), A_LEG);
        JsonNode aLegInvite = es.post("/hep-sip-2026.01.*/_search", "{\"size\":1,\"query\":{\"bool\":{\"filter\":["
                + "{\"term\":{\"sip.call_id\":\"" + A_LEG + "\"}},{\"term\":{\"sip.method\":\"INVITE\"}}]}}}")
                .path("hits").path("hits").get(0).path("_source").path("sip");
        assertThat(aLegInvite.path("to").path("uri").path("username").asText()).isEqualTo("+4930901820");
        assertThat(aLegInvite.path("to").path("number").has("e164")).as("lean: the user as written says it").isFalse();
        assertThat(aLegInvite.path("to").has("number")).as("lean: the analysis, country code too, is the TDR's").isFalse();

        // a lean response leaves out its code's registered phrase: free text finds it by the code
        JsonNode ringing = ok("/api/v1/search/messages?" + RANGE + "&size=200&protocol=sip&q=ringing");
        assertThat(ringing.path("q_kind").asText()).isEqualTo("text");
        assertThat(ringing.path("total").asLong()).isPositive();
        ringing.path("hits").forEach(h -> assertThat(h.path("summary").asText()).startsWith("180 Ringing"));
        assertThat(es.post("/hep-sip-2026.01.*/_search", "{\"size\":0,\"track_total_hits\":true,\"query\":{\"term\":{\"sip.code\":180}}}")
                .path("hits").path("total").path("value").asLong()).isEqualTo(ringing.path("total").asLong());

        JsonNode byIp = ok("/api/v1/search/calls?" + RANGE + "&q=81.2.69.142&sort=start:asc");
        assertThat(byIp.path("q_kind").asText()).isEqualTo("ip");
        assertThat(callIds(byIp)).containsExactly(CallsEndToEndIT.CALLS.get(0).callId(), CallsEndToEndIT.CALLS.get(6).callId(),
                CallsEndToEndIT.CALLS.get(12).callId(), CallsEndToEndIT.CALLS.get(18).callId());

        JsonNode busy = ok("/api/v1/search/calls?" + RANGE + "&status=user_busy&code=486");
        assertThat(busy.path("total").asLong()).isEqualTo(2);

        JsonNode messages = ok("/api/v1/search/messages?" + RANGE + "&q=" + enc(call1) + "&sort=time:asc");
        assertThat(messages.path("q_kind").asText()).isEqualTo("call_id");
        List<String> summaries = new ArrayList<>();
        messages.path("hits").forEach(h -> summaries.add(h.path("protocol").asText() + " " + h.path("method").asText("")));
        assertThat(summaries).filteredOn(s -> s.startsWith("sip")).containsExactly("sip INVITE", "sip INVITE", "sip INVITE",
                "sip INVITE", "sip ACK", "sip BYE", "sip BYE");
        assertThat(summaries).contains("rtcp ", "log ");
    }

    @Test
    void pagingWalksEveryMessageOnceWithSearchAfter() throws Exception {
        Set<String> seen = new HashSet<>();
        String next = null;
        int pages = 0;
        long total = -1;
        do {
            JsonNode page = ok("/api/v1/search/messages?" + RANGE + "&size=50" + (next == null ? "" : "&after=" + next));
            if (total < 0) {
                total = page.path("total").asLong();
                assertThat(page.path("total_relation").asText()).isEqualTo("eq");
            }
            page.path("hits").forEach(h -> assertThat(seen.add(h.path("index").asText() + "/" + h.path("id").asText()))
                    .as("each message once").isTrue());
            next = page.path("next").isNull() ? null : page.path("next").asText();
            pages++;
        } while (next != null && pages < 100);
        assertThat(total).isEqualTo(MESSAGES);
        assertThat(seen).hasSize(MESSAGES);
        assertThat(pages).isEqualTo(4);
        HttpResponse<String> bad = get("/api/v1/search/messages?" + RANGE + "&after=garbage");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(MAPPER.readTree(bad.body()).path("error").asText()).contains("cursor");
    }

    @Test
    void theCallViewOfAB2buaCallShowsBothLegsWithTheLinkReasonInCaptureOrder() throws Exception {
        JsonNode v = ok("/api/v1/calls/" + enc(A_LEG) + "/view");
        assertThat(v.path("call_ids").toString()).isEqualTo("[\"" + A_LEG + "\",\"" + B_LEG + "\"]");
        assertThat(v.path("legs").get(1).path("reason").asText()).isEqualTo("x-cid");
        assertThat(v.path("legs").get(1).path("detail").asText()).isEqualTo("X-CID");
        assertThat(v.path("summary").path("status").asText()).isEqualTo("FINISHED");
        JsonNode rows = v.path("ladder").path("rows");
        List<String> got = new ArrayList<>();
        rows.forEach(r -> got.add(r.path("leg").asInt() + " " + r.path("from").asText() + ">" + r.path("to").asText() + " "
                + r.path("label").asText() + " " + r.path("time").asText().substring(11)));
        // the two legs interleave by µs: B's messages are 100 µs after A's
        List<String> expected = new ArrayList<>();
        long[] at = new SipCallFixture("x", "1", "2", 0).at;
        String[][] ends = {{"c0", "c1"}, {"c1", "c0"}};
        boolean[] fromCaller = {true, false, false, false, true, true, false};
        for (int i = 0; i < at.length; i++) {
            String[] e = ends[fromCaller[i] ? 0 : 1];
            expected.add("0 " + e[0] + ">" + e[1] + " " + SipCallFixture.LABELS.get(i) + " " + time(T0 + at[i]));
            expected.add("1 " + (fromCaller[i] ? "c1>c2" : "c2>c1") + " " + SipCallFixture.LABELS.get(i) + " " + time(T0 + 100 + at[i]));
        }
        assertThat(got).containsExactlyElementsOf(expected);
        assertThat(v.path("ladder").path("columns")).extracting(c -> c.path("label").asText())
                .containsExactly("10.9.0.1:5060", "10.9.0.2:5060", "10.9.0.3:5060");
        assertThat(rows.get(1).path("delta_us").asLong()).isEqualTo(100);
        assertThat(rows.get(2).path("delta_us").asLong()).isEqualTo(1_234 - 100);
        assertThat(v.path("qos").path("none").asBoolean()).isTrue();

        // a message's detail
        JsonNode first = rows.get(0);
        JsonNode m = ok("/api/v1/messages/" + first.path("index").asText() + "/" + first.path("id").asText());
        assertThat(m.path("raw").asText()).startsWith("INVITE sip:+4930901820@10.9.0.2 SIP/2.0\r\n");
        assertThat(m.path("sip_headers").get(0).toString()).isEqualTo("[\"Via\",\"SIP/2.0/UDP 10.9.0.1:5060;branch=z9hG4bK-"
                + A_LEG.hashCode() + "-i\"]");
        assertThat(m.path("body").asText()).startsWith("v=0\r\n");
        assertThat(m.path("hep").path("capture_id").asLong()).isEqualTo(2101);
        assertThat(m.path("hep").path("node").asText()).isEqualTo("b2bua-1");
        // the lean document leaves out SIP's usual HEP type and the udp listener; the detail says them
        assertThat(m.path("hep").path("fields").has("proto_type")).isFalse();
        assertThat(m.path("hep").path("fields").has("transport")).isFalse();
        assertThat(m.path("hep").path("proto_type").asInt()).isEqualTo(1);
        assertThat(m.path("hep").path("proto_name").asText()).isEqualTo("sip");
        assertThat(m.path("hep").path("received_over").asText()).isEqualTo("udp");
        assertThat(get("/api/v1/calls/" + enc("no-such-call@x") + "/view").statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/messages/other-index/x").statusCode()).isEqualTo(400);
    }

    @Test
    void aPcapCallsViewHasItsRtcpAndLogRowsAndQos() throws Exception {
        String call1 = CallsEndToEndIT.CALLS.get(0).callId();
        JsonNode v = ok("/api/v1/calls/" + enc(call1) + "/view");
        List<String> kinds = new ArrayList<>();
        v.path("ladder").path("rows").forEach(r -> kinds.add(r.path("kind").asText()));
        assertThat(kinds).filteredOn("sip"::equals).hasSize(7);
        assertThat(kinds).contains("rtcp", "log");
        assertThat(v.path("qos").path("none").asBoolean()).isFalse();
        JsonNode leg = v.path("qos").path("legs").get(0);
        assertThat(leg.path("points").get(0).path("mos").asDouble()).isBetween(1.0, 4.5);
        assertThat(v.path("logs")).isNotEmpty();
        assertThat(v.path("summary").path("pdd_ms").asLong()).isEqualTo(788);
        assertThat(v.path("summary").path("caller").path("geo").path("country_iso_code").asText()).isEqualTo("GB");
    }

    /** tshark's fields of each frame of a capture, one line per frame, tab-separated. */
    static List<String> tshark(Path file, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/tshark", "-n", "-r", file.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("tshark " + cmd).isZero();
        return out.lines().toList();
    }

    @Test
    void theCallsPcapReadByTsharkHasTheSameMessagesCallIdsAndMicrosecondTimes(@TempDir Path dir) throws Exception {
        String call1 = CallsEndToEndIT.CALLS.get(0).callId();
        JsonNode v = ok("/api/v1/calls/" + enc(call1) + "/view");
        List<String> expected = new ArrayList<>();
        List<Long> ssrcs = new ArrayList<>();
        for (JsonNode r : v.path("ladder").path("rows")) {
            if (r.path("kind").asText().equals("sip")) {
                java.time.Instant t = java.time.Instant.parse(r.path("time").asText());
                String epoch = t.getEpochSecond() + "." + String.format("%06d", t.getNano() / 1000) + "000";
                boolean request = r.path("status_class").asText().equals("request");
                expected.add(epoch + "\t" + call1 + "\t" + (request ? r.path("method").asText() : "") + "\t"
                        + (request ? "" : r.path("code").asText()));
            }
        }
        assertThat(expected).hasSize(7);
        HttpResponse<byte[]> r = http.send(asAdmin(URI.create("http://127.0.0.1:" + collector.appPort()
                + "/api/v1/calls/" + enc(call1) + "/export.pcap")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Disposition").orElse("")).isEqualTo("attachment; filename=\"" + call1 + ".pcap\"");
        Path pcap = dir.resolve("call.pcap");
        java.nio.file.Files.write(pcap, r.body());
        List<String> sip = tshark(pcap, "-Y", "sip", "-T", "fields", "-e", "frame.time_epoch", "-e", "sip.Call-ID",
                "-e", "sip.Method", "-e", "sip.Status-Code");
        assertThat(sip).containsExactlyElementsOf(expected);
        // the RTCP report: decoded as RTCP with the stored sender SSRC
        // a lean message document has the caller's country; its detail looks the rest up (city, AS, number analysis)
        JsonNode invite = ok("/api/v1/search/messages?" + RANGE + "&protocol=sip&sort=time:asc&q=" + enc(call1)).path("hits").get(0);
        JsonNode detail = ok("/api/v1/messages/" + invite.path("index").asText() + "/" + invite.path("id").asText());
        assertThat(detail.path("parsed").path("sip").path("method").asText()).isEqualTo("INVITE");
        // what a lean document leaves out as usual, the view puts back; the raw text with its CRLFs
        assertThat(detail.path("parsed").path("sip").path("cseq").path("method").asText()).isEqualTo("INVITE");
        assertThat(detail.path("parsed").path("sip").path("content_type").asText()).isEqualTo("application/sdp");
        assertThat(detail.path("raw").asText()).startsWith("INVITE sip:").contains("\r\nCall-ID: " + call1 + "\r\n").endsWith("\r\n");
        assertThat(detail.path("enrichment").path("geo").path("src").path("country_iso_code").asText()).isEqualTo("GB");
        assertThat(detail.path("enrichment").path("geo").path("src").path("city_name").asText()).isEqualTo("London");
        assertThat(detail.path("enrichment").path("e164").path("to").path("type").asText()).isEqualTo("fixed_line");
        JsonNode rtcpHit = ok("/api/v1/search/messages?" + RANGE + "&protocol=rtcp&q=" + enc(call1)).path("hits").get(0);
        JsonNode rtcp = ok("/api/v1/messages/" + rtcpHit.path("index").asText() + "/" + rtcpHit.path("id").asText());
        assertThat(rtcp.path("hep").path("fields").has("proto_type")).as("lean: RTCP's usual type").isFalse();
        assertThat(rtcp.path("hep").path("proto_type").asInt()).isEqualTo(5);
        assertThat(rtcp.path("hep").path("proto_name").asText()).isEqualTo("rtcp");
        List<String> reports = tshark(pcap, "-o", "rtcp.heuristic_rtcp:TRUE", "-Y", "rtcp.pt == 200", "-T", "fields",
                "-e", "rtcp.senderssrc", "-e", "frame.time_epoch");
        assertThat(reports).hasSize(1);
        assertThat(Long.decode(reports.get(0).split("\t")[0])).isEqualTo(rtcp.path("parsed").path("rtcp").path("ssrc").asLong());
        assertThat(r.headers().firstValue("X-Hepstack-Skipped").orElse("")).contains("not_a_packet_log=");

        // the text export has every message, the images are images
        String text = get("/api/v1/calls/" + enc(call1) + "/export.txt").body();
        for (JsonNode row : v.path("ladder").path("rows")) {
            assertThat(text).contains(row.path("time").asText() + " ");
            assertThat(text).contains(row.path("label").asText());
        }
        assertThat(text).contains("INVITE sip:").contains("Call-ID: " + call1);
        HttpResponse<String> svg = get("/api/v1/calls/" + enc(call1) + "/ladder.svg");
        assertThat(svg.headers().firstValue("Content-Type").orElse("")).startsWith("image/svg+xml");
        assertThat(svg.body()).startsWith("<?xml").contains(">INVITE (SDP)</text>").contains(">200 OK (SDP)</text>");
        HttpResponse<byte[]> png = http.send(asAdmin(URI.create("http://127.0.0.1:" + collector.appPort()
                + "/api/v1/calls/" + enc(call1) + "/ladder.png")).build(), HttpResponse.BodyHandlers.ofByteArray());
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png.body()));
        assertThat(image.getWidth()).isGreaterThan(400);

        // a search's messages as one pcap: the 20 calls' INVITEs
        HttpResponse<byte[]> found = http.send(asAdmin(URI.create("http://127.0.0.1:" + collector.appPort()
                + "/api/v1/search/messages/export.pcap?" + RANGE + "&method=INVITE&protocol=sip&limit=5")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(found.headers().firstValue("X-Hepstack-Truncated").orElse("")).isEqualTo("true");
        Path five = dir.resolve("search.pcap");
        java.nio.file.Files.write(five, found.body());
        assertThat(tshark(five, "-Y", "sip", "-T", "fields", "-e", "sip.CSeq.method")).hasSize(5).containsOnly("INVITE");
    }

    @Test
    void theOverviewCountsTheKnownCalls() throws Exception {
        try (org.elasticsearch.client.RestClient rest = io.hepstack.collector.es.ElasticsearchClients.restClient(
                new io.hepstack.collector.es.ElasticsearchClients.Connection(List.of(io.hepstack.collector.testing.TestElasticsearch.url()),
                        null, null, null, null))) {
            io.hepstack.collector.api.SearchGuard guard = new io.hepstack.collector.api.SearchGuard(
                    new io.hepstack.collector.api.ElasticsearchCallStore(rest, MAPPER), MAPPER, Duration.ofSeconds(10));
            // as seen at 01:30 on the day of the calls: all 22 started in the last 24 h
            JsonNode o = new io.hepstack.collector.api.overview.OverviewResource(guard, () -> T0 + 1_800_000_000L)
                    .overview("24h", null);
            assertThat(o.path("calls").asLong()).isEqualTo(22);
            assertThat(o.path("calls_in_progress").asLong()).isZero();
            assertThat(o.path("asr").asDouble()).as("20 of 22 answered").isEqualTo(0.9091);
            assertThat(o.path("ner").asDouble()).as("busy is no network failure").isEqualTo(1.0);
            assertThat(o.path("top_codes").toString()).isEqualTo("[{\"code\":486,\"count\":2}]");
            assertThat(o.path("top_failing_destinations")).extracting(d -> d.path("key").asText())
                    .containsExactlyInAnyOrder("+88213000123", "+447700900123");
            assertThat(o.path("mos_avg").asDouble()).isBetween(1.0, 4.5);
            assertThat(o.path("mos_worst").asDouble()).isLessThanOrEqualTo(o.path("mos_avg").asDouble());
            long inSeries = 0;
            for (JsonNode p : o.path("series")) {
                inSeries += p.path("calls").asLong();
            }
            assertThat(inSeries).isEqualTo(22);
            // and an hour later, the last 15 minutes saw nothing
            JsonNode later = new io.hepstack.collector.api.overview.OverviewResource(guard, () -> T0 + 7_200_000_000L)
                    .overview("15m", null);
            assertThat(later.path("calls").asLong()).isZero();
            assertThat(later.path("asr").isNull()).isTrue();
        }
        JsonNode live = ok("/api/v1/overview?range=1h");
        assertThat(live.path("range").asText()).isEqualTo("1h");
        assertThat(get("/api/v1/overview?range=2d").statusCode()).isEqualTo(400);
    }

    @Test
    void aSearchElasticsearchDoesNotAnswerInTimeIsA504NotAnEmptyList() throws Exception {
        // an "Elasticsearch" that accepts the connection and never answers
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             org.elasticsearch.client.RestClient rest = org.elasticsearch.client.RestClient
                     .builder(new org.apache.http.HttpHost("127.0.0.1", silent.getLocalPort(), "http"))
                     .setRequestConfigCallback(c -> c.setConnectTimeout(1000).setSocketTimeout(500)).build()) {
            io.hepstack.collector.api.SearchGuard guard = new io.hepstack.collector.api.SearchGuard(
                    new io.hepstack.collector.api.ElasticsearchCallStore(rest, MAPPER), MAPPER, Duration.ofMillis(200));
            io.hepstack.collector.api.search.SearchService searches = new io.hepstack.collector.api.search.SearchService(guard);
            io.hepstack.collector.api.search.SearchParams p = io.hepstack.collector.api.search.SearchParams.parse(
                    io.hepstack.collector.api.search.Tier.MESSAGES, java.util.Map.of("q", List.of("alice")),
                    io.hepstack.collector.api.TimeParam.nowMicros(), 500);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> searches.page(p, io.hepstack.collector.security.DataScope.UNRESTRICTED))
                    .isInstanceOf(jakarta.ws.rs.WebApplicationException.class)
                    .satisfies(e -> {
                        jakarta.ws.rs.core.Response resp = ((jakarta.ws.rs.WebApplicationException) e).getResponse();
                        assertThat(resp.getStatus()).isEqualTo(504);
                        assertThat(resp.getEntity().toString()).contains("timed_out=true");
                    });
        }
    }

    @Test
    void anUploadedCaptureIsImportedWithProgressAndItsCallsAreSearchable() throws Exception {
        Path sipp = Path.of("../testdata/pcap/pkts-sipp.pcap");
        List<String> frames = tshark(sipp, "-Y", "sip", "-T", "fields", "-e", "sip.Call-ID");
        Set<String> calls = new HashSet<>(frames);
        HttpResponse<String> posted = http.send(asAdmin(URI.create("http://127.0.0.1:" + collector.appPort()
                        + "/api/v1/imports?name=pkts-sipp.pcap"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofFile(sipp)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
        String id = MAPPER.readTree(posted.body()).path("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> ok("/api/v1/imports/" + id).path("state").asText().equals("done"));
        JsonNode done = ok("/api/v1/imports/" + id);
        assertThat(done.path("messages").asLong()).isEqualTo(frames.size());
        assertThat(done.path("calls").asLong()).isEqualTo(calls.size());
        assertThat(done.path("bytes_read").asLong()).isEqualTo(java.nio.file.Files.size(sipp)).isEqualTo(done.path("bytes_total").asLong());
        assertThat(done.path("name").asText()).isEqualTo("pkts-sipp.pcap");
        assertThat(collector.app().elasticsearch().indexer().awaitIdle(Duration.ofSeconds(30))).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            es.refresh("hep-*");
            return ok("/api/v1/search/messages?from=2012-06-01T00:00:00Z&to=2012-07-01T00:00:00Z&protocol=sip")
                    .path("total").asLong() == frames.size();
        });
        String callId = calls.iterator().next();
        assertThat(callIds(ok("/api/v1/search/messages?from=2012-06-01T00:00:00Z&to=2012-07-01T00:00:00Z&q=" + enc(callId))))
                .containsOnly(callId);

        HttpResponse<String> notPcap = http.send(asAdmin(URI.create("http://127.0.0.1:" + collector.appPort()
                + "/api/v1/imports")).POST(HttpRequest.BodyPublishers.ofString("this is not a capture, only some text")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(notPcap.statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/imports/no-such-import").statusCode()).isEqualTo(404);
    }

    @Test
    void theOpenApiDocumentIsServed() throws Exception {
        JsonNode doc = ok("/api/v1/openapi.json");
        assertThat(doc.path("openapi").asText()).startsWith("3.");
        assertThat(doc.path("paths").has("/api/v1/calls/{callId}/view")).isTrue();
    }

    static String time(long micros) {
        return io.hepstack.collector.document.Timestamps.isoOnce(micros).substring(11);
    }
}
