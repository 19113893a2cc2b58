package io.hepstack.collector.correlate;

import com.fasterxml.jackson.databind.JsonNode;
import io.hepstack.collector.pipeline.CapturedMessage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Non-INVITE transactions (registration health, scanners), B2BUA leg links, logs joining calls. */
class TransactionAndLinkTest {

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static TestSip.Msg register(TestSip.Dialog d, long cseq, String branch, long ms) {
        TestSip.Msg m = d.request("REGISTER", "sip:example.com", true, ms, cseq, branch, false);
        m.set("To", "<sip:alice@example.com>");
        m.header("Contact", "<sip:alice@10.1.1.1:5060>;expires=3600");
        m.header("User-Agent", "TestPhone/1.0");
        return m;
    }

    private static TestSip.Msg regReply(TestSip.Dialog d, TestSip.Msg req, int code, String reason, long ms) {
        TestSip.Msg r = d.answer(req, code, reason, ms);
        if (code == 200) {
            r.header("Contact", "<sip:alice@10.1.1.1:5060>;expires=1800");
        }
        return r;
    }

    @Test
    void registerChallengedThenAcceptedIsOneRegistrationWithOneChallenge() {
        Harness h = new Harness();
        TestSip.Dialog d = new TestSip.Dialog("reg-1@test");
        TestSip.Msg r1 = register(d, 1, "z9hG4bK-r1", 0);
        TestSip.Msg r2 = register(d, 2, "z9hG4bK-r2", 100).header("Authorization", "Digest username=\"alice\"");
        h.each(r1, regReply(d, r1, 401, "Unauthorized", 20), r2, regReply(d, r2, 200, "OK", 130));
        List<JsonNode> regs = h.sink.ofType("registration");
        assertThat(regs).hasSize(1);
        JsonNode t = regs.get(0).path("tdr");
        assertThat(t.path("status").asText()).isEqualTo("SUCCESS");
        assertThat(t.path("call_id").asText()).isEqualTo("reg-1@test");
        assertThat(t.path("auth_challenges").asInt()).isEqualTo(1);
        assertThat(t.path("registration").path("auth_challenges").asInt()).isEqualTo(1);
        assertThat(t.path("registration").path("expires").asLong()).as("the registrar's answer").isEqualTo(1800);
        assertThat(t.path("registration").path("contact").asText()).isEqualTo("sip:alice@10.1.1.1:5060");
        assertThat(t.path("attempts").asInt()).isEqualTo(2);
        assertThat(t.path("final_code").asInt()).isEqualTo(200);
        assertThat(t.path("first_response_ms").asLong()).isEqualTo(20);
        assertThat(t.path("final_response_ms").asLong()).isEqualTo(130);
        assertThat(t.path("messages").path("count").asInt()).isEqualTo(4);
        assertThat(t.path("caller").path("user").asText()).isEqualTo("alice");
        assertThat(t.path("caller").path("user_agent").asText()).isEqualTo("TestPhone/1.0");
        assertThat(regs.get(0).path("source").path("ip").asText()).isEqualTo("10.1.1.1");
        // written once: neither the pending REGISTER nor the 401 are worth a write
        assertThat(h.sink.versions(t.path("id").asText())).hasSize(1);
        assertThat(h.sink.ofType("call")).isEmpty();
    }

    @Test
    void aChallengeNeverRetriedIsWrittenAsAFailureWhenItsLingerEnds() {
        Harness h = new Harness();
        TestSip.Dialog d = new TestSip.Dialog("reg-2@test");
        TestSip.Msg r1 = register(d, 1, "z9hG4bK-r1", 0);
        h.batch(r1, regReply(d, r1, 401, "Unauthorized", 20));
        assertThat(h.sink.ofType("registration")).isEmpty();
        h.tick(d.at(20 + 5_000));
        JsonNode t = h.sink.ofType("registration").get(0).path("tdr");
        assertThat(t.path("status").asText()).isEqualTo("USER_FAILURE");
        assertThat(t.path("final_code").asInt()).isEqualTo(401);
        assertThat(t.path("auth_challenges").asInt()).isEqualTo(1);
        assertThat(h.stage.liveTransactions()).isZero();
    }

