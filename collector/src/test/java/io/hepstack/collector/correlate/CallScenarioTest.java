package io.hepstack.collector.correlate;

import com.fasterxml.jackson.databind.JsonNode;
import io.hepstack.collector.pipeline.CapturedMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated call flows through parse + correlate, one assertion per status and timing. Times are
 * milliseconds after the INVITE (2002-01-01T10:00:00Z); see docs/tdr.md for the definitions.
 */
class CallScenarioTest {

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<String> statuses(List<JsonNode> versions) {
        return versions.stream().map(v -> v.path("tdr").path("status").asText()).toList();
    }

    @Test
    void answeredCallOfAKnownLengthLiveUpdatesThenFinal() {
        Harness h = new Harness();
        TestSip.Dialog d = new TestSip.Dialog("answered-1@test");
        TestSip.Msg bye = d.inDialog("BYE", true, 2, "z9hG4bK-bye", 62_500);
        List<CapturedMessage> msgs = new ArrayList<>(h.each(
                d.invite(0),
                d.reply(100, "Trying", 20),
                d.reply(180, "Ringing", 150)));
        h.tick(d.at(1_000)); // the pipeline's tick, a second into the call
        msgs.addAll(h.each(
                d.reply(200, "OK", 2_000).sdp("10.2.2.2", 5000, "PCMU/8000"),
                d.inDialog("ACK", true, 1, "z9hG4bK-ack", 2_010),
                bye,
                d.answer(bye, 200, "OK", 62_520)));

        JsonNode doc = h.sink.call("answered-1@test");
        JsonNode t = doc.path("tdr");
        assertThat(t.path("status").asText()).isEqualTo("FINISHED");
        assertThat(t.path("final").asBoolean()).isTrue();
        assertThat(t.path("state").asText()).isEqualTo("ended");
        assertThat(t.path("start").asText()).isEqualTo("2002-01-01T10:00:00.000000Z");
        assertThat(doc.path("@timestamp").asText()).isEqualTo("2002-01-01T10:00:00.000000Z");
        assertThat(t.path("first_provisional").asText()).isEqualTo("2002-01-01T10:00:00.020000Z");
        assertThat(t.path("ringing").asText()).isEqualTo("2002-01-01T10:00:00.150000Z");
        assertThat(t.path("answer").asText()).isEqualTo("2002-01-01T10:00:02.000000Z");
        assertThat(t.path("end").asText()).isEqualTo("2002-01-01T10:01:02.500000Z");
        assertThat(t.path("setup_ms").asLong()).isEqualTo(150);
        assertThat(t.path("first_response_ms").asLong()).isEqualTo(20);
        assertThat(t.path("answer_ms").asLong()).isEqualTo(2_000);
        assertThat(t.path("final_response_ms").asLong()).isEqualTo(2_000);
        assertThat(t.path("ring_ms").asLong()).isEqualTo(1_850);
        assertThat(t.path("duration_ms").asLong()).isEqualTo(60_500);
        assertThat(t.path("duration_s").asLong()).isEqualTo(60);
        assertThat(t.path("total_s").asLong()).isEqualTo(62);
        assertThat(t.path("final_code").asInt()).isEqualTo(200);
        assertThat(t.path("final_reason").asText()).isEqualTo("OK");
        assertThat(t.path("ended_by").asText()).isEqualTo("caller");
        assertThat(doc.path("event").path("duration").asLong()).isEqualTo(62_500_000_000L);

        JsonNode caller = t.path("caller");
        assertThat(caller.path("user").asText()).isEqualTo("alice");
        assertThat(caller.path("domain").asText()).isEqualTo("example.com");
        assertThat(caller.path("display").asText()).isEqualTo("Alice");
        assertThat(caller.path("ip").asText()).isEqualTo("10.1.1.1");
        assertThat(caller.path("port").asInt()).isEqualTo(5060);
        assertThat(caller.path("user_agent").asText()).isEqualTo("TestPhone/1.0");
        assertThat(caller.path("media").path("ip").asText()).isEqualTo("10.1.1.1");
        assertThat(caller.path("media").path("port").asInt()).isEqualTo(4000);
        assertThat(strings(caller.path("media").path("codecs"))).containsExactly("PCMU/8000");
        JsonNode callee = t.path("callee");
        assertThat(callee.path("user").asText()).isEqualTo("+4930901820");
        assertThat(callee.path("ip").asText()).isEqualTo("10.2.2.2");
        assertThat(callee.path("user_agent").asText()).isEqualTo("TestPBX/2.0");
        assertThat(callee.path("media").path("port").asInt()).isEqualTo(5000);
        assertThat(t.path("request_uri").path("user").asText()).isEqualTo("+4930901820");
        assertThat(doc.path("source").path("ip").asText()).isEqualTo("10.1.1.1");
        assertThat(doc.path("destination").path("ip").asText()).isEqualTo("10.2.2.2");

        JsonNode mm = t.path("messages");
        assertThat(mm.path("count").asInt()).as("written at the BYE; the 200 to it waits").isEqualTo(6);
        assertThat(t.path("hops").asInt()).isEqualTo(1);
        assertThat(t.path("attempts").asInt()).isEqualTo(1);
        assertThat(strings(t.path("nodes"))).containsExactly("node-1");
        assertThat(t.path("capture_ids").get(0).asLong()).isEqualTo(1001);
        assertThat(msgs).allSatisfy(m -> {
            assertThat(m.callId).isEqualTo("answered-1@test");
            assertThat(m.duplicate).isFalse();
        });

        // at most one write per second of capture time, the first a second after the INVITE (its
        // 100 and 180 fold into it), versions rising; the ACK and the 200 to BYE wait for the throttle
        List<JsonNode> versions = h.sink.versions(t.path("id").asText());
        assertThat(statuses(versions)).containsExactly("RINGING", "ANSWERED", "FINISHED");
        // external versions follow the capture clock (µs), so a later run always writes above them
        List<Long> ext = h.sink.requestsFor(t.path("id").asText()).stream().map(r -> r.externalVersion()).toList();
        assertThat(ext).hasSize(3).isSorted().doesNotHaveDuplicates();
        assertThat(ext.get(0)).isGreaterThanOrEqualTo(d.at(1_000));
        assertThat(h.sink.requestsFor(t.path("id").asText())).allSatisfy(r -> {
            assertThat(r.index()).isEqualTo("hep-tdr-2002.01.01");
            assertThat(r.create()).isFalse();
        });
        assertThat(h.stage.liveCalls()).isEqualTo(1);

        // after the linger the call is written once more (its last messages) and forgotten
        h.tick(d.at(62_520 + 10_000));
        assertThat(h.stage.liveCalls()).isZero();
        List<JsonNode> after = h.sink.versions(t.path("id").asText());
        assertThat(after).hasSize(4);
        mm = after.get(3).path("tdr").path("messages");
        assertThat(mm.path("count").asInt()).isEqualTo(7);
        assertThat(mm.path("sip").asInt()).isEqualTo(7);
        assertThat(mm.path("retransmissions").asInt()).isZero();
        assertThat(strings(mm.path("methods"))).containsExactly("INVITE", "ACK", "BYE");
        assertThat(strings(mm.path("ids"))).containsExactlyElementsOf(msgs.stream().map(m -> m.id).toList());
        assertThat(after.get(3).path("tdr").path("version").asLong()).as("the document carries its external version")
                .isEqualTo(h.sink.requestsFor(t.path("id").asText()).get(3).externalVersion()).isGreaterThan(ext.get(2));
        assertThat(h.meter("correlate.tdr.written")).isEqualTo(4);
        assertThat(h.gauge("correlate.calls.live")).isEqualTo(0);

        // a retransmission of the 200 to BYE captured in the linger but arriving after the close joins
        // the closed call as it would have in capture order (docs/tdr.md, "Arrival order"): written again
        h.batch(d.answer(bye, 200, "OK", 62_600));
        List<JsonNode> rewritten = h.sink.versions(t.path("id").asText());
        assertThat(rewritten).hasSize(5);
        assertThat(rewritten.get(4).path("tdr").path("messages").path("retransmissions").asInt()).isEqualTo(1);
        assertThat(h.meter("correlate.late.joined")).isEqualTo(1);
        // one captured after the linger found the call closed in capture order too: late, it starts nothing
        h.batch(d.answer(bye, 200, "OK", 62_500 + 10_000 + 100));
        assertThat(h.sink.versions(t.path("id").asText())).hasSize(5);
        assertThat(h.meter("correlate.late")).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "486, Busy Here, USER_BUSY",
        "600, Busy Everywhere, USER_BUSY",
        "603, Decline, DECLINE",
        "302, Moved Temporarily, MOVED",
        "301, Moved Permanently, MOVED",
        "404, Not Found, USER_FAILURE",
        "480, Temporarily Unavailable, USER_FAILURE",
        "488, Not Acceptable Here, USER_FAILURE",
        "500, Server Internal Error, HARD_FAILURE",
        "503, Service Unavailable, HARD_FAILURE",
        "604, Does Not Exist Anywhere, HARD_FAILURE",
        "487, Request Terminated, CANCELED",
    })
    void finalFailureResponses(int code, String reason, String status) {
        Harness h = new Harness();
        TestSip.Dialog d = new TestSip.Dialog("fail-" + code + "@test");
        h.batch(d.invite(0), d.reply(100, "Trying", 10), d.reply(code, reason, 800).header("Reason", "Q.850;cause=17;text=\"User busy\""),
                d.ackForFailure(810));
        assertThat(h.sink.docs()).as("nothing written within the first second").isEmpty();
        h.tick(d.at(1_000));
        assertThat(h.sink.versions(h.sink.call(d.callId).path("tdr").path("id").asText()))
                .as("a call that fails at once costs one write").hasSize(1);
        JsonNode t = h.sink.call(d.callId).path("tdr");
        assertThat(t.path("status").asText()).isEqualTo(status);
        assertThat(t.path("final").asBoolean()).isTrue();
        assertThat(t.path("final_code").asInt()).isEqualTo(code);
        assertThat(t.path("final_reason").asText()).isEqualTo(reason);
        assertThat(t.path("final_response_ms").asLong()).isEqualTo(800);
        assertThat(t.path("first_response_ms").asLong()).isEqualTo(10);
        assertThat(t.path("end").asText()).isEqualTo("2002-01-01T10:00:00.800000Z");
        assertThat(t.path("ended_by").asText()).isEqualTo("response");
        assertThat(t.path("reason").path("protocol").asText()).isEqualTo("Q.850");
        assertThat(t.path("reason").path("cause").asInt()).isEqualTo(17);
        assertThat(t.has("setup_ms")).as("no 18x, no answer").isFalse();
        assertThat(t.has("answer_ms")).isFalse();
        assertThat(t.has("duration_s")).isFalse();
        assertThat(t.path("total_s").asLong()).isZero();
        assertThat(t.path("messages").path("count").asInt()).isEqualTo(4);
    }

    @Test
    void cancelBeforeTheAnswer() {
        Harness h = new Harness();
        TestSip.Dialog d = new TestSip.Dialog("cancel-1@test");
        TestSip.Msg cancel = d.cancel(5_000).header("Reason", "SIP;cause=200;text=\"Call completed elsewhere\"");
        h.batch(d.invite(0), d.reply(180, "Ringing", 100), cancel,
                d.response(200, "OK", "CANCEL", 1, d.branch, d.toTag, 5_010),
                d.reply(487, "Request Terminated", 5_020), d.ackForFailure(5_030));
        JsonNode t = h.sink.call(d.callId).path("tdr");
        assertThat(t.path("status").asText()).isEqualTo("CANCELED");
        assertThat(t.path("ended_by").asText()).isEqualTo("caller");
        assertThat(t.path("final_code").asInt()).isEqualTo(487);
        assertThat(t.path("setup_ms").asLong()).isEqualTo(100);
        assertThat(t.path("ring_ms").asLong()).as("18x to the final response").isEqualTo(4_920);
        assertThat(t.path("end").asText()).isEqualTo("2002-01-01T10:00:05.020000Z");
        assertThat(t.path("reason").path("protocol").asText()).isEqualTo("SIP");
        assertThat(t.path("reason").path("cause").asInt()).isEqualTo(200);
        assertThat(t.path("reason").path("text").asText()).isEqualTo("Call completed elsewhere");
        assertThat(strings(t.path("messages").path("methods"))).containsExactly("INVITE", "CANCEL", "ACK");
    }

    @Test
    void noAnswerTimesOutAsHardFailureAndACancelWithoutAnswerAsCanceled() {
        CorrelationConfig c = new CorrelationConfig();
        Harness h = new Harness(c);
        TestSip.Dialog d = new TestSip.Dialog("noanswer-1@test");
        h.batch(d.invite(0), d.reply(100, "Trying", 10), d.reply(180, "Ringing", 200));
        h.tick(d.at(200 + 119_000));
        assertThat(h.sink.call(d.callId).path("tdr").path("status").asText()).isEqualTo("RINGING");
        h.tick(d.at(200 + 120_000));
        JsonNode t = h.sink.call(d.callId).path("tdr");
        assertThat(t.path("status").asText()).isEqualTo("HARD_FAILURE");
        assertThat(t.path("ended_by").asText()).isEqualTo("timeout");
        assertThat(t.path("end").asText()).as("the last message").isEqualTo("2002-01-01T10:00:00.200000Z");
        assertThat(t.has("final_code")).isFalse();
        assertThat(h.meter("correlate.expired")).isEqualTo(1);
        assertThat(h.stage.liveCalls()).as("lingers").isEqualTo(1);
        h.tick(d.at(200 + 130_000));
        assertThat(h.stage.liveCalls()).isZero();

        TestSip.Dialog d2 = new TestSip.Dialog("cancel-lost-487@test");
        d2.t0 = d.at(200 + 140_000); // after the clock of the ticks above
        h.batch(d2.invite(0), d2.reply(180, "Ringing", 100), d2.cancel(3_000));
        assertThat(h.sink.call(d2.callId).path("tdr").path("status").asText()).isEqualTo("RINGING");
        h.tick(d2.at(3_000 + 120_000));
        JsonNode t2 = h.sink.call(d2.callId).path("tdr");
        assertThat(t2.path("status").asText()).isEqualTo("CANCELED");
        assertThat(t2.path("ended_by").asText()).isEqualTo("caller");
        assertThat(t2.path("end").asText()).as("the CANCEL").isEqualTo("2002-01-01T10:02:23.200000Z");
    }

    @Test
    void answeredCallWithoutByeEndsByTheAnsweredTimeoutAfterItsLastMessage() {
        CorrelationConfig c = new CorrelationConfig();
        c.answeredTimeout = io.dropwizard.util.Duration.seconds(60);
        Harness h = new Harness(c);
        TestSip.Dialog d = new TestSip.Dialog("nobye-1@test");
        h.batch(d.invite(0), d.reply(200, "OK", 1_000), d.inDialog("ACK", true, 1, "z9hG4bK-ack", 1_010));
        // an in-dialog OPTIONS keeps it alive
        TestSip.Msg options = d.inDialog("OPTIONS", false, 1, "z9hG4bK-opt", 30_000);
        h.batch(options, d.answer(options, 200, "OK", 30_005));
        h.tick(d.at(80_000));
        assertThat(h.sink.call(d.callId).path("tdr").path("status").asText()).isEqualTo("ANSWERED");
        h.tick(d.at(90_005));
        JsonNode t = h.sink.call(d.callId).path("tdr");
        assertThat(t.path("status").asText()).isEqualTo("FINISHED");
        assertThat(t.path("ended_by").asText()).isEqualTo("timeout");
        assertThat(t.path("duration_ms").asLong()).as("answer to the last message").isEqualTo(29_005);
        assertThat(t.path("duration_s").asLong()).isEqualTo(29);
        assertThat(strings(t.path("messages").path("methods"))).containsExactly("INVITE", "ACK", "OPTIONS");
    }

    @Test
    void reInvitesDoNotChangeTheCallButUpdateTheMedia() {
        Harness h = new Harness();
        TestSip.Dialog d = new TestSip.Dialog("reinvite-1@test");
        TestSip.Msg hold = d.inDialog("INVITE", true, 2, "z9hG4bK-re1", 10_000).sdp("10.1.1.1", 4002, "PCMU/8000");
        TestSip.Msg calleeReinvite = d.inDialog("INVITE", false, 1, "z9hG4bK-re2", 20_000).sdp("10.2.2.2", 5002, "PCMU/8000");
        TestSip.Msg glare = d.inDialog("INVITE", true, 3, "z9hG4bK-re3", 25_000);
        TestSip.Msg bye = d.inDialog("BYE", false, 2, "z9hG4bK-bye", 30_000);
        h.batch(d.invite(0), d.reply(180, "Ringing", 100), d.reply(200, "OK", 1_000).sdp("10.2.2.2", 5000, "PCMU/8000"),
                d.inDialog("ACK", true, 1, "z9hG4bK-ack", 1_010),
                hold, d.answer(hold, 200, "OK", 10_020).sdp("10.2.2.2", 5000, "PCMU/8000"),
                calleeReinvite, d.answer(calleeReinvite, 200, "OK", 20_010).sdp("10.1.1.1", 4002, "PCMU/8000"),
                glare, d.answer(glare, 491, "Request Pending", 25_010),
                bye, d.answer(bye, 200, "OK", 30_010));
        JsonNode t = h.sink.call(d.callId).path("tdr");
        assertThat(t.path("status").asText()).isEqualTo("FINISHED");
        assertThat(t.path("reinvites").asInt()).isEqualTo(3);
        assertThat(t.path("final_code").asInt()).as("a 491 to a re-INVITE is not the call's").isEqualTo(200);
        assertThat(t.path("answer_ms").asLong()).isEqualTo(1_000);
        assertThat(t.path("duration_s").asLong()).isEqualTo(29);
        assertThat(t.path("ended_by").asText()).isEqualTo("callee");
        assertThat(t.path("caller").path("media").path("port").asInt()).as("the latest offer").isEqualTo(4002);
        assertThat(t.path("callee").path("media").path("port").asInt()).as("the callee's re-INVITE").isEqualTo(5002);
    }

    @Test
    void forkedProvisionalResponsesAreEarlyDialogsAndTheFirstOneRings() {
        Harness h = new Harness();
        TestSip.Dialog d = new TestSip.Dialog("fork-1@test");
        TestSip.Msg r1 = d.reply(180, "Ringing", 120);
        TestSip.Msg r2 = d.reply(183, "Session Progress", 90).set("To", "<sip:+4930901820@example.com>;tag=fork-b");
        TestSip.Msg ok = d.reply(200, "OK", 3_000).set("To", "<sip:+4930901820@example.com>;tag=fork-b");
        h.batch(d.invite(0), r1, r2, ok);
        JsonNode t = h.sink.call(d.callId).path("tdr");
        assertThat(t.path("early_dialogs").asInt()).isEqualTo(2);
        assertThat(t.path("setup_ms").asLong()).as("the earlier 183, arrived second").isEqualTo(90);
        assertThat(t.path("status").asText()).isEqualTo("ANSWERED");
    }

    @Test
    void retransmissionsAreDuplicatesCountedOnceForTiming() {
        Harness h = new Harness();
        TestSip.Dialog d = new TestSip.Dialog("retrans-1@test");
        TestSip.Msg ok = d.reply(200, "OK", 1_000);
        TestSip.Msg ack = d.inDialog("ACK", true, 1, "z9hG4bK-ack", 1_010);
        List<CapturedMessage> in = h.batch(d.invite(0), d.invite(500), d.reply(100, "Trying", 510),
                d.reply(180, "Ringing", 700), ok, ok.copy().at(1_500), ack, ack.copy().at(1_510));
        assertThat(in).extracting(m -> m.duplicate).containsExactly(false, true, false, false, false, true, false, true);
        JsonNode t = h.sink.call(d.callId).path("tdr");
        assertThat(t.path("messages").path("retransmissions").asInt()).isEqualTo(3);
        assertThat(t.path("messages").path("count").asInt()).isEqualTo(8);
        assertThat(t.path("messages").path("ids")).hasSize(8);
        assertThat(t.path("answer_ms").asLong()).isEqualTo(1_000);
        assertThat(t.path("first_response_ms").asLong()).isEqualTo(510);
        assertThat(t.path("hops").asInt()).isEqualTo(1);
        assertThat(h.meter("correlate.duplicates")).isEqualTo(3);
    }

    @Test
    void theSameCallCapturedAtTwoPointsIsOneCallWithTheEarliestTimes() {
        Harness h = new Harness();
        TestSip.Dialog d = new TestSip.Dialog("twice-1@test");
        TestSip.Msg bye = d.inDialog("BYE", true, 2, "z9hG4bK-bye", 10_000);
        List<TestSip.Msg> flow = List.of(d.invite(0), d.reply(180, "Ringing", 300), d.reply(200, "OK", 1_000),
                d.inDialog("ACK", true, 1, "z9hG4bK-ack", 1_010), bye, d.answer(bye, 200, "OK", 10_010));
        List<TestSip.Msg> all = new ArrayList<>();
        for (TestSip.Msg m : flow) {
            all.add(m);
            // the second agent's clock is 1 ms late, except that it saw the 180 2 ms earlier
            TestSip.Msg second = m.copy().capture(2002, "node-2");
            second.micros += m.startLine.contains("180") ? -2_000 : 1_000;
            all.add(second);
        }
        List<CapturedMessage> in = h.batch(all.toArray(new TestSip.Msg[0]));
        for (int i = 0; i < in.size(); i++) {
            assertThat(in.get(i).duplicate).as("message %d", i).isEqualTo(i % 2 == 1);
            assertThat(in.get(i).id).isNotNull();
        }
        JsonNode t = h.sink.call(d.callId).path("tdr");
        assertThat(t.path("status").asText()).isEqualTo("FINISHED");
        assertThat(t.path("setup_ms").asLong()).isEqualTo(298);
        assertThat(t.path("answer_ms").asLong()).isEqualTo(1_000);
        assertThat(t.path("duration_ms").asLong()).isEqualTo(9_000);
        assertThat(t.path("messages").path("count").asInt()).isEqualTo(12);
        assertThat(t.path("messages").path("retransmissions").asInt()).isEqualTo(6);
        assertThat(strings(t.path("nodes"))).containsExactly("node-1", "node-2");
        assertThat(t.path("capture_ids").toString()).isEqualTo("[1001,2002]");
        assertThat(t.path("hops").asInt()).isEqualTo(1);
    }

    @Test
    void arrivalOrderIsNotSipOrder() {
        Harness h = new Harness();
        TestSip.Dialog d = new TestSip.Dialog("order-1@test");
        // the 200 arrives (and is written) before the 180 that was captured earlier
        h.each(d.invite(0), d.reply(200, "OK", 2_000), d.reply(180, "Ringing", 300));
        JsonNode t = h.sink.call(d.callId).path("tdr");
        assertThat(statuses(h.sink.versions(t.path("id").asText()))).containsExactly("ANSWERED");
        h.tick(d.at(4_000));
        t = h.sink.call(d.callId).path("tdr");
        assertThat(t.path("status").asText()).isEqualTo("ANSWERED");
        assertThat(t.path("setup_ms").asLong()).isEqualTo(300);
        assertThat(t.path("ring_ms").asLong()).isEqualTo(1_700);

        // a mirror stamped the 200 before the 180: the answer alerts first
        TestSip.Dialog k = new TestSip.Dialog("order-2@test");
        h.batch(k.reply(200, "OK", 1_000), k.invite(0), k.reply(180, "Ringing", 1_200));
        h.tick(d.at(5_000)); // a second after the clock (4 s) at which the call began
        JsonNode tk = h.sink.call(k.callId).path("tdr");
        assertThat(tk.path("setup_ms").asLong()).isEqualTo(1_000);
        assertThat(tk.path("answer_ms").asLong()).isEqualTo(1_000);
        assertThat(tk.has("ring_ms")).isFalse();
        assertThat(tk.path("caller").path("user_agent").asText()).as("parties from the INVITE, arrived later").isEqualTo("TestPhone/1.0");
    }

    @Test
    void inviteChallengedThenRetriedIsOneCallWithOneChallenge() {
        Harness h = new Harness();
        TestSip.Dialog d = new TestSip.Dialog("auth-1@test");
        TestSip.Msg first = d.invite(0);
        h.each(first, d.reply(407, "Proxy Authentication Required", 10), d.ackForFailure(15));
        assertThat(h.sink.docs()).as("the challenge is not written as a failure").isEmpty();
        d.cseq = 2;
        d.branch = "z9hG4bK-inv-2";
        h.each(d.invite(100).header("Proxy-Authorization", "Digest username=\"alice\""), d.reply(180, "Ringing", 300));
        h.tick(d.at(1_000));
        h.each(d.reply(200, "OK", 1_300));
        h.tick(d.at(2_000));
        JsonNode t = h.sink.call(d.callId).path("tdr");
        assertThat(t.path("status").asText()).isEqualTo("ANSWERED");
        assertThat(t.path("auth_challenges").asInt()).isEqualTo(1);
        assertThat(t.path("attempts").asInt()).isEqualTo(2);
        assertThat(t.path("answer_ms").asLong()).as("from the first INVITE").isEqualTo(1_300);
        assertThat(t.path("final_code").asInt()).isEqualTo(200);
        assertThat(statuses(h.sink.versions(t.path("id").asText()))).containsExactly("RINGING", "ANSWERED");
        List<String> events = h.events.stream().map(e -> switch (e.type()) {
            case STARTED -> "started " + e.call().status();
            case ANSWERED -> "answered";
            case ENDED -> "ended " + e.call().status();
            case MEDIA_REPORT -> "media";
        }).toList();
        assertThat(events).as("the challenge does not end the call for the later stages").containsExactly("started INIT", "answered");
    }
}
