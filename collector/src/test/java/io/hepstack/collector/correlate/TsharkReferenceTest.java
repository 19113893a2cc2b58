package io.hepstack.collector.correlate;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real captures replayed through parse + correlate agree with tshark on the same files: the
 * references in src/test/resources/correlate/reference were made once by
 * scripts/make-call-reference.sh from {@code tshark -z sip,stat} and tshark's per-message fields
 * (time, Call-ID, method, status code, CSeq, tags), computing calls with the rules of docs/tdr.md.
 * Per call: status, final code, setup, answer and final-response times, billable seconds and the
 * number of SIP messages; per capture: the number of calls and of SIP messages.
 */
class TsharkReferenceTest {

    private static final Path REFERENCE = Path.of("src/test/resources/correlate/reference");

    record Call(String callId, String status, String finalCode, String setupMs, String answerMs,
                String finalResponseMs, String durationS, int sipMessages) {
    }

    static Map<String, Call> calls(String name) throws IOException {
        Map<String, Call> out = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(REFERENCE.resolve(name + ".calls.tsv"));
        assertThat(lines.get(1)).startsWith("call_id\tstatus");
        for (String line : lines.subList(2, lines.size())) {
            String[] f = line.split("\t", -1);
            out.put(f[0], new Call(f[0], f[1], f[2], f[3], f[4], f[5], f[6], Integer.parseInt(f[7])));
        }
        return out;
    }

    static long sipMessages(String name) throws IOException {
        for (String line : Files.readAllLines(REFERENCE.resolve(name + ".sipstat.txt"))) {
            if (line.startsWith("Number of SIP messages:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        throw new AssertionError("no message count in " + name + ".sipstat.txt");
    }

    private static String text(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? "" : n.asText();
    }

    static void agree(String name, CaptureReplay.Result r) throws IOException {
        Map<String, Call> expected = calls(name);
        List<JsonNode> got = r.sink().ofType("call");
        assertThat(got).as("%s: call TDRs", name).hasSize(expected.size());
        assertThat(r.parsedSip()).as("%s: SIP messages (tshark -z sip,stat)", name).isEqualTo(sipMessages(name));
        List<String> problems = new ArrayList<>();
        for (Call c : expected.values()) {
            JsonNode t = r.sink().call(c.callId()).path("tdr");
            check(problems, c, "status", c.status(), text(t.path("status")));
            check(problems, c, "final_code", c.finalCode(), text(t.path("final_code")));
            check(problems, c, "setup_ms", c.setupMs(), text(t.path("setup_ms")));
            check(problems, c, "answer_ms", c.answerMs(), text(t.path("answer_ms")));
            check(problems, c, "final_response_ms", c.finalResponseMs(), text(t.path("final_response_ms")));
            check(problems, c, "duration_s", c.durationS(), text(t.path("duration_s")));
            check(problems, c, "messages.sip", String.valueOf(c.sipMessages()), text(t.path("messages").path("sip")));
        }
        assertThat(problems).as(name).isEmpty();
    }

    private static void check(List<String> problems, Call c, String field, String want, String have) {
        if (!want.equals(have)) {
            problems.add(c.callId() + " " + field + ": tshark " + want + ", TDR " + have);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pkts-cancel", "pkts-fragmented_tcp_sip", "pkts-fragmented_udp_sip", "pkts-sip_rtp", "pkts-sipp",
        "register-flood-kamailio", "sipvicious-scan-kamailio", "zeek-invalid-content-length", "zeek-sip-junk-before-request"})
    void repositoryRawCaptures(String name) throws IOException {
        agree(name, CaptureReplay.replay(CaptureReplay.raw(CaptureReplay.repo("pcap/" + name + ".pcap")),
                new CorrelationConfig(), null, false));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"heplify-erspan_sip_ipv4_udp.pcapng", "heplify-rtp_rtcp_sip_ipv4_udp.pcap", "heplify-sip_ipv4_tcp.pcap",
        "heplify-sip_ipv4_tcp_retrans.pcap", "heplify-sip_ipv6_udp.pcap", "heplify-sip_sctp.pcap", "sngrep-aaa.pcap",
        "sngrep-ipip.pcap"})
    void sharedRawCaptures(String file) throws IOException {
        agree(file.substring(0, file.lastIndexOf('.')), CaptureReplay.replay(CaptureReplay.raw(CaptureReplay.shared("pcap/" + file)),
                new CorrelationConfig(), null, false));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"kamailio-hep3", "kamailio-hep3-tcp", "hepgen-20calls"})
    void hepCaptures(String name) throws IOException {
        agree(name, CaptureReplay.replay(CaptureReplay.hep(CaptureReplay.repo("hep/" + name + ".pcap")),
                new CorrelationConfig(), null, true));
    }
}
