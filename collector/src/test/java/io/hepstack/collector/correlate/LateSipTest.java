package io.hepstack.collector.correlate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hepstack.collector.index.IndexRequest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIP that arrives after its call closed (far out of capture order: a backlog, a reconnecting
 * agent) joins the closed call when it was captured while the call was live, exactly as it would
 * have in capture order: each test plays a call's messages with some held back until the call
 * closed, and compares the TDR with the one the same messages give in capture order (docs/tdr.md,
 * "Arrival order", point 4). SIP captured when the call would have been closed already, a message
 * that would make the call live again, and more than {@link ClosedCalls#MAX_LATE_SIP} late
 * messages for one call stay late, as before.
 */
class LateSipTest {

    private static final long WALL = System.currentTimeMillis() * 1000;
    private static final long LINGER = new CorrelationConfig().endedLinger.toMicroseconds();

    @Test
    void a200ToTheInviteAfterTheByeAndTheCloseAnswersTheCall() {
        TestSip.Dialog d = new TestSip.Dialog("late-200@test");
        TestSip.Msg bye = d.inDialog("BYE", true, 2, "z9hG4bK-bye", 20_000);
        List<TestSip.Msg> first = List.of(d.invite(0), d.reply(100, "Trying", 10), d.reply(180, "Ringing", 500), bye,
                d.answer(bye, 200, "OK", 20_050));
        List<TestSip.Msg> late = List.of(d.reply(200, "OK", 1_000).sdp("10.2.2.2", 5000, "PCMA/8000"),
                d.inDialog("ACK", true, 1, "z9hG4bK-ack", 1_100));

        Harness h = harness();
        String docId = playClosed(h, d, first);
        JsonNode before = h.sink.call(d.callId);
        assertThat(before.path("tdr").path("status").asText()).isEqualTo("FINISHED");
        assertThat(before.path("tdr").has("answer")).as("its 200 is still to come").isFalse();
        List<IndexRequest> writes = h.sink.requestsFor(docId);

        h.batch(late.toArray(TestSip.Msg[]::new));
        JsonNode after = h.sink.call(d.callId);
        JsonNode tdr = after.path("tdr");
        assertThat(tdr.path("status").asText()).isEqualTo("FINISHED");
        assertThat(tdr.has("answer")).isTrue();
        assertThat(tdr.path("answer_ms").asLong()).as("INVITE to 200").isEqualTo(1_000);
        assertThat(tdr.path("duration_ms").asLong()).as("answer to BYE").isEqualTo(19_000);
        assertThat(tdr.path("final_code").asInt()).isEqualTo(200);
        assertThat(tdr.path("callee").path("media").path("codecs").get(0).asText()).isEqualTo("PCMA/8000");
        assertThat(tdr.path("messages").path("sip").asInt()).isEqualTo(7);
        assertThat(h.sink.requestsFor(docId)).as("written again once, for the batch").hasSize(writes.size() + 1);
        assertThat(lastVersion(h, docId)).isGreaterThan(writes.get(writes.size() - 1).externalVersion());
        assertThat(h.meter("correlate.late.joined")).isEqualTo(2);
        assertThat(h.meter("correlate.late")).isZero();
        assertThat(h.sink.docs()).as("no second call TDR, no transaction").hasSize(1);

        assertThat(comparable(after)).as("as in capture order").isEqualTo(comparable(inOrder(d, first, late)));
    }

    @Test
    void theAckAndThe200ToTheByeAfterTheCloseCountAsInCaptureOrder() {
        TestSip.Dialog d = new TestSip.Dialog("late-ack@test");
        TestSip.Msg bye = d.inDialog("BYE", false, 1, "z9hG4bK-bye-b", 30_000);
        List<TestSip.Msg> first = List.of(d.invite(0), d.reply(180, "Ringing", 300),
                d.reply(200, "OK", 2_000).sdp("10.2.2.2", 5000, "PCMU/8000"), bye);
        TestSip.Msg ack = d.inDialog("ACK", true, 1, "z9hG4bK-ack", 2_050);
        List<TestSip.Msg> late = List.of(d.answer(bye, 200, "OK", 30_020), ack, ack.copy().capture(1002, "node-2"));

        Harness h = harness();
        playClosed(h, d, first);
        assertThat(h.sink.call(d.callId).path("tdr").path("messages").path("sip").asInt()).isEqualTo(4);
        h.each(late.toArray(TestSip.Msg[]::new));
        JsonNode after = h.sink.call(d.callId);
        JsonNode messages = after.path("tdr").path("messages");
        assertThat(messages.path("sip").asInt()).isEqualTo(7);
        assertThat(messages.path("retransmissions").asInt()).as("the ACK's second capture").isEqualTo(1);
        assertThat(after.path("tdr").path("ended_by").asText()).isEqualTo("callee");
        assertThat(h.meter("correlate.late.joined")).isEqualTo(3);
        assertThat(comparable(after)).isEqualTo(comparable(inOrder(d, first, late)));
    }

    @Test
    void sipCapturedWhenTheCallWouldHaveBeenClosedStaysLate() {
        TestSip.Dialog d = new TestSip.Dialog("late-beyond@test");
        TestSip.Msg bye = d.inDialog("BYE", true, 2, "z9hG4bK-bye", 20_000);
        Harness h = harness();
        String docId = playClosed(h, d, List.of(d.invite(0), d.reply(200, "OK", 1_000), bye));
        int writes = h.sink.requestsFor(docId).size();
        JsonNode closed = h.sink.call(d.callId);

        // a 200 to the BYE captured later than the linger after the end: closed by then in capture order too
        h.batch(d.answer(bye, 200, "OK", 20_000 + LINGER / 1000 + 1_000));
        assertThat(h.meter("correlate.late")).isEqualTo(1);
        assertThat(h.meter("correlate.late.joined")).isZero();
        assertThat(h.sink.requestsFor(docId)).hasSize(writes);
        assertThat(h.sink.call(d.callId)).isEqualTo(closed);

        // once the closed call is forgotten (lateMediaGrace on the capture clock), nothing joins it
        long grace = new CorrelationConfig().lateMediaGrace.toMicroseconds();
        h.tick(d.at(20_000) + LINGER + 2_000_000 + grace + 1_000_000);
        h.batch(d.inDialog("ACK", true, 1, "z9hG4bK-ack", 1_100));
        assertThat(h.meter("correlate.late")).isEqualTo(2);
        assertThat(h.sink.requestsFor(docId)).hasSize(writes);
    }

    @Test
    void inOrderTrafficNeverJoinsAClosedCall() {
        // with the reorder stage: the call closes at a tick while later messages are still held;
        // those captured after the close less the window are late in capture order, and stay late
        CorrelationConfig config = new CorrelationConfig();
        Harness h = new Harness(config, null, null, () -> WALL);
        TestSip.Dialog d = new TestSip.Dialog("in-order-late@test");
        TestSip.Msg bye = d.inDialog("BYE", true, 2, "z9hG4bK-bye", 20_000);
        h.batch(d.invite(0), d.reply(200, "OK", 1_000), bye);
        for (long s = 21; s <= 31; s++) {
            h.tick(d.at(s * 1000));
        }
        assertThat(h.sink.call(d.callId).path("tdr").path("status").asText()).isEqualTo("FINISHED");
        h.batch(d.answer(bye, 200, "OK", 29_500)); // within the linger after the end, but after the close less the window
        h.flush();
        assertThat(h.meter("correlate.late")).isEqualTo(1);
        assertThat(h.meter("correlate.late.joined")).isZero();
    }

    @Test
    void aCallEndedByItsTimerTakesWhatCameBeforeItsLingerEnded() {
        // no answer within setupTimeout: the call times out, lingers and closes; a CANCEL captured in
        // the linger after the timeout joins it late as it did in capture order, a 487 captured
        // after the linger stays late in both
        TestSip.Dialog d = new TestSip.Dialog("late-after-timeout@test");
        long setup = new CorrelationConfig().setupTimeout.toMicroseconds();
        long timedOut = d.at(500) + setup + 500_000;
        TestSip.Msg cancel = d.cancel((timedOut - d.t0) / 1000 + 4_000);
        TestSip.Msg beyond = d.reply(487, "Request Terminated", (timedOut - d.t0) / 1000 + LINGER / 1000 + 5_000);

        Harness ordered = harness();
        ordered.batch(d.invite(0), d.reply(180, "Ringing", 500));
        ordered.tick(timedOut);
        ordered.batch(cancel);
        closeAll(ordered, timedOut);
        ordered.batch(beyond);
        assertThat(ordered.meter("correlate.late")).isEqualTo(1);

        Harness h = harness();
        h.batch(d.invite(0), d.reply(180, "Ringing", 500));
        h.tick(timedOut);
        closeAll(h, timedOut);
        assertThat(h.sink.call(d.callId).path("tdr").path("ended_by").asText()).isEqualTo("timeout");
        h.batch(beyond);
        assertThat(h.meter("correlate.late")).isEqualTo(1);
        h.batch(cancel);
        assertThat(h.meter("correlate.late.joined")).isEqualTo(1);
        JsonNode tdr = h.sink.call(d.callId).path("tdr");
        assertThat(tdr.path("status").asText()).isEqualTo("CANCELED");
        assertThat(comparable(h.sink.call(d.callId))).isEqualTo(comparable(ordered.sink.call(d.callId)));
    }

    @Test
    void a200ThatWouldMakeAFailedCallLiveAgainDoesNotJoin() {
        TestSip.Dialog d = new TestSip.Dialog("late-after-486@test");
        Harness h = harness();
        String docId = playClosed(h, d, List.of(d.invite(0), d.reply(486, "Busy Here", 2_000), d.ackForFailure(2_010)));
        int writes = h.sink.requestsFor(docId).size();
        // a forked 200 captured before the 486, arriving after the close: the call would be answered
        // and live again with nothing left to end it, so it stays late
        h.batch(d.reply(200, "OK", 1_500).set("To", "<sip:" + d.toUser + "@" + d.toHost + ">;tag=fork-2"));
        assertThat(h.meter("correlate.late")).isEqualTo(1);
        assertThat(h.sink.requestsFor(docId)).hasSize(writes);
        assertThat(h.sink.call(d.callId).path("tdr").path("status").asText()).isEqualTo("USER_BUSY");
    }

    @Test
    void aFloodOfLateSipForAClosedCallIsCapped() {
        TestSip.Dialog d = new TestSip.Dialog("late-flood@test");
        TestSip.Msg bye = d.inDialog("BYE", true, 2, "z9hG4bK-bye", 20_000);
        Harness h = harness();
        String docId = playClosed(h, d, List.of(d.invite(0), d.reply(200, "OK", 1_000), bye));
        int writes = h.sink.requestsFor(docId).size();
        List<TestSip.Msg> flood = new ArrayList<>();
        for (int i = 0; i < ClosedCalls.MAX_LATE_SIP + 44; i++) {
            flood.add(d.inDialog("INFO", true, 10 + i, "z9hG4bK-info-" + i, 5_000 + i));
        }
        h.batch(flood.toArray(TestSip.Msg[]::new));
        assertThat(h.meter("correlate.late.joined")).isEqualTo(ClosedCalls.MAX_LATE_SIP);
        assertThat(h.meter("correlate.late")).isEqualTo(44);
        assertThat(h.sink.requestsFor(docId)).as("one rewrite for the batch").hasSize(writes + 1);
        assertThat(h.sink.call(d.callId).path("tdr").path("messages").path("sip").asInt())
                .isEqualTo(3 + ClosedCalls.MAX_LATE_SIP);
    }

    @Test
    void theSdpOfALate200PlacesTheCalleesReports() {
        TestSip.Dialog d = new TestSip.Dialog("late-sdp@test");
        TestSip.Msg bye = d.inDialog("BYE", true, 2, "z9hG4bK-bye", 20_000);
        Harness h = harness();
        playClosed(h, d, List.of(d.invite(0), bye));
        h.batch(d.reply(200, "OK", 1_000).sdp("10.2.2.2", 5000, "PCMU/8000"));
        // the callee reports from its SDP address to a NAT address no SDP named, and names no call
        h.packets(TestSip.rtcp("10.2.2.2", 5001, "192.0.2.44", 7001, d.at(10_000), null, 222, 111, 500, 0, 0, 500, 8));
        JsonNode q = h.sink.call(d.callId).path("qos");
        assertThat(q.path("a_leg").path("reports").asInt()).as("the caller's stream, reported by the callee").isEqualTo(1);
        assertThat(h.meter("correlate.late.joined")).isEqualTo(2);
        assertThat(h.meter("correlate.unmatched")).isZero();
    }

    @Test
    void aLateInviteLinksItsClosedLegToTheClosedLegItNames() {
        TestSip.Dialog a = new TestSip.Dialog("late-a-leg@test");
        TestSip.Dialog b = new TestSip.Dialog("late-b-leg@test");
        b.callerIp = "10.5.5.5";
        b.fromTag = "from-b";
        TestSip.Msg byeA = a.inDialog("BYE", true, 2, "z9hG4bK-bye-a", 20_000);
        TestSip.Msg byeB = b.inDialog("BYE", true, 2, "z9hG4bK-bye-b", 20_010);
        TestSip.Msg inviteB = b.invite(20).header("X-CID", a.callId);
        List<TestSip.Msg> first = List.of(a.invite(0), a.reply(200, "OK", 1_000), b.reply(200, "OK", 990), byeA, byeB);

        Harness h = harness();
        h.batch(first.toArray(TestSip.Msg[]::new));
        closeAll(h, a.at(20_010));
        assertThat(h.sink.call(a.callId).path("tdr").has("linked_call_ids")).isFalse();
        h.batch(inviteB);
        JsonNode ta = h.sink.call(a.callId).path("tdr");
        JsonNode tb = h.sink.call(b.callId).path("tdr");
        assertThat(ta.path("leg").asText()).isEqualTo("a");
        assertThat(ta.path("linked_call_ids").get(0).asText()).isEqualTo(b.callId);
        assertThat(tb.path("leg").asText()).isEqualTo("b");
        assertThat(tb.path("links").get(0).path("rule").asText()).isEqualTo("X-CID");

        Harness ordered = harness();
        List<TestSip.Msg> all = new ArrayList<>(first);
        all.add(inviteB);
        all.sort(java.util.Comparator.comparingLong(m -> m.micros));
        ordered.each(all.toArray(TestSip.Msg[]::new));
        closeAll(ordered, a.at(20_010));
        assertThat(comparable(h.sink.call(a.callId))).isEqualTo(comparable(ordered.sink.call(a.callId)));
        assertThat(comparable(h.sink.call(b.callId))).isEqualTo(comparable(ordered.sink.call(b.callId)));
    }

    // ------------------------------------------------------------------ helpers

    /** Messages reach the correlator as given (no reorder window), with a fixed wall clock. */
    private static Harness harness() {
        return new Harness(Harness.inArrivalOrder(new CorrelationConfig()), null, null, () -> WALL);
    }

    /** Plays {@code messages} as one batch, then ticks until the call closed; returns its TDR's id. */
    private static String playClosed(Harness h, TestSip.Dialog d, List<TestSip.Msg> messages) {
        h.batch(messages.toArray(TestSip.Msg[]::new));
        long last = messages.stream().mapToLong(m -> m.micros).max().orElseThrow();
        closeAll(h, last);
        return h.sink.call(d.callId).path("tdr").path("id").asText();
    }

    /** Ticks to the end of the linger after {@code last}, and once more: every ended call closed. */
    private static void closeAll(Harness h, long last) {
        h.tick(last + LINGER + 1_000_000);
        h.tick(last + LINGER + 2_000_000);
    }

    /** The TDR the messages give in capture order (one batch each), closed as above. */
    private static JsonNode inOrder(TestSip.Dialog d, List<TestSip.Msg> first, List<TestSip.Msg> late) {
        List<TestSip.Msg> all = new ArrayList<>(first);
        all.addAll(late);
        all.sort(java.util.Comparator.comparingLong(m -> m.micros));
        Harness h = harness();
        h.each(all.toArray(TestSip.Msg[]::new));
        closeAll(h, first.stream().mapToLong(m -> m.micros).max().orElseThrow());
        return h.sink.call(d.callId);
    }

    /** The document without what depends on when it was written ({@code tdr.version}). */
    private static JsonNode comparable(JsonNode doc) {
        JsonNode c = doc.deepCopy();
        ((ObjectNode) c.path("tdr")).remove("version");
        return c;
    }

    private static long lastVersion(Harness h, String docId) {
        List<IndexRequest> r = h.sink.requestsFor(docId);
        return r.get(r.size() - 1).externalVersion();
    }
}
