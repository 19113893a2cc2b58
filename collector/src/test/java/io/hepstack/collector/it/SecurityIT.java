package io.hepstack.collector.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.hepstack.collector.hep.HepEncoder;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.pcap.PcapPacket;
import io.hepstack.collector.pcap.PcapReader;
import io.hepstack.collector.security.Passwords;
import io.hepstack.collector.security.Role;
import io.hepstack.collector.security.UserDirectory;
import io.hepstack.collector.testing.EsHttp;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Attacks on a running collector (real Elasticsearch) that must all fail: every API path without
 * credentials (enumerated from the Jersey resources, so new endpoints are covered by themselves),
 * a viewer calling anything above its role, a browser request without its CSRF token, password
 * guessing, a scoped user reaching another scope's call, admin tasks without an admin; and what
 * must be left behind: audit documents for each action, stored SIP without digest responses.
 */
class SecurityIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Passwords PASSWORDS = new Passwords(4);
    private static final String ADMIN_PASSWORD = "admin-pw-0123456789";
    private static final String VIEWER_PASSWORD = "viewer-pw-0123456789";
    private static final String VICTIM_PASSWORD = "victim-pw-0123456789";
    private static final String VIEWER_TOKEN = "viewer-token-0123456789abcdef";
    private static final String ADMIN_TOKEN = "admin-token-0123456789abcdef";
    private static final String PARTNER_TOKEN = "partner-token-0123456789abcdef";
    private static final String PARTNER_ANALYST_TOKEN = "partner-analyst-token-0123456789";
    private static final String EXPIRED_TOKEN = "expired-token-0123456789abcdef";
    /** The digest response of the REGISTER this test sends: it must never be stored. */
    private static final String DIGEST_RESPONSE = "6629fae49393a05397450978507c4ef1";

    private static Collector c;
    private static EsHttp es;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        es = EsHttp.shared();
        clean();
        Path dir = Files.createDirectories(Path.of("target", "it-security"));
        Path users = dir.resolve("security-it-users.yml");
        Files.writeString(users, "users:\n"
                + "  admin: {password: \"" + PASSWORDS.hash(ADMIN_PASSWORD) + "\", role: admin}\n"
                + "  viewer: {password: \"" + PASSWORDS.hash(VIEWER_PASSWORD) + "\", role: viewer}\n"
                + "  victim: {password: \"" + PASSWORDS.hash(VICTIM_PASSWORD) + "\", role: viewer}\n"
                + "tokens:\n"
                + "  - {name: viewer-bot, role: viewer, sha256: \"" + UserDirectory.tokenHash(VIEWER_TOKEN) + "\"}\n"
                + "  - {name: admin-bot, role: admin, sha256: \"" + UserDirectory.tokenHash(ADMIN_TOKEN) + "\"}\n"
                + "  - {name: partner, role: viewer, sha256: \"" + UserDirectory.tokenHash(PARTNER_TOKEN) + "\","
                + " scope: {ipRanges: [\"81.2.69.142/32\"]}}\n"
                + "  - {name: partner-analyst, role: analyst, sha256: \"" + UserDirectory.tokenHash(PARTNER_ANALYST_TOKEN) + "\","
                + " scope: {ipRanges: [\"81.2.69.142/32\"]}}\n"
                + "  - {name: old-bot, role: admin, expires: \"2020-01-01T00:00:00Z\", sha256: \""
                + UserDirectory.tokenHash(EXPIRED_TOKEN) + "\"}\n");
        TestUsers.ownerOnly(users);
        c = new Collector(ConfigOverride.config("security.usersFile", users.toAbsolutePath().toString()),
                ConfigOverride.config("security.login.maxFailuresPerUser", "5"));
        // traffic: the 20 calls of hepgen-20calls.pcap (January 2026) and a REGISTER with digest credentials
        List<byte[]> packets = new ArrayList<>();
        for (PcapPacket p : PcapReader.read(Path.of("../testdata/hep/hepgen-20calls.pcap"))) {
            packets.add(p.payload());
        }
        packets.add(new HepEncoder().encode(register()));
        // and two calls of the last minutes, one in the partner's scope (81.2.69.142), one not: the live overview
        long now = java.time.Instant.now().minusSeconds(120).toEpochMilli() * 1000;
        for (String caller : List.of("81.2.69.142", "89.160.20.112")) {
            SipDialog d = new SipDialog("security-it-live-" + caller + "-" + now + "@" + caller, caller, 5060,
                    "192.0.2.10", 5060, "+442071838750", "+4930901820");
            d.invite(now).reply(now + 10_000, 100, "Trying", "INVITE").reply(now + 500_000, 180, "Ringing", "INVITE")
                    .reply(now + 2_000_000, 200, "OK", "INVITE").ack(now + 2_010_000)
                    .bye(now + 30_000_000).reply(now + 30_010_000, 200, "OK", "BYE");
            d.sent().forEach(m -> packets.add(m.hep()));
        }
        try (DatagramSocket s = new DatagramSocket()) {
            for (byte[] b : packets) {
                s.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), c.udpPort()));
                Thread.sleep(0, 200_000);
            }
        }
        String finals = "{\"query\":{\"bool\":{\"filter\":[{\"term\":{\"tdr.type\":\"call\"}},{\"term\":{\"tdr.final\":true}}]}}}";
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> es.count("hep-tdr-2026.01.*", finals) == 20);
        assertThat(c.app().elasticsearch().indexer().awaitIdle(Duration.ofSeconds(30))).isTrue();
        es.refresh("hep-*");
    }

    @AfterAll
    static void stop() {
        if (c != null) {
            c.close();
        }
        clean();
    }

    private static void clean() {
        for (String p : List.of("hep-sip-2026.01.*", "hep-log-2026.01.*", "hep-rtcp-2026.01.*", "hep-tdr-2026.01.*",
                "hep-alert-2026.01.*", "hep-audit-*")) {
            es.deleteIndices(p);
        }
    }

    private static HepPacket register() {
        HepPacket p = new HepPacket();
        p.version = 3;
        p.ipFamily = HepPacket.AF_INET;
        p.ipProtocol = 17;
        p.srcIp = new byte[] {10, 9, 9, 9};
        p.dstIp = new byte[] {10, 9, 9, 1};
        p.srcPort = 5060;
        p.dstPort = 5060;
        p.timeSeconds = 1_767_607_200L; // 2026-01-05T10:00:00Z
        p.protoType = HepPacket.PROTO_SIP;
        p.captureId = 2001;
        p.payload = ("REGISTER sip:example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 10.9.9.9:5060;branch=z9hG4bK-sec-1\r\n"
                + "From: <sip:alice@example.com>;tag=1\r\nTo: <sip:alice@example.com>\r\n"
                + "Call-ID: security-it-register@10.9.9.9\r\nCSeq: 2 REGISTER\r\n"
                + "Contact: <sip:alice@10.9.9.9:5060>\r\n"
                + "Authorization: Digest username=\"alice\", realm=\"example.com\", nonce=\"n0nce\", uri=\"sip:example.com\","
                + " response=\"" + DIGEST_RESPONSE + "\", algorithm=MD5\r\n"
                + "Proxy-Authorization: Basic YWxpY2U6c2VjcmV0\r\n"
                + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        return p;
    }

    // ------------------------------------------------------------------ helpers

    private static String base() {
        return "http://127.0.0.1:" + c.appPort();
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        HttpRequest r = b.timeout(Duration.ofSeconds(30)).build();
        try {
            return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            // a pooled connection the server had just closed (it closes after some refusals): once more,
            // on a new connection; the answer, not the transport, is what the tests judge
            return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
        }
    }

    private static HttpResponse<String> call(String method, String path, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path))
                .method(method, method.equals("GET") || method.equals("HEAD") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString("{}"))
                .header("Content-Type", "application/json");
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return send(b);
    }

    private static HttpResponse<String> login(String user, String password) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/auth/login")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(MAPPER.createObjectNode().put("username", user)
                        .put("password", password).toString())));
    }

    private static String cookie(HttpResponse<?> r, String name) {
        return r.headers().allValues("Set-Cookie").stream().filter(v -> v.startsWith(name + "="))
                .findFirst().orElseThrow(() -> new AssertionError("no cookie " + name + " in " + r.headers()));
    }

    private static String value(String setCookie) {
        return setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
    }

    /** One API endpoint as Jersey serves it, with the least role it should need. */
    record Endpoint(String method, String path, Role needs, boolean open) {
    }

    /**
     * A path template with its parameters filled: "x", or for a parameter with a regular expression
     * ({@code {file: export\\.pcap|...}}) its first alternative, so the request reaches the method.
     */
    private static String fill(String template) {
        return java.util.regex.Pattern.compile("\\{[^}:]*(?::\\s*([^}]*))?}").matcher(template)
                .replaceAll(m -> m.group(1) == null ? "x"
                        : java.util.regex.Matcher.quoteReplacement(m.group(1).split("\\|")[0].replace("\\", "")));
    }

    /** Every resource method of the running application, path parameters filled with "x". */
    private static List<Endpoint> endpoints() {
        Set<Class<?>> classes = new LinkedHashSet<>(c.support().getEnvironment().jersey().getResourceConfig().getClasses());
        c.support().getEnvironment().jersey().getResourceConfig().getInstances().forEach(i -> classes.add(i.getClass()));
        List<Endpoint> out = new ArrayList<>();
        for (Class<?> k : classes) {
            if (!k.isAnnotationPresent(jakarta.ws.rs.Path.class)) {
                continue;
            }
            Resource r = Resource.from(k);
            collect(r, "", out);
        }
        return out;
    }

    private static void collect(Resource r, String prefix, List<Endpoint> out) {
        String path = join(prefix, r.getPath());
        for (ResourceMethod m : r.getResourceMethods()) {
            java.lang.reflect.Method jm = m.getInvocable().getHandlingMethod();
            Class<?> k = jm.getDeclaringClass();
            boolean open = jm.isAnnotationPresent(PermitAll.class)
                    || (!jm.isAnnotationPresent(RolesAllowed.class) && !jm.isAnnotationPresent(DenyAll.class) && k.isAnnotationPresent(PermitAll.class));
            RolesAllowed ra = jm.isAnnotationPresent(RolesAllowed.class) ? jm.getAnnotation(RolesAllowed.class) : k.getAnnotation(RolesAllowed.class);
            Role needs = ra == null ? Role.ADMIN : Stream.of(ra.value()).map(Role::of).min(Enum::compareTo).orElseThrow();
            out.add(new Endpoint(m.getHttpMethod(), fill(path), needs, open));
        }
        for (Resource child : r.getChildResources()) {
            collect(child, path, out);
        }
    }

    private static String join(String a, String b) {
        String s = (a + "/" + (b == null ? "" : b)).replaceAll("/+", "/");
        return s.length() > 1 && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    // ------------------------------------------------------------------ attacks

    @Test
    void everyApiPathWithoutValidCredentialsIs401() throws Exception {
        List<Endpoint> all = endpoints();
        assertThat(all).extracting(Endpoint::path).contains("/api/v1/calls", "/api/v1/calls/x", "/api/v1/fraud/reload",
                "/api/v1/enricher/reload", "/api/v1/audit", "/api/v1/auth/me", "/api/v1/auth/login");
        List<String> tried = new ArrayList<>();
        for (Endpoint e : all) {
            if (!e.path().startsWith("/api") || e.open()) {
                continue;
            }
            for (String bearer : new String[]{null, "wrong-token", EXPIRED_TOKEN}) {
                HttpResponse<String> r = call(e.method(), e.path(), bearer);
                assertThat(r.statusCode()).as(e.method() + " " + e.path() + " with " + bearer + ": " + r.body()).isEqualTo(401);
                assertThat(r.body()).doesNotContain("call_id");
            }
            tried.add(e.method() + " " + e.path());
        }
        assertThat(tried).hasSizeGreaterThanOrEqualTo(10);
        // paths no resource serves give nothing away either, and a forged session cookie is no session
        assertThat(call("GET", "/api/v1/no-such-thing", null).statusCode()).isEqualTo(401);
        assertThat(call("GET", "/api", null).statusCode()).isEqualTo(401);
        for (String trick : List.of("//api/v1/calls", "/api/v1/calls/", "/api/v1/./calls", "/%61pi/v1/calls", "/api/v1/calls;x=1")) {
            HttpResponse<String> r = call("GET", trick, null);
            assertThat(r.statusCode()).as(trick + ": " + r.body()).isIn(400, 401, 404);
            assertThat(r.body()).as(trick).doesNotContain("tdrs");
        }
        assertThat(send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/calls")).header("Cookie", "hepstack_session=forged"))
                .statusCode()).isEqualTo(401);
        // only the login and the OpenAPI document are open
        assertThat(all).filteredOn(e -> e.path().startsWith("/api") && e.open()).extracting(Endpoint::path)
                .isSubsetOf("/api/v1/auth/login", "/api/v1/openapi.json");
    }

    @Test
    void aViewerGets403FromEverythingAboveItsRole() throws Exception {
        List<Endpoint> above = endpoints().stream().filter(e -> e.path().startsWith("/api") && !e.open()
                && e.needs().compareTo(Role.VIEWER) > 0).toList();
        assertThat(above).extracting(Endpoint::path).contains("/api/v1/enricher/reload", "/api/v1/fraud/reload",
                "/api/v1/fraud/users/x", "/api/v1/audit");
        for (Endpoint e : above) {
            HttpResponse<String> r = call(e.method(), e.path(), VIEWER_TOKEN);
            assertThat(r.statusCode()).as(e.method() + " " + e.path() + ": " + r.body()).isEqualTo(403);
        }
        assertThat(call("GET", "/api/v1/calls?limit=1", VIEWER_TOKEN).statusCode()).isEqualTo(200);
        assertThat(call("POST", "/api/v1/enricher/reload", ADMIN_TOKEN).statusCode()).isEqualTo(200);
    }

    @Test
    void aBrowserSessionNeedsItsCsrfTokenForChangesAndEndsAtLogout() throws Exception {
        HttpResponse<String> in = login("viewer", VIEWER_PASSWORD);
        assertThat(in.statusCode()).as(in.body()).isEqualTo(200);
        JsonNode body = MAPPER.readTree(in.body());
        assertThat(body.path("user").asText()).isEqualTo("viewer");
        assertThat(body.path("role").asText()).isEqualTo("viewer");
        String session = cookie(in, "hepstack_session");
        String csrf = cookie(in, "hepstack_csrf");
        assertThat(session).contains("HttpOnly").containsIgnoringCase("SameSite=Strict").contains("Path=/");
        assertThat(csrf).doesNotContain("HttpOnly").containsIgnoringCase("SameSite=Strict");
        assertThat(value(csrf)).isEqualTo(body.path("csrf").asText());
        String cookies = "hepstack_session=" + value(session) + "; hepstack_csrf=" + value(csrf);

        HttpResponse<String> me = send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/auth/me")).header("Cookie", cookies));
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(MAPPER.readTree(me.body()).path("user").asText()).isEqualTo("viewer");

        // a state-changing request riding on the cookie alone (what a cross-site form would send)
        HttpResponse<String> forged = send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/auth/logout"))
                .header("Cookie", cookies).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(forged.statusCode()).isEqualTo(403);
        HttpResponse<String> wrong = send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/auth/logout"))
                .header("Cookie", cookies).header("X-CSRF-Token", "guess").POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(wrong.statusCode()).isEqualTo(403);
        HttpResponse<String> out = send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/auth/logout"))
                .header("Cookie", cookies).header("X-CSRF-Token", value(csrf)).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(out.statusCode()).isEqualTo(204);
        assertThat(send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/auth/me")).header("Cookie", cookies)).statusCode())
                .as("the session ended").isEqualTo(401);
    }

    @Test
    void passwordGuessingIsSlowedThenLockedEvenForTheRightPassword() throws Exception {
        assertThat(login("victim", "guess-1").statusCode()).isEqualTo(401);
        assertThat(login("victim", "guess-2").statusCode()).isEqualTo(401);
        assertThat(login("victim", "guess-3").statusCode()).isEqualTo(401);
        HttpResponse<String> slowed = login("victim", "guess-4");
        assertThat(slowed.statusCode()).isEqualTo(429);
        assertThat(slowed.headers().firstValue("Retry-After")).isPresent();
        assertThat(login("victim", VICTIM_PASSWORD).statusCode()).as("too early even when right").isEqualTo(429);
        // the guesser waits each time and reaches the lock (5 failures in this configuration)
        for (int i = 5; i <= 6; i++) {
            long wait = Long.parseLong(login("victim", "x").headers().firstValue("Retry-After").orElse("0"));
            Thread.sleep(wait * 1000 + 100);
            assertThat(login("victim", "guess-" + i).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> locked = login("victim", VICTIM_PASSWORD);
        assertThat(locked.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(locked.headers().firstValue("Retry-After").orElseThrow())).isGreaterThan(60);
        assertThat(login("admin", ADMIN_PASSWORD).statusCode()).as("other users are not locked").isEqualTo(200);
    }

    @Test
    void aScopedUserCannotReachAnotherScopesCallThroughSearchOrCallView() throws Exception {
        String range = "/api/v1/calls?type=call&from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z&limit=100";
        JsonNode all = MAPPER.readTree(call("GET", range, ADMIN_TOKEN).body());
        assertThat(all.path("total").asLong()).isEqualTo(20);
        JsonNode mine = MAPPER.readTree(call("GET", range, PARTNER_TOKEN).body());
        assertThat(mine.path("total").asLong()).isEqualTo(4); // calls 1, 7, 13 and 19 come from 81.2.69.142
        for (JsonNode t : mine.path("tdrs")) {
            assertThat(List.of(t.path("tdr").path("caller").path("ip").asText(), t.path("tdr").path("callee").path("ip").asText()))
                    .contains("81.2.69.142");
        }
        // searching for the other scope's address finds nothing
        assertThat(MAPPER.readTree(call("GET", range + "&ip=89.160.20.112", PARTNER_TOKEN).body()).path("total").asLong()).isZero();

        String mineId = CallsEndToEndIT.CALLS.get(0).callId();
        String theirsId = CallsEndToEndIT.CALLS.get(1).callId();
        assertThat(call("GET", "/api/v1/calls/" + enc(mineId), PARTNER_TOKEN).statusCode()).isEqualTo(200);
        HttpResponse<String> theirs = call("GET", "/api/v1/calls/" + enc(theirsId), PARTNER_TOKEN);
        assertThat(theirs.statusCode()).isEqualTo(404);
        HttpResponse<String> unknown = call("GET", "/api/v1/calls/no-such-call@x", PARTNER_TOKEN);
        assertThat(theirs.body()).as("exactly like an unknown call").isEqualTo(unknown.body().replace("no-such-call@x", theirsId));
        assertThat(call("GET", "/api/v1/calls/" + enc(theirsId), ADMIN_TOKEN).statusCode()).isEqualTo(200);
        // the live fraud state cannot be scoped: closed to scoped users (and to viewers anyway)
        assertThat(call("GET", "/api/v1/fraud/alerts", PARTNER_TOKEN).statusCode()).isEqualTo(403);
    }

    @Test
    void aScopedUserCannotReachAnotherScopesCallThroughTheWebUisSearchCallViewExportsOrMessages() throws Exception {
        String mineId = CallsEndToEndIT.CALLS.get(0).callId();
        String theirsId = CallsEndToEndIT.CALLS.get(1).callId();
        String range = "from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z";
        // the UI's search: four calls of its own, none of the other scope's, whatever the query
        JsonNode calls = MAPPER.readTree(call("GET", "/api/v1/search/calls?" + range + "&size=100", PARTNER_ANALYST_TOKEN).body());
        assertThat(calls.path("total").asLong()).isEqualTo(4);
        assertThat(MAPPER.readTree(call("GET", "/api/v1/search/calls?" + range + "&q=" + enc(theirsId), PARTNER_ANALYST_TOKEN)
                .body()).path("total").asLong()).isZero();
        assertThat(MAPPER.readTree(call("GET", "/api/v1/search/messages?" + range + "&q=" + enc(theirsId), PARTNER_ANALYST_TOKEN)
                .body()).path("total").asLong()).isZero();
        assertThat(MAPPER.readTree(call("GET", "/api/v1/search/messages?" + range + "&q=" + enc(theirsId), ADMIN_TOKEN)
                .body()).path("total").asLong()).as("the admin sees them").isPositive();
        // call view (what a share link opens) and every export: 404 like an unknown call, for its own: 200
        for (String what : List.of("/view", "/export.pcap", "/export.txt", "/ladder.svg")) {
            assertThat(call("GET", "/api/v1/calls/" + enc(theirsId) + what, PARTNER_ANALYST_TOKEN).statusCode())
                    .as("their call" + what).isEqualTo(404);
            assertThat(call("GET", "/api/v1/calls/" + enc(mineId) + what, PARTNER_ANALYST_TOKEN).statusCode())
                    .as("its own call" + what).isEqualTo(200);
        }
        // a message of the other scope's call, by its index and id: not found either
        JsonNode hit = MAPPER.readTree(call("GET", "/api/v1/search/messages?" + range + "&q=" + enc(theirsId), ADMIN_TOKEN).body())
                .path("hits").get(0);
        String message = "/api/v1/messages/" + hit.path("index").asText() + "/" + hit.path("id").asText();
        assertThat(call("GET", message, ADMIN_TOKEN).statusCode()).isEqualTo(200);
        assertThat(call("GET", message, PARTNER_ANALYST_TOKEN).statusCode()).isEqualTo(404);
        // a search-result export holds only its own calls' messages
        HttpResponse<String> export = call("GET", "/api/v1/search/messages/export.pcap?" + range + "&limit=1000",
                PARTNER_ANALYST_TOKEN);
        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.body()).doesNotContain(theirsId).contains(mineId);
    }

    @Test
    void theLiveOverviewCountsOnlyTheScopesCalls() throws Exception {
        // both live calls for the admin, only its own for the partner (its other figures come from that call only)
        await().atMost(Duration.ofSeconds(60)).until(() ->
                MAPPER.readTree(call("GET", "/api/v1/overview?range=1h", ADMIN_TOKEN).body()).path("calls").asLong() >= 2);
        JsonNode all = MAPPER.readTree(call("GET", "/api/v1/overview?range=1h", ADMIN_TOKEN).body());
        JsonNode mine = MAPPER.readTree(call("GET", "/api/v1/overview?range=1h", PARTNER_TOKEN).body());
        assertThat(all.path("calls").asLong()).isEqualTo(2);
        assertThat(mine.path("calls").asLong()).isEqualTo(1);
        assertThat(mine.path("top_failing_destinations")).isEmpty();
    }

    @Test
    void storedSipHasNoCredentials() throws Exception {
        JsonNode hits = es.post("/hep-sip-2026.01.05/_search",
                "{\"query\":{\"term\":{\"sip.call_id\":\"security-it-register@10.9.9.9\"}}}").path("hits").path("hits");
        assertThat(hits).hasSize(1);
        String original = hits.get(0).path("_source").path("event").path("original").asText();
        assertThat(original).startsWith("REGISTER sip:example.com SIP/2.0").contains("username=\"alice\"")
                .contains("response=\"" + "*".repeat(32) + "\"").contains("Proxy-Authorization: Basic ****************");
        assertThat(hits.get(0).toString()).doesNotContain(DIGEST_RESPONSE).doesNotContain("YWxpY2U6c2VjcmV0");
        // and the call API shows the masked text
        HttpResponse<String> r = call("GET", "/api/v1/calls/" + enc("security-it-register@10.9.9.9"), ADMIN_TOKEN);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("response=\\\"****").doesNotContain(DIGEST_RESPONSE);
    }

    @Test
    void adminTasksNeedAnAdminAndTheAdminPortListensOnTheLoopbackOnly() throws Exception {
        String tasks = "http://127.0.0.1:" + c.adminPort() + "/tasks/log-level?logger=org.apache.http.wire&level=DEBUG";
        HttpRequest.Builder task = HttpRequest.newBuilder(URI.create(tasks)).POST(HttpRequest.BodyPublishers.noBody());
        assertThat(send(task).statusCode()).isEqualTo(401);
        assertThat(send(HttpRequest.newBuilder(URI.create(tasks)).POST(HttpRequest.BodyPublishers.noBody())
                .header("Authorization", basic("viewer", VIEWER_PASSWORD))).statusCode()).isEqualTo(403);
        assertThat(send(HttpRequest.newBuilder(URI.create(tasks)).POST(HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Bearer " + VIEWER_TOKEN)).statusCode()).isEqualTo(403);
        assertThat(org.slf4j.LoggerFactory.getLogger("org.apache.http.wire").isDebugEnabled()).isFalse();
        HttpResponse<String> reload = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.adminPort() + "/tasks/reload"))
                .POST(HttpRequest.BodyPublishers.noBody()).header("Authorization", basic("admin", ADMIN_PASSWORD)));
        assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.adminPort() + "/healthcheck")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).contains("users");

        List<String> adminHosts = new ArrayList<>();
        for (Connector k : c.support().getEnvironment().getApplicationContext().getServer().getConnectors()) {
            if (k instanceof ServerConnector sc && sc.getLocalPort() == c.adminPort()) {
                adminHosts.add(sc.getHost());
            }
        }
        assertThat(adminHosts).containsExactly("127.0.0.1");
    }

    @Test
    void everyActionLeavesAnAuditDocumentWithoutSecrets() throws Exception {
        assertThat(login("viewer", "not-the-password").statusCode()).isEqualTo(401);
        assertThat(login("viewer", VIEWER_PASSWORD).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/api/v1/calls?user=4930901820&limit=5", VIEWER_TOKEN).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/api/v1/calls/" + enc(CallsEndToEndIT.CALLS.get(2).callId()), VIEWER_TOKEN).statusCode()).isEqualTo(200);
        assertThat(call("POST", "/api/v1/fraud/reload", ADMIN_TOKEN).statusCode()).isEqualTo(200);
        assertThat(call("POST", "/api/v1/fraud/reload", VIEWER_TOKEN).statusCode()).isEqualTo(403);
        assertThat(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.adminPort() + "/tasks/reload"))
                .POST(HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + ADMIN_TOKEN)).statusCode()).isEqualTo(200);

        String q = "{\"size\":100,\"query\":{\"match_all\":{}}}";
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            es.refresh("hep-audit-*");
            List<String> seen = new ArrayList<>();
            for (JsonNode h : es.post("/hep-audit-*/_search", q).path("hits").path("hits")) {
                JsonNode s = h.path("_source");
                seen.add(s.path("event").path("action").asText() + "/" + s.path("event").path("outcome").asText() + "/"
                        + s.path("user").path("name").asText() + "/" + s.path("audit").path("target").asText());
            }
            assertThat(seen).contains("login/failure/viewer/", "login/success/viewer/",
                    "call.open/success/viewer-bot/" + CallsEndToEndIT.CALLS.get(2).callId(),
                    "reload/success/admin-bot/fraud/reload", "reload/denied/viewer-bot/fraud/reload",
                    "reload/success/admin-bot/reload");
            assertThat(seen).anyMatch(s -> s.startsWith("search/success/viewer-bot/"));
        });
        JsonNode search = es.post("/hep-audit-*/_search", "{\"query\":{\"term\":{\"event.action\":\"search\"}}}")
                .path("hits").path("hits");
        assertThat(search.toString()).contains("user=4930901820&limit=5");
        String everything = es.post("/hep-audit-*/_search", q).toString();
        for (String secret : List.of(VIEWER_PASSWORD, "not-the-password", ADMIN_PASSWORD, VIEWER_TOKEN, ADMIN_TOKEN)) {
            assertThat(everything).doesNotContain(secret);
        }
        // admins read the trail through the API; viewers cannot
        JsonNode trail = MAPPER.readTree(call("GET", "/api/v1/audit?action=login&size=50", ADMIN_TOKEN).body());
        assertThat(trail.path("total").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(trail.path("entries").get(0).path("event").path("action").asText()).isEqualTo("login");
        assertThat(call("GET", "/api/v1/audit", VIEWER_TOKEN).statusCode()).isEqualTo(403);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