    @Test
    void scannerRequestsAndKeepalivesAreCheapTransactionRecords() {
        Harness h = new Harness();
        TestSip.Dialog scan = new TestSip.Dialog("scan-1@test");
        TestSip.Msg r = register(scan, 1, "z9hG4bK-s1", 0).set("User-Agent", "friendly-scanner");
        TestSip.Dialog ping = new TestSip.Dialog("ping-1@test");
        TestSip.Msg options = ping.request("OPTIONS", "sip:10.2.2.2", true, 0, 1, "z9hG4bK-o1", false);
        TestSip.Dialog lost = new TestSip.Dialog("ping-2@test");
        TestSip.Msg unanswered = lost.request("OPTIONS", "sip:10.2.2.2", true, 10, 1, "z9hG4bK-o2", false);
        TestSip.Dialog msg = new TestSip.Dialog("msg-1@test");
        TestSip.Msg message = msg.request("MESSAGE", "sip:bob@example.com", true, 0, 7, "z9hG4bK-m1", false);
        h.batch(r, regReply(scan, r, 404, "Not Found", 3), options, ping.answer(options, 200, "OK", 2), unanswered,
                message, msg.answer(message, 202, "Accepted", 40));
        assertThat(h.sink.ofType("registration")).singleElement()
                .satisfies(t -> assertThat(t.path("tdr").path("status").asText()).isEqualTo("USER_FAILURE"))
                .satisfies(t -> assertThat(t.path("user_agent").path("original").asText()).isEqualTo("friendly-scanner"));
        assertThat(h.sink.ofType("options")).singleElement()
                .satisfies(t -> assertThat(t.path("tdr").path("status").asText()).isEqualTo("SUCCESS"))
                .satisfies(t -> assertThat(t.path("tdr").path("final_response_ms").asLong()).isEqualTo(2));
        assertThat(h.sink.ofType("message")).singleElement()
                .satisfies(t -> assertThat(t.path("tdr").path("status").asText()).isEqualTo("SUCCESS"))
                .satisfies(t -> assertThat(t.path("tdr").path("final_code").asInt()).isEqualTo(202));
        // the unanswered OPTIONS shows up as pending after the update interval, then times out
        h.tick(lost.at(10 + 1_000));
        assertThat(h.sink.ofType("options")).hasSize(2);
        h.tick(lost.at(10 + 32_000));
        JsonNode timedOut = h.sink.docs().stream()
                .filter(dd -> dd.path("tdr").path("call_id").asText().equals("ping-2@test")).findFirst().orElseThrow();
        assertThat(timedOut.path("tdr").path("status").asText()).isEqualTo("TIMEOUT");
        assertThat(timedOut.path("tdr").path("ended_by").asText()).isEqualTo("timeout");
        assertThat(h.meter("correlate.transactions")).isEqualTo(4);
    }

