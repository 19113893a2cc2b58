package io.hepstack.collector.payload;

import static io.hepstack.collector.payload.DnsBytes.AD;
import static io.hepstack.collector.payload.DnsBytes.QR;
import static io.hepstack.collector.payload.DnsBytes.RA;
import static io.hepstack.collector.payload.DnsBytes.RD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.payload.DnsProtocol.Answer;
import io.hepstack.collector.payload.DnsProtocol.Dns;
import io.hepstack.collector.payload.DnsProtocol.Format;
import io.hepstack.collector.payload.PayloadTesting.ComponentFields;
import io.hepstack.collector.pipeline.CorrelationRole;
import io.hepstack.collector.pipeline.ParseFailure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DnsProtocolTest {

    private final DnsProtocol dns = new DnsProtocol();

    // ------------------------------------------------------------------ messages

    /** A query for www.example.com/A with RD set. */
    static byte[] queryMessage() {
        return DnsBytes.header(0x1234, RD, 1, 0, 0, 0).name("www.example.com").question(1, 1).bytes();
    }

    /** Two A answers, both owner names compressed to the question's. */
    static byte[] aAnswer() {
        return DnsBytes.header(0x1a2b, QR | RD | RA, 1, 2, 0, 0)
                .name("www.example.com").question(1, 1)
                .pointer(12).record(1, 1, 300, new byte[] {93, (byte) 184, (byte) 215, 14})
                .pointer(12).record(1, 1, 300, new byte[] {(byte) 192, 0, 2, 1})
                .bytes();
    }

    /**
     * www.example.org CNAME edge.example.org (the CNAME's data: label "edge" + a pointer into the
     * question name), then an AAAA and an A whose owner names point at that CNAME data: two hops.
     */
    static byte[] cnameChain() {
        DnsBytes b = DnsBytes.header(0xbeef, QR | RD | RA | AD, 1, 3, 0, 0).name("www.example.org").question(1, 1);
        b.pointer(12).recordHeader(5, 1, 300, 7);
        int cnameData = b.offset();
        b.labels("edge").pointer(16); // 16: "example.org" inside the question name (12 + 1 + 3)
        b.pointer(cnameData).record(28, 1, 60, new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
        b.pointer(cnameData).record(1, 1, 60, new byte[] {(byte) 198, 51, 100, 7});
        return b.bytes();
    }

    /** NXDOMAIN with the zone's SOA in the authority section. */
    static byte[] nxdomainMessage() {
        byte[] soa = new DnsBytes().name("ns1.example.com").name("hostmaster.example.com")
                .u32(2025010101).u32(7200).u32(3600).u32(1209600).u32(300).bytes();
        return DnsBytes.header(7, QR | RD | RA | 3, 1, 0, 1, 0)
                .name("nope.example.com").question(1, 1)
                .pointer(17).record(6, 1, 300, soa) // 17: "example.com" inside the question name
                .bytes();
    }

    /** A response with one answer of {@code type} and RDATA {@code rdata} to a question for {@code qname}. */
    static byte[] single(String qname, int type, byte[] rdata) {
        return DnsBytes.header(42, QR | RD | RA, 1, 1, 0, 0).name(qname).question(type, 1)
                .pointer(12).record(type, 1, 3600, rdata).bytes();
    }

    private Dns parse(byte[] payload) throws ParseFailure {
        HepPacket p = PayloadTesting.viaHep(DnsProtocol.PROTO_DNS, payload);
        assertThat(p.protoType).isEqualTo(53);
        assertThat(p.payload).isEqualTo(payload);
        return dns.parse(p);
    }

    private Dns parseRaw(byte[] payload) throws ParseFailure {
        HepPacket p = new HepPacket();
        p.protoType = DnsProtocol.PROTO_DNS;
        p.payload = payload;
        return dns.parse(p);
    }

    // ------------------------------------------------------------------ identity

    @Test
    void describesItself() {
        assertThat(dns.dataset()).isEqualTo("dns");
        assertThat(dns.family()).isEqualTo("dns");
        assertThat(dns.protoTypes()).containsExactly(53);
        assertThat(dns.role()).isEqualTo(CorrelationRole.NONE);
        assertThat(dns.keepsOriginal()).isFalse();
        assertThat(dns.mediaReport(null)).isNull();
    }

    // ------------------------------------------------------------------ wire format

    @Test
    void query() throws ParseFailure {
        Dns d = parse(queryMessage());
        assertThat(d.format()).isEqualTo(Format.WIRE);
        assertThat(d.id()).isEqualTo(0x1234);
        assertThat(d.response()).isFalse();
        assertThat(d.opCode()).isZero();
        assertThat(d.headerFlags()).containsExactly("RD");
        assertThat(d.questions()).containsExactly(new DnsProtocol.Question("www.example.com", 1, 1));
        assertThat(d.answers()).isEmpty();
        assertThat(d.resolvedIps()).isEmpty();

        JsonNode doc = PayloadTesting.document(dns, d, null);
        assertThat(doc.at("/dns/id").asText()).isEqualTo("4660");
        assertThat(doc.at("/dns/type").asText()).isEqualTo("query");
        assertThat(doc.at("/dns/op_code").asText()).isEqualTo("QUERY");
        assertThat(doc.at("/dns/response_code").isMissingNode()).isTrue();
        assertThat(doc.at("/dns/answers_count").isMissingNode()).isTrue();
        assertThat(doc.at("/dns/header_flags").toString()).isEqualTo("[\"RD\"]");
        assertThat(doc.at("/dns/question/name").asText()).isEqualTo("www.example.com");
        assertThat(doc.at("/dns/question/type").asText()).isEqualTo("A");
        assertThat(doc.at("/dns/question/class").asText()).isEqualTo("IN");
    }

    @Test
    void aAnswersWithCompressedOwnerNames() throws ParseFailure {
        Dns d = parse(aAnswer());
        assertThat(d.response()).isTrue();
        assertThat(d.responseCode()).isZero();
        assertThat(d.headerFlags()).containsExactly("RD", "RA");
        assertThat(d.answers()).containsExactly(
                new Answer("www.example.com", 1, 1, 300, "93.184.215.14"),
                new Answer("www.example.com", 1, 1, 300, "192.0.2.1"));
        assertThat(d.resolvedIps()).containsExactly("93.184.215.14", "192.0.2.1");
    }

    @Test
    void cnameChainWithPointersIntoRecordData() throws ParseFailure {
        Dns d = parse(cnameChain());
        assertThat(d.headerFlags()).containsExactly("RD", "RA", "AD");
        assertThat(d.answers()).containsExactly(
                new Answer("www.example.org", 5, 1, 300, "edge.example.org"),
                new Answer("edge.example.org", 28, 1, 60, "2001:db8::1"),
                new Answer("edge.example.org", 1, 1, 60, "198.51.100.7"));
        assertThat(d.resolvedIps()).containsExactly("2001:db8::1", "198.51.100.7");

        JsonNode doc = PayloadTesting.document(dns, d, null);
        assertThat(doc.at("/dns/id").asText()).isEqualTo("48879");
        assertThat(doc.at("/dns/type").asText()).isEqualTo("answer");
        assertThat(doc.at("/dns/response_code").asText()).isEqualTo("NOERROR");
        assertThat(doc.at("/dns/header_flags").toString()).isEqualTo("[\"RD\",\"RA\",\"AD\"]");
        assertThat(doc.at("/dns/question/name").asText()).isEqualTo("www.example.org");
        assertThat(doc.at("/dns/answers_count").asInt()).isEqualTo(3);
        assertThat(doc.at("/dns/authorities_count").asInt()).isZero();
        assertThat(doc.at("/dns/additionals_count").asInt()).isZero();
        assertThat(doc.at("/dns/answers").size()).isEqualTo(3);
        JsonNode cname = doc.at("/dns/answers/0");
        assertThat(cname.path("name").asText()).isEqualTo("www.example.org");
        assertThat(cname.path("type").asText()).isEqualTo("CNAME");
        assertThat(cname.path("class").asText()).isEqualTo("IN");
        assertThat(cname.path("ttl").asLong()).isEqualTo(300);
        assertThat(cname.path("data").asText()).isEqualTo("edge.example.org");
        assertThat(doc.at("/dns/answers/1/type").asText()).isEqualTo("AAAA");
        assertThat(doc.at("/dns/answers/1/data").asText()).isEqualTo("2001:db8::1");
        assertThat(doc.at("/dns/resolved_ip").toString()).isEqualTo("[\"2001:db8::1\",\"198.51.100.7\"]");
    }

    @Test
    void nxdomain() throws ParseFailure {
        Dns d = parse(nxdomainMessage());
        assertThat(d.responseCode()).isEqualTo(3);
        assertThat(d.answerCount()).isZero();
        assertThat(d.authorityCount()).isEqualTo(1);
        JsonNode doc = PayloadTesting.document(dns, d, null);
        assertThat(doc.at("/dns/response_code").asText()).isEqualTo("NXDOMAIN");
        assertThat(doc.at("/dns/question/name").asText()).isEqualTo("nope.example.com");
        assertThat(doc.at("/dns/answers_count").asInt()).isZero();
        assertThat(doc.at("/dns/authorities_count").asInt()).isEqualTo(1);
        assertThat(doc.at("/dns/answers").isMissingNode()).isTrue();
        assertThat(doc.at("/dns/resolved_ip").isMissingNode()).isTrue();
    }

    static Stream<Arguments> recordTypes() {
        return Stream.of(
                Arguments.of("MX", 15, new DnsBytes().u16(10).name("mail.example.com").bytes(), "10 mail.example.com"),
                Arguments.of("TXT", 16, DnsBytes.txt("v=spf1 -all"), "v=spf1 -all"),
                Arguments.of("TXT", 16, DnsBytes.txt("v=DKIM1; k=rsa; ", "p=MIGfMA0"), "v=DKIM1; k=rsa; p=MIGfMA0"),
                Arguments.of("TXT", 16, new byte[] {3, 'a', 0, 'b'}, "a\\000b"),
                Arguments.of("SRV", 33, new DnsBytes().u16(10).u16(60).u16(5060).name("sip.example.com").bytes(),
                        "10 60 5060 sip.example.com"),
                Arguments.of("PTR", 12, DnsBytes.nameData("example.com"), "example.com"),
                Arguments.of("NS", 2, DnsBytes.nameData("a.iana-servers.net"), "a.iana-servers.net"),
                Arguments.of("CNAME", 5, DnsBytes.nameData("."), "."),
                Arguments.of("HTTPS", 65, new byte[] {0, 1, 0, 0, 1, 0, 3, 2, 'h', '2'}, null),
                Arguments.of("TYPE4660", 0x1234, new byte[] {1, 2, 3}, null),
                Arguments.of("CAA", 257, new byte[0], null));
    }

    @ParameterizedTest(name = "{0} {3}")
    @MethodSource("recordTypes")
    void recordData(String typeName, int type, byte[] rdata, String expected) throws ParseFailure {
        Dns d = parse(single("q.example.com", type, rdata));
        assertThat(d.answers()).hasSize(1);
        Answer a = d.answers().get(0);
        assertThat(a.name()).isEqualTo("q.example.com");
        assertThat(a.type()).isEqualTo(type);
        assertThat(a.data()).isEqualTo(expected);
        assertThat(d.resolvedIps()).isEmpty();
        JsonNode doc = PayloadTesting.document(dns, d, null);
        assertThat(doc.at("/dns/answers/0/type").asText()).isEqualTo(typeName);
        assertThat(doc.at("/dns/question/type").asText()).isEqualTo(typeName);
        assertThat(doc.at("/dns/answers/0/data").isMissingNode()).isEqualTo(expected == null);
    }

    @Test
    void labelsWithDotsSpacesAndBinaryAreEscaped() throws ParseFailure {
        byte[] m = DnsBytes.header(1, 0, 1, 0, 0, 0)
                .u8(3).raw((byte) 'a', (byte) '.', (byte) 'b')
                .u8(3).raw((byte) 'x', (byte) ' ', (byte) 0xff)
                .u8(2).raw((byte) '\\', (byte) 'Z')
                .u8(0).question(1, 3).bytes();
        Dns d = parse(m);
        assertThat(d.question().name()).isEqualTo("a\\.b.x\\032\\255.\\\\Z");
        assertThat(DnsProtocol.className(d.question().dnsClass())).isEqualTo("CH");
    }

    @Test
    void rootNameAndMnemonics() throws ParseFailure {
        Dns d = parse(DnsBytes.header(9, (5 << 11), 1, 0, 0, 0).name(".").question(6, 255).bytes());
        assertThat(d.question().name()).isEqualTo(".");
        JsonNode doc = PayloadTesting.document(dns, d, null);
        assertThat(doc.at("/dns/op_code").asText()).isEqualTo("UPDATE");
        assertThat(doc.at("/dns/question/type").asText()).isEqualTo("SOA");
        assertThat(doc.at("/dns/question/class").asText()).isEqualTo("ANY");
        assertThat(DnsProtocol.responseCodeName(2)).isEqualTo("SERVFAIL");
        assertThat(DnsProtocol.responseCodeName(5)).isEqualTo("REFUSED");
        assertThat(DnsProtocol.responseCodeName(15)).isEqualTo("RCODE15");
        assertThat(DnsProtocol.opCodeName(3)).isEqualTo("OPCODE3");
        assertThat(DnsProtocol.className(42)).isEqualTo("CLASS42");
    }

    @Test
    void aSectionOverTheCapIsReadUpToTheCap() throws ParseFailure {
        DnsBytes b = DnsBytes.header(1, QR, 70, 1, 0, 0);
        for (int i = 0; i < 70; i++) {
            b.name("q" + i + ".example").question(1, 1);
        }
        b.pointer(12).record(1, 1, 1, new byte[] {1, 2, 3, 4});
        Dns d = parse(b.bytes());
        assertThat(d.questionCount()).isEqualTo(70);
        assertThat(d.questions()).hasSize(DnsProtocol.MAX_RECORDS);
        assertThat(d.questions().get(63).name()).isEqualTo("q63.example");
        assertThat(d.answers()).isEmpty(); // past a capped section the answers are not looked for

        DnsBytes many = DnsBytes.header(2, QR, 1, 100, 0, 0).name("x.example").question(1, 1);
        for (int i = 0; i < 100; i++) {
            many.pointer(12).record(1, 1, 1, new byte[] {10, 0, 0, (byte) i});
        }
        Dns m = parse(many.bytes());
        assertThat(m.answerCount()).isEqualTo(100);
        assertThat(m.answers()).hasSize(DnsProtocol.MAX_RECORDS);
        assertThat(m.resolvedIps()).hasSize(DnsProtocol.MAX_RECORDS).endsWith("10.0.0.63");
    }

    // ------------------------------------------------------------------ malformed

    static Stream<Arguments> malformed() {
        byte[] label63 = new byte[63];
        java.util.Arrays.fill(label63, (byte) 'a');
        DnsBytes tooLong = DnsBytes.header(1, 0, 1, 0, 0, 0);
        for (int i = 0; i < 5; i++) {
            tooLong.u8(63).raw(label63);
        }
        tooLong.u8(0).question(1, 1);
        return Stream.of(
                Arguments.of("empty", new byte[0], "empty payload"),
                Arguments.of("short header", new byte[] {1, 2, 3, 4, 5}, "header"),
                Arguments.of("pointer to itself", DnsBytes.header(1, 0, 1, 0, 0, 0).pointer(12).question(1, 1).bytes(),
                        "compression pointers"),
                Arguments.of("two pointers in a loop",
                        DnsBytes.header(1, 0, 1, 0, 0, 0).pointer(14).pointer(12).question(1, 1).bytes(),
                        "compression pointers"),
                Arguments.of("label and pointer loop",
                        DnsBytes.header(1, 0, 1, 0, 0, 0).labels("a").pointer(12).question(1, 1).bytes(), "question 1"),
                Arguments.of("forward pointer loop in an answer",
                        DnsBytes.header(1, QR, 0, 1, 0, 0).pointer(14).pointer(12).record(1, 1, 1, new byte[4]).bytes(),
                        "answer 1"),
                Arguments.of("pointer past the end", DnsBytes.header(1, 0, 1, 0, 0, 0).pointer(0x3fff).question(1, 1).bytes(),
                        "past the end"),
                Arguments.of("pointer cut", DnsBytes.header(1, 0, 1, 0, 0, 0).u8(0xc0).bytes(), "pointer cut"),
                Arguments.of("extended label type", DnsBytes.header(1, 0, 1, 0, 0, 0).u8(0x41).u8(0).question(1, 1).bytes(),
                        "label type"),
                Arguments.of("name over 255 octets", tooLong.bytes(), "longer than 255"),
                Arguments.of("label past the end", DnsBytes.header(1, 0, 1, 0, 0, 0).u8(10).raw((byte) 'a').bytes(),
                        "label runs past"),
                Arguments.of("no root label", DnsBytes.header(1, 0, 1, 0, 0, 0).labels("www.example").bytes(), "past the end"),
                Arguments.of("question without type", DnsBytes.header(1, 0, 1, 0, 0, 0).name("a").u8(0).bytes(), "type and class"),
                Arguments.of("missing question", DnsBytes.header(1, 0, 2, 0, 0, 0).name("a").question(1, 1).bytes(),
                        "question 2"),
                Arguments.of("A of 5 bytes", single("a", 1, new byte[5]), "not 4"),
                Arguments.of("AAAA of 4 bytes", single("a", 28, new byte[4]), "not 16"),
                Arguments.of("record data past the end",
                        DnsBytes.header(1, QR, 1, 1, 0, 0).name("a").question(1, 1).pointer(12).recordHeader(1, 1, 1, 4)
                                .raw((byte) 1, (byte) 2).bytes(), "data (4 bytes)"),
                Arguments.of("record header cut",
                        DnsBytes.header(1, QR, 1, 1, 0, 0).name("a").question(1, 1).pointer(12).u16(1).u16(1).bytes(),
                        "answer 1 header"),
                Arguments.of("CNAME name past its data",
                        DnsBytes.header(1, QR, 1, 1, 0, 0).name("a").question(5, 1).pointer(12).recordHeader(5, 1, 1, 3)
                                .name("long.example").bytes(), "past the record data"),
                Arguments.of("MX too short", single("a", 15, new byte[] {0, 1}), "MX"),
                Arguments.of("SRV too short", single("a", 33, new byte[] {0, 1, 0, 1, 0, 1}), "SRV"),
                Arguments.of("TXT string past its data", single("a", 16, new byte[] {5, 'a', 'b'}), "TXT"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedIsAParseFailure(String name, byte[] payload, String reason) {
        assertTimeoutPreemptively(Duration.ofMillis(500), () ->
                assertThatThrownBy(() -> parseRaw(payload))
                        .isInstanceOf(ParseFailure.class)
                        .hasMessageContaining(reason)
                        .extracting(e -> ((ParseFailure) e).type()).isEqualTo("dns_parse"));
    }

    @Test
    void pointerLoopsFailFast() {
        byte[] loop = DnsBytes.header(1, 0, 1, 0, 0, 0).labels("a").pointer(12).question(1, 1).bytes();
        // 20 000 hostile packets well inside 5 s even on a loaded 2-core box: each costs at most 64 hops
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (int i = 0; i < 20_000; i++) {
                try {
                    parseRaw(loop);
                    fail("a loop parsed");
                } catch (ParseFailure expected) {
                    // bounded: at most 64 hops
                }
            }
        });
    }

    static List<byte[]> valid() {
        List<byte[]> all = new ArrayList<>(List.of(queryMessage(), aAnswer(), cnameChain(), nxdomainMessage()));
        recordTypes().forEach(a -> all.add(single("q.example.com", (int) a.get()[1], (byte[]) a.get()[2])));
        return all;
    }

    @Test
    void everyPrefixParsesOrFailsCleanly() {
        int failures = 0;
        for (byte[] m : valid()) {
            for (int len = 0; len < m.length; len++) {
                byte[] prefix = java.util.Arrays.copyOf(m, len);
                try {
                    parseRaw(prefix);
                    // only a prefix that cuts into the sections not read (authority, additional) may parse
                    assertThat(m).as("a prefix of %s bytes parsed", len).isEqualTo(nxdomainMessage());
                } catch (ParseFailure expected) {
                    failures++;
                } catch (RuntimeException e) {
                    throw new AssertionError("prefix of " + len + " bytes threw " + e, e);
                }
            }
        }
        assertThat(failures).isGreaterThan(300);
    }

    @Test
    void mutatedMessagesParseOrFailCleanly() {
        Random random = new Random(2026);
        List<byte[]> valid = valid();
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            int parsed = 0;
            for (int i = 0; i < 50_000; i++) {
                byte[] m = valid.get(random.nextInt(valid.size())).clone();
                int flips = 1 + random.nextInt(4);
                for (int f = 0; f < flips; f++) {
                    m[random.nextInt(m.length)] = (byte) random.nextInt(256);
                }
                if (random.nextInt(4) == 0) {
                    m = java.util.Arrays.copyOf(m, random.nextInt(m.length + 8));
                }
                try {
                    parseRaw(m);
                    parsed++;
                } catch (ParseFailure expected) {
                    // fine
                } catch (RuntimeException e) {
                    throw new AssertionError("mutant " + java.util.HexFormat.of().formatHex(m) + " threw " + e, e);
                }
            }
            assertThat(parsed).isPositive();
        });
    }

    // ------------------------------------------------------------------ heplify JSON

    @Test
    void heplifyJson() throws ParseFailure {
        byte[] json = PayloadTesting.resource("dns-heplify-answer.json");
        Dns d = parse(json);
        assertThat(d.format()).isEqualTo(Format.HEPLIFY_JSON);
        assertThat(d.id()).isEqualTo(0xbeef);
        assertThat(d.response()).isTrue();
        assertThat(d.headerFlags()).containsExactly("RD", "RA", "AD"); // z = 2: the AD bit
        assertThat(d.additionalCount()).isEqualTo(1);
        assertThat(d.answers()).containsExactly(
                new Answer("www.example.org", 5, 1, 300, "edge.example.org"),
                new Answer("edge.example.org", 28, 1, 60, "2001:db8::1"),
                new Answer("edge.example.org", 1, 1, 60, "198.51.100.7"));
        assertThat(d.resolvedIps()).containsExactly("2001:db8::1", "198.51.100.7");

        // the same message in wire format makes the same document
        JsonNode fromJson = PayloadTesting.document(dns, d, null);
        JsonNode fromWire = PayloadTesting.document(dns, parse(cnameChain()), null);
        ((com.fasterxml.jackson.databind.node.ObjectNode) fromWire.get("dns")).put("additionals_count", 1);
        assertThat(fromJson).isEqualTo(fromWire);
    }

    @Test
    void heplifyJsonQuery() throws ParseFailure {
        String json = "{\"id\":4660,\"qr\":false,\"opcode\":0,\"aa\":false,\"tc\":false,\"rd\":true,\"ra\":false,\"z\":0,"
                + "\"rescode\":0,\"qdc\":1,\"anc\":0,\"nsc\":0,\"arc\":0,\"questions\":[{\"name\":\"_sip._udp.example.com\","
                + "\"type\":33,\"class\":1}]}";
        Dns d = parse(json.getBytes(StandardCharsets.UTF_8));
        assertThat(d.response()).isFalse();
        assertThat(d.question()).isEqualTo(new DnsProtocol.Question("_sip._udp.example.com", 33, 1));
        assertThat(d.answers()).isEmpty();
        JsonNode doc = PayloadTesting.document(dns, d, null);
        assertThat(doc.at("/dns/question/type").asText()).isEqualTo("SRV");
        assertThat(doc.at("/dns/type").asText()).isEqualTo("query");
    }

    static Stream<Arguments> badJson() {
        return Stream.of(
                Arguments.of("{\"id\":", "does not parse"),
                Arguments.of("{\"qr\":true}", "no id"),
                Arguments.of("{\"id\":70000}", "id"),
                Arguments.of("{\"id\":1,\"opcode\":\"QUERY\"}", "opcode"),
                Arguments.of("{\"id\":1,\"answers\":{}}", "answers is not an array"),
                Arguments.of("{\"id\":1,\"questions\":[1]}", "question 1 is not an object"),
                Arguments.of("{\"id\":1,\"answers\":[{\"name\":\"a\",\"type\":1,\"ip\":\"evil.example\"}]}", "not an address"),
                Arguments.of("{\"id\":1,\"questions\":[{\"name\":\"" + "a".repeat(300) + "\"}]}", "longer than 255"),
                Arguments.of("{\"id\":1,\"x\":" + "[".repeat(100) + "]".repeat(100) + "}", "does not parse"),
                Arguments.of("{\"\"}", "does not parse"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badJson")
    void badHeplifyJsonIsAParseFailure(String json, String reason) {
        assertThatThrownBy(() -> parseRaw(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ParseFailure.class).hasMessageContaining(reason);
    }

    // ------------------------------------------------------------------ template

    @Test
    void everyFieldWrittenIsMappedAndEveryMappedFieldIsWritten() throws ParseFailure {
        ComponentFields template = ComponentFields.of("hep-dns");
        assertThat(template.template.at("/template/mappings/dynamic").asBoolean(true)).isFalse();
        assertThat(template.template.at("/_meta/managed_by").asText()).isEqualTo("hepstack");
        assertThat(template.type("dns.resolved_ip")).isEqualTo("ip");
        assertThat(template.type("dns.answers.ttl")).isEqualTo("long");
        Set<String> written = new HashSet<>();
        List<byte[]> all = valid();
        all.add(PayloadTesting.resource("dns-heplify-answer.json"));
        for (byte[] m : all) {
            JsonNode doc = PayloadTesting.document(dns, parseRaw(m), null);
            assertThat(template.problems(doc)).as("document %s", doc).isEmpty();
            collectLeaves("", doc, written);
        }
        assertThat(written).containsExactlyInAnyOrderElementsOf(template.leaves());
        assertThat(PayloadTesting.document(dns, null, null).size()).isZero();
    }

    static void collectLeaves(String path, JsonNode n, Set<String> out) {
        if (n.isObject()) {
            n.fields().forEachRemaining(e -> collectLeaves(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue(), out));
        } else if (n.isArray()) {
            n.forEach(x -> collectLeaves(path, x, out));
        } else {
            out.add(path);
        }
    }
}
