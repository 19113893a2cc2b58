package io.hepstack.collector.payload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.payload.LogLineParser.Format;
import io.hepstack.collector.payload.LogLineParser.LogLine;
import io.hepstack.collector.payload.PayloadTesting.ComponentFields;
import io.hepstack.collector.pipeline.CorrelationRole;
import io.hepstack.collector.pipeline.ParseFailure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LogProtocolTest {

    private static final String MUTATIONS = " <>[]():-\"\\1";

    private final LogProtocol log = new LogProtocol(PayloadTesting.MAPPER);

    private HepPacket packet(String payload) {
        return packet(payload.getBytes(StandardCharsets.UTF_8));
    }

    /** Real HEP3 bytes; a payload HEP3 cannot carry (over 64 KiB, say from a bigger TCP frame) as a bare packet. */
    private HepPacket packet(byte[] payload) {
        HepPacket p;
        if (payload.length < 65_000) {
            p = PayloadTesting.viaHep(HepPacket.PROTO_LOG, payload);
        } else {
            p = new HepPacket();
            p.protoType = HepPacket.PROTO_LOG;
            p.payload = payload;
        }
        p.correlationId = "a84b4c76e66710@pc33.atlanta.example.com";
        return p;
    }

    private LogLine parse(String line) throws ParseFailure {
        return log.parse(packet(line));
    }

    private JsonNode document(String line) throws ParseFailure {
        HepPacket p = packet(line);
        return PayloadTesting.document(log, log.parse(p), p);
    }

    @Test
    void describesItself() {
        assertThat(log.dataset()).isEqualTo("log");
        assertThat(log.family()).isEqualTo("log");
        assertThat(log.protoTypes()).containsExactly(100);
        assertThat(log.role()).isEqualTo(CorrelationRole.LOG);
        assertThat(log.keepsOriginal()).isFalse();
    }

    // ------------------------------------------------------------------ the formats, field by field

    /**
     * line; then the expected format, log.level, log.syslog.priority, host.name, process.name,
     * process.pid, log.logger, log.syslog.msgid, log.syslog.structured_data, message (null: absent).
     */
    static Stream<Arguments> lines() {
        String sd = "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"]";
        return Stream.of(
                // RFC 3164 section 5.4
                Arguments.of("<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8",
                        Format.SYSLOG_RFC3164, "crit", 34, "mymachine", "su", -1L, null, null, null,
                        "'su root' failed for lonvick on /dev/pts/8"),
                Arguments.of("<13>Feb  5 17:32:18 10.0.0.99 Use the BFG!",
                        Format.SYSLOG_RFC3164, "notice", 13, "10.0.0.99", null, -1L, null, null, null, "Use the BFG!"),
                Arguments.of("<0>1990 Oct 22 10:52:01 TZ-6 scapegoat.dmz.example.org 10.1.2.3 sched[0]: That's All Folks!",
                        Format.SYSLOG_RFC3164, "emerg", 0, null, null, -1L, null, null, null,
                        "1990 Oct 22 10:52:01 TZ-6 scapegoat.dmz.example.org 10.1.2.3 sched[0]: That's All Folks!"),
                Arguments.of("<165>Aug 24 05:34:00 mymachine myproc[10]: %% It's time to make the do-nuts.\n",
                        Format.SYSLOG_RFC3164, "notice", 165, "mymachine", "myproc", 10L, null, null, null,
                        "%% It's time to make the do-nuts."),
                // without PRI, as a file tail or journal forwarder sends it
                // ... with Kamailio's own line inside: its level (no PRI), module and text
                Arguments.of("Mar  3 10:00:01 sbc1 kamailio[3456]: ERROR: <core> [core/udp_server.c:601]: udp_send(): x",
                        Format.SYSLOG_RFC3164, "err", -1, "sbc1", "kamailio", 3456L, "core", null, null,
                        "[core/udp_server.c:601]: udp_send(): x"),
                Arguments.of("2026-01-01T00:00:00.000Z sbc-01 kamailio[2154]: NOTICE: <script>: call c1 answered, 146s",
                        Format.SYSLOG_RFC3164, "notice", -1, "sbc-01", "kamailio", 2154L, "script", null, null,
                        "call c1 answered, 146s"),
                // a PRI wins over the level word of the text
                Arguments.of("<30>Mar  3 10:00:01 sbc1 kamailio[3456]: ERROR: <core> x",
                        Format.SYSLOG_RFC3164, "info", 30, "sbc1", "kamailio", 3456L, "core", null, null, "x"),
                Arguments.of("<27>2025-03-03T10:00:01.123456+01:00 sbc1 opensips[77]: rtpproxy timeout",
                        Format.SYSLOG_RFC3164, "err", 27, "sbc1", "opensips", 77L, null, null, null, "rtpproxy timeout"),
                // RFC 5424 section 6.5
                Arguments.of("<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \uFEFF'su root' failed for lonvick on /dev/pts/8",
                        Format.SYSLOG_RFC5424, "crit", 34, "mymachine.example.com", "su", -1L, null, "ID47", null,
                        "'su root' failed for lonvick on /dev/pts/8"),
                Arguments.of("<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts.",
                        Format.SYSLOG_RFC5424, "notice", 165, "192.0.2.1", "myproc", 8710L, null, null, null,
                        "%% It's time to make the do-nuts."),
                Arguments.of("<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 " + sd
                                + " \uFEFFAn application event log entry...",
                        Format.SYSLOG_RFC5424, "notice", 165, "mymachine.example.com", "evntslog", -1L, null, "ID47", sd,
                        "An application event log entry..."),
                Arguments.of("<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 " + sd
                                + "[examplePriority@32473 class=\"high\" q=\"a\\]b\\\"c\"]",
                        Format.SYSLOG_RFC5424, "notice", 165, "mymachine.example.com", "evntslog", -1L, null, "ID47",
                        sd + "[examplePriority@32473 class=\"high\" q=\"a\\]b\\\"c\"]", ""),
                Arguments.of("<14>1 - - - - - - hello",
                        Format.SYSLOG_RFC5424, "info", 14, null, null, -1L, null, null, null, "hello"),
                // PRI, then neither format: the rest is the message
                Arguments.of("<191>whatever", Format.SYSLOG_RFC3164, "debug", 191, null, null, -1L, null, null, null, "whatever"),
                // Kamailio: stderr format rank(pid), syslog-format body, module without brackets, hlog/xlog text
                Arguments.of(" 12(3456) ERROR: <core> [core/tcp_main.c:1234]: tcp_send(): connect failed",
                        Format.SIP_SERVER, "err", -1, null, null, 3456L, "core", null, null,
                        "[core/tcp_main.c:1234]: tcp_send(): connect failed"),
                Arguments.of(" 0(17) WARNING: tm [t_reply.c:512]: _reply_light(): no reply sent",
                        Format.SIP_SERVER, "warning", -1, null, null, 17L, "tm", null, null,
                        "[t_reply.c:512]: _reply_light(): no reply sent"),
                Arguments.of("NOTICE: <script>: call from alice to bob\n",
                        Format.SIP_SERVER, "notice", -1, null, null, -1L, "script", null, null, "call from alice to bob"),
                Arguments.of("INFO: new call from 192.0.2.7",
                        Format.SIP_SERVER, "info", -1, null, null, -1L, null, null, null, "new call from 192.0.2.7"),
                Arguments.of("DEBUG: <dispatcher> [dispatch.c:10]: ds_select(): set 1",
                        Format.SIP_SERVER, "debug", -1, null, null, -1L, "dispatcher", null, null,
                        "[dispatch.c:10]: ds_select(): set 1"),
                Arguments.of("BUG: <core> [core/mem/q_malloc.c:478]: qm_free(): freeing already freed pointer",
                        Format.SIP_SERVER, "crit", -1, null, null, -1L, "core", null, null,
                        "[core/mem/q_malloc.c:478]: qm_free(): freeing already freed pointer"),
                Arguments.of("ALERT: <core> shm exhausted", Format.SIP_SERVER, "alert", -1, null, null, -1L, "core",
                        null, null, "shm exhausted"),
                Arguments.of("DBG: x", Format.SIP_SERVER, "debug", -1, null, null, -1L, null, null, null, "x"),
                // OpenSIPS: LEVEL:module:function: text, its stderr [pid] and timestamp
                Arguments.of("ERROR:tm:t_reply: failed to send reply",
                        Format.SIP_SERVER, "err", -1, null, null, -1L, "tm", null, null, "t_reply: failed to send reply"),
                Arguments.of("Mar 28 12:00:00 [2741] CRITICAL:core:receive_msg: parse error",
                        Format.SIP_SERVER, "crit", -1, null, null, 2741L, "core", null, null, "receive_msg: parse error"),
                Arguments.of("[2741] WARN:dialog:dlg_timer: dialog expired", Format.SIP_SERVER, "warning", -1, null,
                        null, 2741L, "dialog", null, null, "dlg_timer: dialog expired"),
                Arguments.of("ERR: plain", Format.SIP_SERVER, "err", -1, null, null, -1L, null, null, null, "plain"),
                // unknown text: whole (message null = the payload as it came)
                Arguments.of("[cfg:412] This is a log from kamailio to Homer", Format.TEXT, null, -1, null, null, -1L,
                        null, null, null, null),
                Arguments.of("Error: lower-case words are not levels", Format.TEXT, null, -1, null, null, -1L, null,
                        null, null, null),
                Arguments.of("<35 not a priority", Format.TEXT, null, -1, null, null, -1L, null, null, null, null),
                Arguments.of("<192>Oct 11 22:14:15 host x: out of range", Format.TEXT, null, -1, null, null, -1L, null,
                        null, null, null),
                Arguments.of("ERRORS: the word must be one", Format.TEXT, null, -1, null, null, -1L, null, null, null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lines")
    void parsesLine(String line, Format format, String level, int priority, String host, String process, long pid,
                    String logger, String msgid, String sd, String message) throws ParseFailure {
        LogLine l = parse(line);
        assertThat(l.format()).isEqualTo(format);
        assertThat(l.level()).isEqualTo(level);
        assertThat(l.priority()).isEqualTo(priority);
        assertThat(l.host()).isEqualTo(host);
        assertThat(l.process()).isEqualTo(process);
        assertThat(l.pid()).isEqualTo(pid);
        assertThat(l.logger()).isEqualTo(logger);
        assertThat(l.msgid()).isEqualTo(msgid);
        assertThat(l.structuredData()).isEqualTo(sd);
        assertThat(l.message()).isEqualTo(message);

        JsonNode doc = PayloadTesting.document(log, l, packet(line));
        assertThat(doc.at("/call/id").asText()).isEqualTo("a84b4c76e66710@pc33.atlanta.example.com");
        assertThat(doc.at("/payload/format").asText()).isEqualTo("text");
        assertThat(doc.at("/message").asText()).isEqualTo(message == null ? line : message);
        assertThat(log.keepsOriginal(l)).isEqualTo(message != null);
        assertThat(doc.at("/log/level").asText(null)).isEqualTo(level);
        assertThat(doc.at("/log/logger").asText(null)).isEqualTo(logger);
        assertThat(doc.at("/host/name").asText(null)).isEqualTo(host);
        assertThat(doc.at("/process/name").asText(null)).isEqualTo(process);
        assertThat(doc.at("/process/pid").asLong(-1)).isEqualTo(pid);
        assertThat(doc.at("/log/syslog/msgid").asText(null)).isEqualTo(msgid);
        assertThat(doc.at("/log/syslog/structured_data").asText(null)).isEqualTo(sd);
        if (priority >= 0) {
            assertThat(doc.at("/log/syslog/priority").asInt()).isEqualTo(priority);
            assertThat(doc.at("/log/syslog/facility/code").asInt()).isEqualTo(priority / 8);
            assertThat(doc.at("/log/syslog/severity/code").asInt()).isEqualTo(priority % 8);
            assertThat(doc.at("/log/syslog/severity/name").asText()).isEqualTo(level);
            assertThat(doc.at("/log/syslog/appname").asText(null)).isEqualTo(process);
        } else {
            assertThat(doc.at("/log/syslog").isMissingNode()).isTrue();
        }
    }

    @Test
    void facilityAndSeverityNames() throws ParseFailure {
        JsonNode doc = document("<34>Oct 11 22:14:15 mymachine su: x");
        assertThat(doc.at("/log/syslog/facility/name").asText()).isEqualTo("auth");
        assertThat(doc.at("/log/syslog/severity/name").asText()).isEqualTo("crit");
        JsonNode local7 = document("<187>1 2025-01-01T00:00:00Z h app 1 - - x");
        assertThat(local7.at("/log/syslog/facility/code").asInt()).isEqualTo(23);
        assertThat(local7.at("/log/syslog/facility/name").asText()).isEqualTo("local7");
        assertThat(local7.at("/log/syslog/severity/name").asText()).isEqualTo("err");
        assertThat(local7.at("/log/syslog/version").asText()).isEqualTo("1");
        assertThat(LogLineParser.FACILITIES).hasSize(24);
    }

    // ------------------------------------------------------------------ JSON events

    static Stream<Arguments> jsonEvents() {
        return Stream.of(
                Arguments.of("{\"level\":\"WARN\",\"msg\":\"jitter buffer overrun\",\"host\":\"fs1\",\"pid\":4242}",
                        "warning", "fs1", 4242L, "jitter buffer overrun"),
                Arguments.of("{\"severity\":3,\"message\":\"call failed\",\"hostname\":\"rtp-2\",\"pid\":\"77\"}",
                        "err", "rtp-2", 77L, "call failed"),
                Arguments.of("{\"level\":\"informational\",\"event\":\"start\"}", "info", null, -1L, null),
                Arguments.of("{\"level\":\"Trace\",\"msg\":{\"nested\":true},\"pid\":-1,\"host\":{\"name\":\"x\"}}",
                        "trace", null, -1L, null),
                Arguments.of("{\"severity\":42,\"pid\":1.5,\"host\":\"\"}", null, null, -1L, null),
                Arguments.of("[1,2,3]", null, null, -1L, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jsonEvents")
    void jsonEvent(String json, String level, String host, long pid, String message) throws Exception {
        LogLine l = parse(json);
        assertThat(l.format()).isEqualTo(Format.JSON);
        JsonNode doc = document(json);
        assertThat(doc.at("/payload/format").asText()).isEqualTo("json");
        assertThat(doc.at("/payload/json")).isEqualTo(PayloadTesting.MAPPER.readTree(json));
        assertThat(doc.at("/message").asText()).isEqualTo(message == null ? json : message);
        assertThat(log.keepsOriginal(l)).isEqualTo(message != null);
        assertThat(doc.at("/log/level").asText(null)).isEqualTo(level);
        assertThat(doc.at("/host/name").asText(null)).isEqualTo(host);
        assertThat(doc.at("/process/pid").asLong(-1)).isEqualTo(pid);
        assertThat(doc.at("/call/id").asText()).isEqualTo("a84b4c76e66710@pc33.atlanta.example.com");
    }

    @Test
    void brokenJsonIsAParseFailure() {
        assertThatThrownBy(() -> parse("{\"level\":")).isInstanceOf(ParseFailure.class)
                .extracting(e -> ((ParseFailure) e).type()).isEqualTo("json_parse");
    }

    // ------------------------------------------------------------------ unknown, binary, hostile

    @Test
    void unknownTextIsKeptWholeAsToday() throws ParseFailure {
        String line = "tab\there, quote \" ü\nsecond line\n";
        JsonNode doc = document(line);
        assertThat(doc.at("/message").asText()).isEqualTo(line);
        assertThat(doc.at("/payload/format").asText()).isEqualTo("text");
        assertThat(doc.at("/log").isMissingNode()).isTrue();
        assertThat(log.keepsOriginal(parse(line))).isFalse();
    }

    @Test
    void binaryIsBase64AndEmptyIsNothing() throws ParseFailure {
        byte[] bin = {0, 1, 2, (byte) 0xff, '<', '3', '4', '>'};
        HepPacket p = packet(bin);
        assertThat(log.parse(p)).isNull();
        JsonNode doc = PayloadTesting.document(log, null, p);
        assertThat(doc.at("/payload/format").asText()).isEqualTo("binary");
        assertThat(doc.at("/message").asText()).isEqualTo("AAEC/zwzND4=");
        assertThat(log.keepsOriginal(null)).isFalse();
        HepPacket empty = new HepPacket();
        empty.payload = new byte[0];
        assertThat(log.parse(empty)).isNull();
    }

    @Test
    void aLineOverTheLimitIsNotParsed() throws ParseFailure {
        String big = "<34>Oct 11 22:14:15 mymachine su: " + "x".repeat(LogLineParser.MAX_PARSED);
        LogLine l = parse(big);
        assertThat(l.format()).isEqualTo(Format.TEXT);
        assertThat(document(big).at("/message").asText()).isEqualTo(big);
        String justUnder = "<34>Oct 11 22:14:15 mymachine su: " + "x".repeat(LogLineParser.MAX_PARSED - 40);
        assertThat(parse(justUnder).format()).isEqualTo(Format.SYSLOG_RFC3164);
    }

    @Test
    void hostileLinesAreBounded() {
        List<String> hostile = List.of(
                "<" + "1".repeat(100_000),
                "<34>" + " ".repeat(60_000),
                "<34>1 " + "a".repeat(60_000),
                "<34>1 - - - - - " + "[".repeat(60_000),
                "<34>1 - - - - - [x k=\"" + "\\".repeat(60_000),
                "Oct 11 22:14:15 " + "a".repeat(60_000) + ":",
                "Oct 11 22:14:15 h " + "t[".repeat(30_000),
                " 1(" + "9".repeat(60_000),
                "ERROR:" + "m".repeat(60_000) + ":",
                "ERROR: <" + "m".repeat(60_000),
                "[" + "9".repeat(60_000) + "] ERROR: x");
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (String h : hostile) {
                for (int i = 0; i < 20; i++) {
                    LogLine l = parse(h);
                    assertThat(l).isNotNull();
                    assertThat(PayloadTesting.document(log, l, packet(h)).at("/message").isTextual()).isTrue();
                }
            }
        });
    }

    @Test
    void everyPrefixOfEveryLineParses() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> lines().forEach(a -> {
            String line = (String) a.get()[0];
            for (int len = 0; len <= line.length(); len++) {
                String prefix = line.substring(0, len);
                try {
                    LogLine l = parse(prefix);
                    if (len > 0) {
                        JsonNode doc = PayloadTesting.document(log, l, packet(prefix));
                        assertThat(doc.at("/message").isTextual()).as("prefix %s", prefix).isTrue();
                    }
                } catch (ParseFailure | RuntimeException e) {
                    throw new AssertionError("prefix \"" + prefix + "\" threw " + e, e);
                }
            }
        }));
    }

    @Test
    void randomBytesAndMutantsNeverThrow() {
        Random random = new Random(2026);
        List<String> valid = lines().map(a -> (String) a.get()[0]).toList();
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            for (int i = 0; i < 30_000; i++) {
                byte[] m;
                if (i % 3 == 0) {
                    m = new byte[random.nextInt(200)];
                    random.nextBytes(m);
                } else {
                    m = valid.get(random.nextInt(valid.size())).getBytes(StandardCharsets.UTF_8);
                    for (int f = 0, n = 1 + random.nextInt(4); f < n && m.length > 0; f++) {
                        m[random.nextInt(m.length)] = (byte) (i % 2 == 0 ? random.nextInt(256) : MUTATIONS.charAt(random.nextInt(MUTATIONS.length())));
                    }
                    if (random.nextBoolean()) {
                        m = Arrays.copyOf(m, random.nextInt(m.length + 1));
                    }
                }
                HepPacket p = packet(m);
                try {
                    LogLine l = log.parse(p);
                    PayloadTesting.document(log, l, p);
                } catch (ParseFailure e) {
                    // only a JSON object that does not parse may fail
                    assertThat(e.type()).isEqualTo("json_parse");
                    assertThat(new String(m, StandardCharsets.ISO_8859_1).strip()).startsWith("{");
                } catch (RuntimeException e) {
                    throw new AssertionError("mutant " + java.util.HexFormat.of().formatHex(m) + " threw " + e, e);
                }
            }
        });
    }

    // ------------------------------------------------------------------ template

    @Test
    void everyFieldWrittenIsMappedAndEveryMappedFieldIsWritten() throws Exception {
        ComponentFields template = ComponentFields.of("hep-log");
        assertThat(template.template.at("/_meta/managed_by").asText()).isEqualTo("hepstack");
        assertThat(template.type("log.level")).isEqualTo("keyword");
        assertThat(template.type("process.pid")).isEqualTo("long");
        assertThat(template.type("log.syslog.priority")).isEqualTo("long");
        assertThat(template.type("log.syslog.structured_data")).isEqualTo("keyword");
        ComponentFields base = ComponentFields.of("hep-base");
        assertThat(base.type("message")).isEqualTo("text");
        Set<String> written = new HashSet<>();
        List<String> all = new java.util.ArrayList<>(lines().map(a -> (String) a.get()[0]).toList());
        jsonEvents().forEach(a -> all.add((String) a.get()[0]));
        for (String line : all) {
            JsonNode doc = document(line);
            ((com.fasterxml.jackson.databind.node.ObjectNode) doc).remove("message"); // hep-base's
            ((com.fasterxml.jackson.databind.node.ObjectNode) doc.path("payload")).remove("json"); // flattened
            assertThat(template.problems(doc)).as("document %s", doc).isEmpty();
            DnsProtocolTest.collectLeaves("", doc, written);
        }
        written.add("payload.json");
        assertThat(written).containsExactlyInAnyOrderElementsOf(
                template.leaves().stream().filter(f -> !f.equals("payload.text")).toList());
    }
}