    @Test
    void b2buaLegsAreLinkedByHeaderCorrelationIdAndSharedIcid() {
        Harness h = new Harness();
        TestSip.Dialog a = new TestSip.Dialog("a-leg@test");
        TestSip.Dialog b = new TestSip.Dialog("b-leg@test");
        b.callerIp = "10.5.5.5";
        TestSip.Dialog c = new TestSip.Dialog("c-leg@test");
        c.callerIp = "10.5.5.5";
        // the B leg names the A leg in X-CID; the C leg arrives before the A leg it names by correlation id
        h.batch(c.invite(0).correlation("a2-leg@test"), a.invite(10), b.invite(20).header("X-CID", "a-leg@test"));
        TestSip.Dialog a2 = new TestSip.Dialog("a2-leg@test");
        h.batch(a2.invite(30));
        JsonNode ta = h.sink.call("a-leg@test").path("tdr");
        JsonNode tb = h.sink.call("b-leg@test").path("tdr");
        assertThat(ta.path("leg").asText()).isEqualTo("a");
        assertThat(strings(ta.path("linked_call_ids"))).containsExactly("b-leg@test");
        assertThat(strings(ta.path("call_ids"))).containsExactly("a-leg@test", "b-leg@test");
        assertThat(tb.path("leg").asText()).isEqualTo("b");
        assertThat(strings(tb.path("linked_call_ids"))).containsExactly("a-leg@test");
        JsonNode ta2 = h.sink.call("a2-leg@test").path("tdr");
        JsonNode tc = h.sink.call("c-leg@test").path("tdr");
        assertThat(ta2.path("leg").asText()).isEqualTo("a");
        assertThat(strings(ta2.path("linked_call_ids"))).containsExactly("c-leg@test");
        assertThat(tc.path("leg").asText()).isEqualTo("b");
        assertThat(strings(tc.path("correlation_ids"))).containsExactly("a2-leg@test");

        TestSip.Dialog x = new TestSip.Dialog("icid-x@test");
        TestSip.Dialog y = new TestSip.Dialog("icid-y@test");
        h.batch(x.invite(100).header("P-Charging-Vector", "icid-value=\"AyretyU0dm+6O2IrT5tAFrbHLso=023551024\";orig-ioi=home1.net"),
                y.invite(140).header("P-Charging-Vector", "icid-value=AyretyU0dm+6O2IrT5tAFrbHLso=023551024; icid-generated-at=10.9.9.9"));
        assertThat(h.sink.call("icid-x@test").path("tdr").path("leg").asText()).isEqualTo("a");
        assertThat(strings(h.sink.call("icid-y@test").path("tdr").path("linked_call_ids"))).containsExactly("icid-x@test");
        assertThat(h.sink.call("icid-y@test").path("tdr").path("leg").asText()).isEqualTo("b");

        // every TDR says which rule linked each of its legs
        assertThat(links(ta)).containsExactly("b-leg@test X-CID");
        assertThat(links(tb)).containsExactly("a-leg@test X-CID");
        assertThat(links(tc)).containsExactly("a2-leg@test hep-correlation-id");
        assertThat(links(h.sink.call("icid-y@test").path("tdr"))).containsExactly("icid-x@test P-Charging-Vector;icid-value");
    }

    @Test
    void legsWithTheSameRfc7989SessionIdAreLinked() {
        Harness h = new Harness();
        TestSip.Dialog a = new TestSip.Dialog("sid-a@test");
        TestSip.Dialog b = new TestSip.Dialog("sid-b@test");
        TestSip.Dialog n1 = new TestSip.Dialog("sid-nil-1@test");
        TestSip.Dialog n2 = new TestSip.Dialog("sid-nil-2@test");
        String nil = "00000000000000000000000000000000";
        h.batch(a.invite(0).header("Session-ID", "ab30317f1a784dc48ff824d0d3715d86"),
                b.invite(30).header("Session-ID", "AB30317F1A784DC48FF824D0D3715D86;remote=47755a9de7794ba387653f2099600ef2"),
                n1.invite(40).header("Session-ID", nil + ";remote=" + nil),
                n2.invite(50).header("Session-ID", nil));
        h.tick(a.at(2_000));
        JsonNode ta = h.sink.call("sid-a@test").path("tdr");
        JsonNode tb = h.sink.call("sid-b@test").path("tdr");
        assertThat(ta.path("leg").asText()).isEqualTo("a");
        assertThat(tb.path("leg").asText()).isEqualTo("b");
        assertThat(links(ta)).containsExactly("sid-b@test Session-ID");
        assertThat(links(tb)).containsExactly("sid-a@test Session-ID");
        assertThat(h.sink.call("sid-nil-1@test").path("tdr").has("leg")).as("the nil UUID links nothing").isFalse();
        assertThat(h.sink.call("sid-nil-2@test").path("tdr").has("linked_call_ids")).isFalse();

        CorrelationConfig off = new CorrelationConfig();
        off.linkSessionId = false;
        Harness h2 = new Harness(off);
        h2.batch(a.invite(0).header("Session-ID", "ab30317f1a784dc48ff824d0d3715d86"),
                b.invite(30).header("Session-ID", "ab30317f1a784dc48ff824d0d3715d86"));
        h2.tick(a.at(2_000));
        assertThat(h2.sink.call("sid-b@test").path("tdr").has("leg")).as("switched off").isFalse();
    }

