package io.hepstack.collector.correlate;

import com.fasterxml.jackson.databind.JsonNode;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.Transport;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The correlator alone (no reorder stage), messages of a dialog arriving before its INVITE: they wait
 * for the call (docs/tdr.md, "Arrival order") instead of starting transactions of their own, and
 * when no call comes they become what they would have been without waiting.
 */
class WaitingForTheCallTest {

    @Test
    void aByeAndItsOkBeforeTheInviteJoinTheCall() {
        Harness h = new Harness();
        TestSip.Dialog d = new TestSip.Dialog("bye-first@test");
        TestSip.Msg bye = d.inDialog("BYE", true, 2, "z9hG4bK-bye", 30_000);
        h.each(bye, d.answer(bye, 200, "OK", 30_020));
        assertThat(h.sink.docs()).as("nothing written while they wait").isEmpty();
        assertThat(h.gauge("correlate.orphans.waiting")).isEqualTo(2);
        h.each(d.invite(0), d.reply(180, "Ringing", 100), d.reply(200, "OK", 1_000),
                d.inDialog("ACK", true, 1, "z9hG4bK-ack", 1_010));
        h.flush();
        JsonNode t = h.sink.call("bye-first@test").path("tdr");
        assertThat(h.sink.docs()).hasSize(1);
        assertThat(t.path("status").asText()).isEqualTo("FINISHED");
        assertThat(t.path("duration_ms").asLong()).isEqualTo(29_000);
        assertThat(t.path("messages").path("sip").asInt()).isEqualTo(6);
        assertThat(t.path("messages").path("methods")).extracting(JsonNode::asText).containsExactly("INVITE", "ACK", "BYE");
        assertThat(h.gauge("correlate.orphans.waiting")).isEqualTo(0);
    }

    @Test
    void aCancelBeforeItsInviteCancelsTheCall() {
        Harness h = new Harness();
        TestSip.Dialog d = new TestSip.Dialog("cancel-first@test");
        h.each(d.cancel(2_000));
        h.each(d.invite(0), d.reply(180, "Ringing", 100), d.reply(487, "Request Terminated", 2_010));
        h.flush();
        assertThat(h.sink.docs()).hasSize(1);
        assertThat(h.sink.call("cancel-first@test").path("tdr").path("status").asText()).isEqualTo("CANCELED");
    }

    @Test
    void aByeOfACallNeverSeenBecomesItsTransactionOnceItGivesUp() {
        Harness h = new Harness();
        TestSip.Dialog d = new TestSip.Dialog("mid-call@test");
        TestSip.Msg bye = d.inDialog("BYE", true, 2, "z9hG4bK-bye", 0);
        h.each(bye, d.answer(bye, 200, "OK", 20));
        h.tick(d.at(29_000));
        assertThat(h.sink.docs()).as("still waiting within the orphan timeout").isEmpty();
        h.tick(d.at(31_000));
        assertThat(h.sink.docs()).as("the clock jumped past the timeout only now: one more tick to wait").isEmpty();
        h.tick(d.at(32_000));
        assertThat(h.sink.ofType("bye")).as("the capture began mid-call: a BYE transaction, as without waiting").hasSize(1);
        assertThat(h.sink.ofType("bye").get(0).path("tdr").path("messages").path("sip").asInt()).isEqualTo(2);
        assertThat(h.gauge("correlate.orphans.waiting")).isEqualTo(0);
    }

    @Test
    void aByeReadAgainAfterACrashWhoseCallEndedBeforeItMakesNoOrphanRecord() {
        Harness h = new Harness();
        TestSip.Dialog d = new TestSip.Dialog("ended-before-crash@test");
        TestSip.Msg bye = d.inDialog("BYE", true, 2, "z9hG4bK-bye", 0);
        List<CapturedMessage> again = new ArrayList<>();
        for (TestSip.Msg m : List.of(bye, d.answer(bye, 200, "OK", 20))) {
            CapturedMessage c = new CapturedMessage(m.hep(), Transport.UDP, null);
            c.previousRun = true; // from a write-ahead segment the killed run had processed
            again.add(c);
        }
        h.run(again);
        h.tick(d.at(40_000));
        h.flush();
        assertThat(h.sink.docs()).as("the first pass ended the call: nothing to make again").isEmpty();
        assertThat(h.meter("correlate.replayed_after_end")).isEqualTo(2);
        assertThat(again).allSatisfy(m -> assertThat(m.callId).isEqualTo("ended-before-crash@test")); // still indexed with its Call-ID
    }

    @Test
    void atShutdownWhatStillWaitsIsWrittenAsIs() {
        Harness h = new Harness();
        TestSip.Dialog d = new TestSip.Dialog("at-stop@test");
        TestSip.Msg bye = d.inDialog("BYE", true, 2, "z9hG4bK-bye", 0);
        h.each(bye);
        h.flush();
        assertThat(h.sink.ofType("bye")).hasSize(1);
    }
}
