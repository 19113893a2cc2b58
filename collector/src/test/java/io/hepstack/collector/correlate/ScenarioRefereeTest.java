package io.hepstack.collector.correlate;

import com.fasterxml.jackson.databind.JsonNode;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.protocol.sip.SipCaptures;
import io.hepstack.collector.protocol.sip.SipMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * tshark referees every capture: the per-message references ({@code <capture>.messages.tsv}, tshark
 * {@code -T fields}: capture time in µs, Call-ID, method, status code, CSeq) and {@code -z sip,stat}
 * made by scripts/make-call-reference.sh, compared exactly with the SIP messages the collector
 * parsed (as multisets: a capture's HEP TCP streams are replayed after its datagrams). Then the
 * generated scenarios of testdata/scenarios (scripts/make-scenarios.py: forking with two 180s,
 * re-INVITE with a new SDP, CANCEL racing the 200, a 302 followed, PRACK/UPDATE early media, a
 * call over WebSocket) against tshark's calls and the TDR outcome each scenario is built to have.
 */
class ScenarioRefereeTest {

    private static final Path REFERENCE = Path.of("src/test/resources/correlate/reference");

    /** A capture and how to replay it. */
    record Capture(String name, Path file, boolean hep) {
        @Override
        public String toString() {
            return name;
        }

        CaptureReplay.Result replay() {
            return CaptureReplay.replay(hep ? CaptureReplay.hep(file) : CaptureReplay.raw(file), new CorrelationConfig(),
                    null, hep);
        }
    }

    static Stream<Capture> captures() {
        List<Capture> out = new ArrayList<>();
        SipCaptures.rawCaptures().forEach(p -> out.add(new Capture(SipCaptures.name(p), p, false)));
        SipCaptures.scenarios().forEach(p -> out.add(new Capture(SipCaptures.name(p), p, false)));
        for (String hep : List.of("kamailio-hep3", "kamailio-hep3-tcp", "hepgen-20calls")) {
            out.add(new Capture(hep, CaptureReplay.repo("hep/" + hep + ".pcap"), true));
        }
        return out.stream();
    }

    static Stream<Capture> scenarios() {
        return SipCaptures.scenarios().stream().map(p -> new Capture(SipCaptures.name(p), p, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void everySipMessageHasTsharksTimeCallIdMethodCodeAndCseq(Capture c) throws IOException {
        CaptureReplay.Result r = c.replay();
        List<String> ours = new ArrayList<>();
        for (CapturedMessage m : r.messages()) {
            if (m.parsed instanceof SipMessage s) {
                // what the message lacks is empty, as in tshark's fields
                ours.add(String.join("\t", String.valueOf(m.timestampMicros()), orEmpty(s.callId()),
                        s.isRequest() ? s.method() : "", s.isRequest() ? "" : String.valueOf(s.statusCode()),
                        s.cseqNumber() < 0 ? "" : String.valueOf(s.cseqNumber()), orEmpty(s.cseqMethod())));
            }
        }
        List<String> tshark = tsharkMessages(c.name);
        assertThat(tshark).as("%s has SIP", c.name).isNotEmpty();
        assertThat(ours).as("%s: SIP messages (time µs, Call-ID, method, code, CSeq)", c.name)
                .containsExactlyInAnyOrderElementsOf(tshark);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void scenariosAgreeWithTsharksStatisticsAndCalls(Capture c) throws IOException {
        CaptureReplay.Result r = c.replay();
        Map<String, Long> methods = new TreeMap<>();
        Map<String, Long> codes = new TreeMap<>();
        for (CapturedMessage m : r.messages()) {
            if (m.parsed instanceof SipMessage s) {
                if (s.isRequest()) {
                    methods.merge(s.method(), 1L, Long::sum);
                } else {
                    codes.merge(String.valueOf(s.statusCode()), 1L, Long::sum);
                }
            }
        }
        assertThat(methods).as("%s: requests by method (-z sip,stat)", c.name).isEqualTo(sipStat(c.name, METHOD));
        assertThat(codes).as("%s: responses by code (-z sip,stat)", c.name).isEqualTo(sipStat(c.name, CODE));
        TsharkReferenceTest.agree(c.name, r);
    }

    @Test
    void forkingWithTwoRingingBranchesIsOneAnsweredCallWithTwoEarlyDialogs() {
        JsonNode t = only("scenario-fork");
        assertOutcome(t, "FINISHED", 200, 61_018, "caller");
        assertThat(t.path("early_dialogs").asInt()).isEqualTo(2);
        assertThat(t.path("setup_ms").asLong()).isEqualTo(312);
    }

    @Test
    void aReInviteWithNewSdpStaysInTheCallAndIsCounted() {
        JsonNode t = only("scenario-reinvite");
        assertOutcome(t, "FINISHED", 200, 44_430, "caller");
        assertThat(t.path("reinvites").asInt()).isEqualTo(1);
        assertThat(t.path("attempts").asInt()).isEqualTo(1);
        assertThat(t.path("caller").path("media").path("port").asInt()).as("the caller's latest SDP (hold)").isEqualTo(40012);
    }

    @Test
    void aCancelThatCrossesTheAnswerLeavesAnAnsweredCall() {
        JsonNode t = only("scenario-cancel-race");
        assertOutcome(t, "FINISHED", 200, 101, "caller");
        assertThat(t.path("answer_ms").asLong()).isEqualTo(7001);
    }

    @Test
    void aRedirectFollowedIsOneCallOfTwoAttempts() {
        JsonNode t = only("scenario-redirect");
        assertOutcome(t, "FINISHED", 200, 14_544, "caller");
        assertThat(t.path("attempts").asInt()).isEqualTo(2);
        assertThat(t.path("final_response_ms").asLong()).as("from the first INVITE").isEqualTo(5877);
    }

    @Test
    void prackAndUpdateOfEarlyMediaJoinTheCall() {
        JsonNode t = only("scenario-prack-update");
        assertOutcome(t, "FINISHED", 200, 32_681, "caller");
        assertThat(t.path("messages").path("methods")).extracting(JsonNode::asText)
                .containsExactly("INVITE", "PRACK", "UPDATE", "ACK", "BYE");
        assertThat(t.path("setup_ms").asLong()).as("to the 183").isEqualTo(655);
        assertThat(t.path("caller").path("media").path("port").asInt()).as("the UPDATE's SDP").isEqualTo(40042);
    }

    @Test
    void aCallOverWebSocketIsImportedAndCorrelated() {
        JsonNode t = only("scenario-websocket");
        assertOutcome(t, "FINISHED", 200, 20_580, "caller");
        assertThat(t.path("messages").path("sip").asInt()).isEqualTo(7);
    }

    // ------------------------------------------------------------------ helpers

    /** The scenario's one TDR (a call, no leg of another: {@code tdr.leg} absent). */
    private static JsonNode only(String name) {
        CaptureReplay.Result r = new Capture(name, CaptureReplay.repo("scenarios/" + name + ".pcap"), false).replay();
        List<JsonNode> docs = r.sink().docs();
        assertThat(docs).as("%s: TDRs", name).hasSize(1);
        JsonNode t = docs.get(0).path("tdr");
        assertThat(t.path("type").asText()).isEqualTo("call");
        assertThat(t.has("leg")).as("a single leg").isFalse();
        return t;
    }

    private static void assertOutcome(JsonNode t, String status, int finalCode, long durationMs, String endedBy) {
        assertThat(t.path("status").asText()).isEqualTo(status);
        assertThat(t.path("final_code").asInt()).isEqualTo(finalCode);
        assertThat(t.path("duration_ms").asLong()).isEqualTo(durationMs);
        assertThat(t.path("ended_by").asText()).isEqualTo(endedBy);
        assertThat(t.path("final").asBoolean()).isTrue();
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    /** tshark's rows of {@code <capture>.messages.tsv}; a frame with several SIP messages gives one row each. */
    static List<String> tsharkMessages(String name) throws IOException {
        List<String> lines = Files.readAllLines(REFERENCE.resolve(name + ".messages.tsv"));
        assertThat(lines.get(1)).startsWith("micros\tcall_id");
        List<String> out = new ArrayList<>();
        for (String line : lines.subList(2, lines.size())) {
            String[] f = line.split("\t", -1);
            String[][] parts = new String[f.length][];
            int n = 1;
            for (int i = 1; i < f.length; i++) {
                parts[i] = f[i].split("\\|", -1);
                n = Math.max(n, parts[i].length);
            }
            for (int k = 0; k < n; k++) {
                StringBuilder row = new StringBuilder(f[0]);
                for (int i = 1; i < f.length; i++) {
                    row.append('\t').append(parts[i].length == n ? parts[i][k] : parts[i][0]);
                }
                out.add(row.toString());
            }
        }
        return out;
    }

    private static final Pattern CODE = Pattern.compile("^\\s+SIP (\\d{3}) .*:\\s+(\\d+) Packets");
    private static final Pattern METHOD = Pattern.compile("^\\s+([A-Z]+)\\s+:\\s+(\\d+) Packets");

    private static Map<String, Long> sipStat(String name, Pattern p) throws IOException {
        Map<String, Long> out = new TreeMap<>();
        for (String line : Files.readAllLines(REFERENCE.resolve(name + ".sipstat.txt"))) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                out.merge(m.group(1), Long.parseLong(m.group(2)), Long::sum);
            }
        }
        return out;
    }
}