    @Test
    void sessionIdValuesAreReadAsRfc7989Says() {
        assertThat(LegLinks.sessionUuid(" ab30317f1a784dc48ff824d0d3715d86 ;remote=00000000000000000000000000000000"))
                .isEqualTo("ab30317f1a784dc48ff824d0d3715d86");
        assertThat(LegLinks.sessionUuid("AB30317F1A784DC48FF824D0D3715D86")).isEqualTo("ab30317f1a784dc48ff824d0d3715d86");
        for (String bad : new String[] {null, "", "00000000000000000000000000000000", "ab30317f-1a78-4dc4-8ff8-24d0d3715d86",
                "ab30317f1a784dc48ff824d0d3715d8", "zz30317f1a784dc48ff824d0d3715d86"}) {
            assertThat(LegLinks.sessionUuid(bad)).as(String.valueOf(bad)).isNull();
        }
    }

    private static List<String> links(JsonNode tdr) {
        List<String> out = new java.util.ArrayList<>();
        tdr.path("links").forEach(l -> out.add(l.path("call_id").asText() + " " + l.path("rule").asText()));
        return out;
    }

    @Test
    void logsJoinTheirCallByCorrelationIdEvenWhenTheyArriveFirst() {
        Harness h = new Harness();
        TestSip.Dialog d = new TestSip.Dialog("logged-1@test");
        List<CapturedMessage> early = h.packets(TestSip.log(d.at(-5), "logged-1@test", "routing call logged-1@test"));
        assertThat(early.get(0).callId).isEqualTo("logged-1@test");
        assertThat(h.gauge("correlate.orphans.waiting")).isEqualTo(1);
        h.batch(d.invite(0), d.reply(200, "OK", 500));
        List<CapturedMessage> later = h.packets(TestSip.log(d.at(600), "logged-1@test_b2b-1", "b-leg of logged-1"),
                TestSip.log(d.at(700), null, "unrelated"));
        assertThat(later.get(0).callId).as("suffix stripped").isEqualTo("logged-1@test");
        assertThat(later.get(1).callId).isNull();
        h.tick(d.at(5_000));
        JsonNode t = h.sink.call(d.callId).path("tdr");
        assertThat(t.path("messages").path("logs").asInt()).isEqualTo(2);
        assertThat(t.path("messages").path("count").asInt()).isEqualTo(4);
        assertThat(strings(t.path("messages").path("ids"))).contains(early.get(0).id, later.get(0).id)
                .doesNotContain(later.get(1).id);
        assertThat(t.path("start").asText()).as("the INVITE, not the earlier log").isEqualTo("2002-01-01T10:00:00.000000Z");
        assertThat(h.gauge("correlate.orphans.waiting")).isEqualTo(0);

        // a log for a call that never comes is dropped after the orphan timeout (counted)
        h.packets(TestSip.log(d.at(6_000), "never@test", "?"));
        h.tick(d.at(6_000 + 31_000));
        h.tick(d.at(6_000 + 32_000)); // gives up at the tick after the one that passed the timeout
        assertThat(h.meter("correlate.orphans.expired")).isEqualTo(1);
        assertThat(h.gauge("correlate.orphans.waiting")).isEqualTo(0);
    }
}
