package io.hepstack.collector.protocol.sip;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Framing, the start line, header lookup, compact forms, folding and the problems list. */
class SipParserTest {

    /** RFC 3261 §24.2 F1, with a body. */
    static final String INVITE = "INVITE sip:bob@biloxi.com SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds8\r\n"
            + "Max-Forwards: 70\r\n"
            + "To: Bob <sip:bob@biloxi.com>\r\n"
            + "From: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n"
            + "Call-ID: a84b4c76e66710\r\n"
            + "CSeq: 314159 INVITE\r\n"
            + "Contact: <sip:alice@pc33.atlanta.com>\r\n"
            + "User-Agent: SIPp/3.7\r\n"
            + "Content-Type: application/sdp\r\n"
            + "Content-Length: 15\r\n"
            + "\r\n"
            + "v=0\r\ns=-\r\nt=0 0";

    static final String OK = "SIP/2.0 200 OK\r\n"
            + "Via: SIP/2.0/UDP server10.biloxi.com;branch=z9hG4bK4b43c2ff8.1;received=192.0.2.3\r\n"
            + "Via: SIP/2.0/UDP bigbox3.site3.atlanta.com;branch=z9hG4bK77ef4c2312983.1;received=192.0.2.2,"
            + " SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds;received=192.0.2.1\r\n"
            + "To: Bob <sip:bob@biloxi.com>;tag=a6c85cf\r\n"
            + "From: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n"
            + "Call-ID: a84b4c76e66710@pc33.atlanta.com\r\n"
            + "CSeq: 314159 INVITE\r\n"
            + "Contact: <sip:bob@192.0.2.4>\r\n"
            + "Server: Kamailio (5.6.3)\r\n"
            + "Content-Length: 0\r\n"
            + "\r\n";

    private final SipParser parser = new SipParser();

    @Test
    void request() throws Exception {
        SipMessage m = parse(INVITE);
        assertThat(m.isRequest()).isTrue();
        assertThat(m.method()).isSameAs(SipMethod.INVITE);
        assertThat(m.statusCode()).isEqualTo(-1);
        assertThat(m.reasonPhrase()).isNull();
        assertThat(m.requestUriRaw()).isEqualTo("sip:bob@biloxi.com");
        assertThat(m.requestUri().user()).isEqualTo("bob");
        assertThat(m.requestUri().host()).isEqualTo("biloxi.com");
        assertThat(m.callId()).isEqualTo("a84b4c76e66710");
        assertThat(m.cseqNumber()).isEqualTo(314159);
        assertThat(m.cseqMethod()).isSameAs(SipMethod.INVITE);
        assertThat(m.from().displayName()).isEqualTo("Alice");
        assertThat(m.from().tag()).isEqualTo("1928301774");
        assertThat(m.to().tag()).isNull();
        assertThat(m.to().uri().user()).isEqualTo("bob");
        assertThat(m.maxForwards()).isEqualTo(70);
        assertThat(m.userAgent()).isEqualTo("SIPp/3.7");
        assertThat(m.server()).isNull();
        assertThat(m.contentType()).isEqualTo("application/sdp");
        assertThat(m.contentLength()).isEqualTo(15);
        assertThat(m.expires()).isEqualTo(-1);
        assertThat(m.contact().uri().host()).isEqualTo("pc33.atlanta.com");
        assertThat(m.bodyLength()).isEqualTo(15);
        assertThat(text(m.body())).isEqualTo("v=0\r\ns=-\r\nt=0 0");
        assertThat(m.sdp().version()).isZero();
        assertThat(m.problems()).isEmpty();
        assertThat(m.headerCount()).isEqualTo(10);
        assertThat(m.toString()).isEqualTo("INVITE sip:bob@biloxi.com");
    }

    /**
     * The header offsets are framed in a per-thread scratch array: each message keeps its own copy,
     * so a message parsed later (fewer headers, or more than the scratch held) never changes one
     * parsed before.
     */
    @Test
    void aLaterParseLeavesEarlierMessagesAlone() throws Exception {
        StringBuilder many = new StringBuilder("OPTIONS sip:a@b SIP/2.0\r\n");
        for (int i = 0; i < 40; i++) {
            many.append("X-H").append(i).append(": value-").append(i).append("\r\n");
        }
        many.append("Call-ID: many\r\n\r\n");
        SipMessage first = parse(INVITE);
        SipMessage big = parse(many.toString());
        SipMessage small = parse(OK);
        SipMessage again = parse(INVITE);
        assertThat(big.headerCount()).isEqualTo(41);
        assertThat(big.header("X-H39")).isEqualTo("value-39");
        assertThat(big.callId()).isEqualTo("many");
        assertThat(small.headerCount()).isEqualTo(9);
        assertThat(small.callId()).isEqualTo("a84b4c76e66710@pc33.atlanta.com");
        for (SipMessage m : List.of(first, again)) {
            assertThat(m.headerCount()).isEqualTo(10);
            assertThat(m.callId()).isEqualTo("a84b4c76e66710");
            assertThat(m.userAgent()).isEqualTo("SIPp/3.7");
            assertThat(m.header("Content-Length")).isEqualTo("15");
        }
    }

    /**
     * The message parses every header value with one reader, reset per value: values read in any
     * order, folded ones (another array) among them, and one accessor that needs another's value
     * first (the SDP needs Content-Length) all come out right.
     */
    @Test
    void oneReaderForEveryValueInAnyOrder() throws Exception {
        String body = "v=0\r\nc=IN IP4 192.0.2.9\r\nm=audio 4000 RTP/AVP 0\r\n";
        String text = "INVITE sip:bob@biloxi.com SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1,\r\n SIP/2.0/TCP b.example.com:5061;branch=z9hG4bK2\r\n"
                + "From: Alice\r\n <sip:alice@atlanta.com>;tag=77\r\n"
                + "To: <sip:bob@biloxi.com>\r\n"
                + "Call-ID: one-reader\r\n"
                + "CSeq: 12 INVITE\r\n"
                + "Contact: <sip:alice@192.0.2.9:5070>;expires=60\r\n"
                + "Reason: Q.850;cause=16;text=\"done\"\r\n"
                + "Content-Type: application/sdp\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
        SipMessage m = parse(text);
        assertThat(m.sdp().media().get(0).port()).isEqualTo(4000);
        assertThat(m.from().tag()).isEqualTo("77");
        assertThat(m.from().displayName()).isEqualTo("Alice");
        assertThat(m.requestUri().host()).isEqualTo("biloxi.com");
        assertThat(m.vias()).extracting(Via::host).containsExactly("a.example.com", "b.example.com");
        assertThat(m.vias()).extracting(Via::branch).containsExactly("z9hG4bK1", "z9hG4bK2");
        assertThat(m.cseqNumber()).isEqualTo(12);
        assertThat(m.contact().uri().port()).isEqualTo(5070);
        assertThat(m.contact().expires()).isEqualTo(60);
        assertThat(m.reason().cause()).isEqualTo(16);
        assertThat(m.to().uri().user()).isEqualTo("bob");
        assertThat(m.contentLength()).isEqualTo(body.length());
        assertThat(m.problems()).isEmpty();
        // the text as written is made when first asked, from the bytes (the unfolded copy for a folded value)
        assertThat(m.from().raw()).isEqualTo("Alice <sip:alice@atlanta.com>;tag=77");
        assertThat(m.from().toString()).isSameAs(m.from().raw());
        assertThat(m.vias()).extracting(Via::raw)
                .containsExactly("SIP/2.0/UDP a.example.com;branch=z9hG4bK1", "SIP/2.0/TCP b.example.com:5061;branch=z9hG4bK2");
        assertThat(m.contact().raw()).isEqualTo("<sip:alice@192.0.2.9:5070>;expires=60");
        assertThat(m.to().raw()).isEqualTo("<sip:bob@biloxi.com>");
    }

    /** Vias and Contacts in order however many there are (one, two, or more: kept differently), never modifiable. */
    @Test
    void viaAndContactListsOfEverySize() throws Exception {
        for (int n = 0; n <= 5; n++) {
            StringBuilder t = new StringBuilder("OPTIONS sip:a@b SIP/2.0\r\n");
            for (int i = 0; i < n; i++) {
                t.append(i % 2 == 0 ? "Via: " : "v: ").append("SIP/2.0/UDP h").append(i).append(";branch=z9hG4bK").append(i);
                t.append(i == 2 ? ", SIP/2.0/TCP extra;branch=x\r\n" : "\r\n");
                t.append("Contact: <sip:c").append(i).append("@h>").append(i == 1 ? ", <sip:d@h>, *" : "").append("\r\n");
            }
            SipMessage m = parse(t.append("Call-ID: x\r\n\r\n").toString());
            List<String> hosts = new java.util.ArrayList<>();
            List<String> contacts = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                hosts.add("h" + i);
                contacts.add("<sip:c" + i + "@h>");
                if (i == 2) {
                    hosts.add("extra");
                }
                if (i == 1) {
                    contacts.add("<sip:d@h>");
                    contacts.add("*");
                }
            }
            assertThat(m.vias()).extracting(Via::host).as(n + " Via headers").containsExactlyElementsOf(hosts);
            assertThat(m.contacts()).extracting(NameAddress::raw).containsExactlyElementsOf(contacts);
            assertThat(m.via() == null ? null : m.via().host()).isEqualTo(n == 0 ? null : "h0");
            assertThatThrownBy(() -> m.vias().add(m.via())).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> m.contacts().clear()).isInstanceOf(UnsupportedOperationException.class);
            assertThat(m.vias()).isSameAs(m.vias());
        }
    }

    @Test
    void response() throws Exception {
        SipMessage m = parse(OK);
        assertThat(m.isResponse()).isTrue();
        assertThat(m.method()).isNull();
        assertThat(m.statusCode()).isEqualTo(200);
        assertThat(m.reasonPhrase()).isEqualTo("OK");
        assertThat(m.requestUri()).isNull();
        assertThat(m.requestUriRaw()).isNull();
        assertThat(m.server()).isEqualTo("Kamailio (5.6.3)");
        assertThat(m.to().tag()).isEqualTo("a6c85cf");
        List<Via> vias = m.vias();
        assertThat(vias).extracting(Via::host).containsExactly("server10.biloxi.com", "bigbox3.site3.atlanta.com", "pc33.atlanta.com");
        assertThat(vias).extracting(Via::received).containsExactly("192.0.2.3", "192.0.2.2", "192.0.2.1");
        assertThat(m.via().branch()).isEqualTo("z9hG4bK4b43c2ff8.1");
        assertThat(m.headers("via")).hasSize(2);
        assertThat(m.bodyLength()).isZero();
        assertThat(m.sdp()).isNull();
        assertThat(m.problems()).isEmpty();
    }

    @Test
    void reasonPhrasesAndStatusLines() throws Exception {
        assertThat(parse("SIP/2.0 481 Call leg/Transaction does not exist\r\n\r\n").reasonPhrase())
                .isEqualTo("Call leg/Transaction does not exist");
        SipMessage m = parse("SIP/2.0 180\r\n\r\n");
        assertThat(m.statusCode()).isEqualTo(180);
        assertThat(m.reasonPhrase()).isEmpty();
        m = parse("SIP/2.0 700 Strange\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nVia: SIP/2.0/UDP h\r\n\r\n");
        assertThat(m.problems()).containsExactly("status code 700 outside 100-699");
        m = parse("SIP/3.0 200 OK\r\n\r\n");
        assertThat(m.problems()).contains("SIP version SIP/3.0 is not SIP/2.0");
    }

    @Test
    void methodsAreSharedConstantsAndExtensionsKeepTheirCase() throws Exception {
        for (String method : List.of("ACK", "BYE", "CANCEL", "REGISTER", "OPTIONS", "PRACK", "SUBSCRIBE", "NOTIFY",
                "PUBLISH", "INFO", "REFER", "MESSAGE", "UPDATE")) {
            SipMessage m = parse(method + " sip:x@y SIP/2.0\r\nCSeq: 2 " + method + "\r\n\r\n");
            assertThat(m.method()).isSameAs(method.intern());
            assertThat(m.cseqMethod()).isSameAs(m.method());
        }
        assertThat(parse("FOOBAR sip:x@y SIP/2.0\r\n\r\n").method()).isEqualTo("FOOBAR");
        assertThat(parse("invite sip:x@y SIP/2.0\r\n\r\n").method()).isEqualTo("invite");
    }

    @Test
    void compactFormsAndCaseInsensitiveNames() throws Exception {
        // every compact form of RFC 3261 §7.3.3 and the IANA registry, next to its full name
        String[][] forms = {
            {"a", "Accept-Contact", "*;audio"}, {"b", "Referred-By", "<sip:ref@x>"}, {"c", "Content-Type", "text/plain"},
            {"d", "Request-Disposition", "proxy"}, {"e", "Content-Encoding", "gzip"}, {"f", "From", "<sip:a@b>;tag=1"},
            {"i", "Call-ID", "cid-1"}, {"j", "Reject-Contact", "*;video"}, {"k", "Supported", "100rel"},
            {"l", "Content-Length", "0"}, {"m", "Contact", "<sip:a@10.0.0.1>"}, {"n", "Identity-Info", "<https://x/c>"},
            {"o", "Event", "presence"}, {"r", "Refer-To", "<sip:t@x>"}, {"s", "Subject", "hello"},
            {"t", "To", "<sip:c@d>"}, {"u", "Allow-Events", "talk"}, {"v", "Via", "SIP/2.0/UDP h;branch=z9hG4bK1"},
            {"x", "Session-Expires", "1800"}, {"y", "Identity", "abc"},
        };
        StringBuilder compact = new StringBuilder("MESSAGE sip:x@y SIP/2.0\r\n");
        StringBuilder full = new StringBuilder("MESSAGE sip:x@y SIP/2.0\r\n");
        for (String[] f : forms) {
            compact.append(f[0]).append(": ").append(f[2]).append("\r\n");
            full.append(f[1].toUpperCase()).append(":").append(f[2]).append("\r\n");
        }
        for (String text : List.of(compact + "\r\n", full + "\r\n")) {
            SipMessage m = parse(text);
            for (String[] f : forms) {
                assertThat(m.header(f[0])).as(f[0]).isEqualTo(f[2]);
                assertThat(m.header(f[1])).as(f[1]).isEqualTo(f[2]);
                assertThat(m.header(f[1].toLowerCase())).as(f[1]).isEqualTo(f[2]);
                assertThat(m.headers(f[0].toUpperCase())).as(f[0]).containsExactly(f[2]);
            }
            assertThat(m.headerNames()).containsExactly(java.util.Arrays.stream(forms).map(f -> f[1]).toArray(String[]::new));
            assertThat(m.callId()).isEqualTo("cid-1");
            assertThat(m.from().tag()).isEqualTo("1");
            assertThat(m.via().branch()).isEqualTo("z9hG4bK1");
            assertThat(m.contentLength()).isZero();
            assertThat(m.supported()).isEqualTo("100rel");
        }
        // unknown headers: first spelling kept, any case finds them
        SipMessage m = parse("OPTIONS sip:x@y SIP/2.0\r\nX-Custom-Thing: 1\r\nx-custom-thing: 2\r\ng: 3\r\n\r\n");
        assertThat(m.header("X-CUSTOM-THING")).isEqualTo("1");
        assertThat(m.headers("x-Custom-thing")).containsExactly("1", "2");
        assertThat(m.header("G")).isEqualTo("3");
        assertThat(m.header("Missing")).isNull();
        assertThat(m.headers("Missing")).isEmpty();
        assertThat(m.headerNames()).containsExactly("X-Custom-Thing", "g");
    }

    @Test
    void foldedLinesAreJoinedWithOneSpace() throws Exception {
        SipMessage m = parse("INVITE sip:x@y SIP/2.0\r\n"
                + "Subject: I know you're there,\r\n"
                + "     pick up the phone   \r\n"
                + "\tand talk to me!\r\n"
                + "Via: SIP/2.0/UDP pc33.atlanta.com\r\n"
                + "  ;branch=z9hG4bK-folded ;received=192.0.2.1\r\n"
                + "From:\r\n"
                + " \"Folded Name\" <sip:alice@atlanta.com>\r\n"
                + "  ;tag=88\r\n"
                + "Call-ID: after-the-folds\r\n"
                + "\r\n");
        assertThat(m.header("Subject")).isEqualTo("I know you're there, pick up the phone and talk to me!");
        assertThat(m.via().branch()).isEqualTo("z9hG4bK-folded");
        assertThat(m.via().received()).isEqualTo("192.0.2.1");
        assertThat(m.from().displayName()).isEqualTo("Folded Name");
        assertThat(m.from().tag()).isEqualTo("88");
        assertThat(m.header("From")).isEqualTo("\"Folded Name\" <sip:alice@atlanta.com> ;tag=88");
        assertThat(m.callId()).isEqualTo("after-the-folds");
        assertThat(m.headerCount()).isEqualTo(4);
    }

    @Test
    void lineEndsLeadingKeepAlivesAndOffsets() throws Exception {
        // bare LF line ends (heplify-sip_ipv6_udp), CRLF keep-alives before the start line
        SipMessage m = parse("\r\n\r\nBYE sip:x@y SIP/2.0\nCall-ID: lf\nContent-Length: 2\n\nab");
        assertThat(m.method()).isEqualTo("BYE");
        assertThat(m.callId()).isEqualTo("lf");
        assertThat(text(m.body())).isEqualTo("ab");
        assertThat(text(m.raw())).startsWith("BYE ");
        assertThat(m.length()).isEqualTo(m.raw().remaining());

        // a message in the middle of a larger array: offsets and body refer to that range
        byte[] big = ("garbage" + OK + "trailing").getBytes(StandardCharsets.UTF_8);
        SipMessage r = parser.parse(big, 7, OK.length());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.length()).isEqualTo(OK.length());
        assertThat(r.bodyLength()).isZero();
    }

    @Test
    void framingFailuresReportTheExactOffset() {
        assertFails("", 0, "empty input");
        assertFails("\r\n\r\n", 4, "only line breaks");
        assertFails("\u0000\u0000\u0000\u0000", 0, "not SIP: starts with byte 0x00");
        assertFails("INVITE sip:a@b SIP/2.0", 22, "start line not terminated");
        assertFails("INVITE\r\n", 6, "expected SP after the method");
        assertFails("HTTP/1.1 200 OK\r\n", 4, "expected SP after the method but found '/'");
        assertFails("INVITE  sip:a@b SIP/2.0\r\n", 7, "expected Request-URI");
        assertFails("INVITE sip:a@b\r\n", 14, "expected SP after Request-URI");
        assertFails("GET / HTTP/1.1\r\n", 6, "expected SIP version");
        assertFails("INVITE sip:a@b SIP/2.0 x\r\n", 23, "unexpected 'x' after SIP version");
        assertFails("INVITE sip:a@b SIP/x.0\r\n", 19, "invalid SIP version");
        assertFails("INVITE sip:a@b SIP/2.\r\n", 21, "invalid SIP version");
        assertFails("SIP/2.0 20 OK\r\n", 8, "invalid status code");
        assertFails("SIP/2.0 2000 OK\r\n", 8, "invalid status code");
        assertFails("SIP/2.0200 OK\r\n", 11, "invalid status code"); // version "2.0200", then no code
        assertFails("SIP/2.0\t200 OK\r\n", 7, "expected SP after SIP version");
        assertFails("SIP/2.0 200 OK\r\nVia SIP/2.0/UDP h\r\n\r\n", 20, "expected ':' after header name");
        assertFails("SIP/2.0 200 OK\r\n:value\r\n\r\n", 16, "invalid header name");
        assertFails("SIP/2.0 200 OK\r\nCall-ID: x\r\n\u0001Bad: y\r\n\r\n", 28, "invalid header name");
        assertFails("SIP/2.0 200 OK\r\n folded\r\n\r\n", 16, "continuation line before the first header");
    }

    @Test
    void limitsOnHeadersAndLineLength() throws Exception {
        SipParser small = new SipParser(2, 32);
        String ok = "SIP/2.0 200 OK\r\nA: 1\r\nB: 2\r\n\r\n";
        assertThat(small.parse(bytes(ok)).headerCount()).isEqualTo(2);
        assertThatThrownBy(() -> small.parse(bytes("SIP/2.0 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n")))
                .hasMessageContaining("more than 2 headers")
                .extracting(e -> ((SipParseException) e).errorOffset()).isEqualTo(28);
        String longLine = "SIP/2.0 200 OK\r\nX: " + "a".repeat(100) + "\r\n\r\n";
        assertThatThrownBy(() -> small.parse(bytes(longLine)))
                .hasMessageContaining("header line longer than 32 bytes")
                .extracting(e -> ((SipParseException) e).errorOffset()).isEqualTo(16 + 33);
        String longStart = "INVITE sip:" + "a".repeat(100) + " SIP/2.0\r\n\r\n";
        assertThatThrownBy(() -> small.parse(bytes(longStart)))
                .hasMessageContaining("start line longer than 32 bytes")
                .extracting(e -> ((SipParseException) e).errorOffset()).isEqualTo(32);
        String longFold = "SIP/2.0 200 OK\r\nX: " + "a".repeat(20) + "\r\n " + "b".repeat(20) + "\r\n\r\n";
        assertThatThrownBy(() -> small.parse(bytes(longFold)))
                .hasMessageContaining("folded header value longer than 32 bytes");
        assertThatThrownBy(() -> new SipParser(0, 100)).hasMessageContaining("maxHeaders must be a positive integer: 0");
        assertThatThrownBy(() -> new SipParser(10, 3)).hasMessageContaining("maxLineLength must be at least 16: 3");
        assertThatThrownBy(() -> parser.parse(new byte[4], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void cseqProblems() throws Exception {
        SipMessage m = parse(OK.replace("CSeq: 314159 INVITE", "CSeq: abc INVITE"));
        assertThat(m.cseqNumber()).isEqualTo(-1);
        assertThat(m.cseqMethod()).isEqualTo("INVITE");
        assertThat(m.problems()).containsExactly("CSeq: invalid sequence number in 'abc INVITE'");

        m = parse(INVITE.replace("CSeq: 314159 INVITE", "CSeq: 7 BYE"));
        assertThat(m.cseqNumber()).isEqualTo(7);
        assertThat(m.problems()).containsExactly("CSeq: method BYE differs from the request method INVITE");

        m = parse(OK.replace("CSeq: 314159 INVITE", "CSeq: 4294967295 INVITE"));
        assertThat(m.cseqNumber()).isEqualTo(4294967295L);
        assertThat(m.problems()).containsExactly("CSeq: sequence number 4294967295 is not below 2^31");

        m = parse(OK.replace("CSeq: 314159 INVITE", "CSeq: 12"));
        assertThat(m.cseqNumber()).isEqualTo(12);
        assertThat(m.cseqMethod()).isNull();
        assertThat(m.problems()).containsExactly("CSeq: missing method in '12'");

        m = parse(OK.replace("CSeq: 314159 INVITE", "CSeq:   42   ACK  "));
        assertThat(m.cseqNumber()).isEqualTo(42);
        assertThat(m.cseqMethod()).isSameAs(SipMethod.ACK);
    }

    @Test
    void contentLengthProblems() throws Exception {
        SipMessage m = parse(OK.replace("Content-Length: 0", "Content-Length: bad"));
        assertThat(m.contentLength()).isEqualTo(-1);
        assertThat(m.problems()).containsExactly("Content-Length: not a number: 'bad'");

        m = parse(INVITE.replace("Content-Length: 15", "Content-Length: 100"));
        assertThat(m.bodyLength()).isEqualTo(15);
        assertThat(m.problems()).containsExactly("body truncated: Content-Length 100 but 15 bytes follow the headers");

        m = parse(INVITE.replace("Content-Length: 15", "Content-Length: 3"));
        assertThat(text(m.body())).isEqualTo("v=0");
        assertThat(m.problems()).containsExactly("Content-Length 3 but 15 bytes follow the headers; 12 ignored");

        // trailing line breaks after the body are not worth a problem
        m = parse(OK + "\r\n\r\n");
        assertThat(m.bodyLength()).isZero();
        assertThat(m.problems()).isEmpty();

        m = parse(OK.replace("Content-Length: 0\r\n", "") + "xyz");
        assertThat(m.contentLength()).isEqualTo(-1);
        assertThat(text(m.body())).isEqualTo("xyz");
        assertThat(m.problems()).isEmpty(); // UDP may omit it (RFC 3261 §18.3)
    }

    @Test
    void duplicateAndMissingHeaders() throws Exception {
        SipMessage m = parse(OK.replace("Call-ID: a84b4c76e66710@pc33.atlanta.com\r\n",
                "Call-ID: first\r\ni: second\r\n"));
        assertThat(m.callId()).isEqualTo("first");
        assertThat(m.problems()).containsExactly("duplicate Call-ID header (2 times)");

        m = parse("OPTIONS sip:x@y SIP/2.0\r\nContent-Length: 0\r\nl: 0\r\n\r\n");
        assertThat(m.problems()).containsExactly(
                "missing mandatory header Call-ID", "missing mandatory header CSeq", "missing mandatory header From",
                "missing mandatory header To", "missing mandatory header Via", "duplicate Content-Length header (2 times)");
        assertThat(m.callId()).isNull();
        assertThat(m.cseqNumber()).isEqualTo(-1);
        assertThat(m.cseqMethod()).isNull();
        assertThat(m.from()).isNull();
        assertThat(m.vias()).isEmpty();
        assertThat(m.via()).isNull();
        assertThat(m.contacts()).isEmpty();
        assertThat(m.contact()).isNull();
    }

    @Test
    void unparsableValuesBecomeProblemsNotExceptions() throws Exception {
        String text = INVITE
                .replace("From: Alice <sip:alice@atlanta.com>;tag=1928301774", "From: Alice <sip:alice@>;tag=1928301774")
                .replace("INVITE sip:bob@biloxi.com SIP/2.0", "INVITE sip:bob@bi$oxi.com SIP/2.0")
                .replace("branch=z9hG4bKnashds8", "branch=z9hG4bKnashds8, SIP/2.0 junk")
                .replace("Contact: <sip:alice@pc33.atlanta.com>", "Contact: <sip:alice@pc33.atlanta.com>, <sip:x")
                .replace("Max-Forwards: 70", "Max-Forwards: seventy");
        SipMessage m = parse(text);
        assertThat(m.from()).isNull();
        assertThat(m.requestUri()).isNull();
        assertThat(m.requestUriRaw()).isEqualTo("sip:bob@bi$oxi.com");
        assertThat(m.vias()).hasSize(1);
        assertThat(m.contacts()).hasSize(1);
        assertThat(m.maxForwards()).isEqualTo(-1);
        assertThat(m.header("From")).isEqualTo("Alice <sip:alice@>;tag=1928301774");
        // offsets count from the first byte of the message
        assertThat(m.problems()).containsExactlyInAnyOrder(
                "From: expected host but found '>' (offset " + (text.indexOf("@>;tag") + 1) + ")",
                "Request-URI: unexpected '$' in URI (offset " + text.indexOf('$') + ")",
                "Via: expected '/' but found 'j' (offset " + text.indexOf("junk") + ")",
                "Contact: expected '>' but found end of input (offset " + (text.indexOf("<sip:x\r\n") + 6) + ")",
                "Max-Forwards: not a number: 'seventy'");
        // asking again does not add them twice
        assertThat(m.problems()).hasSize(5);
    }

    @Test
    void identityReasonExpiresAndLists() throws Exception {
        SipMessage m = parse("BYE sip:x@y SIP/2.0\r\n"
                + "Reason: Q.850;cause=16;text=\"Normal call clearing\", SIP;cause=200\r\n"
                + "P-Asserted-Identity: \"Alice\" <sip:+15551234@atlanta.com;user=phone>, <tel:+15551234>\r\n"
                + "P-Preferred-Identity: <sip:alice@atlanta.com>\r\n"
                + "Remote-Party-ID: \"Bob\" <sip:2000@10.0.0.1>;party=calling;screen=yes;privacy=off\r\n"
                + "Expires: 3600\r\n"
                + "Allow: INVITE, ACK\r\n"
                + "Allow: BYE\r\n"
                + "k: timer\r\n"
                + "Supported: replaces\r\n"
                + "\r\n");
        assertThat(m.reason().protocol()).isEqualTo("Q.850");
        assertThat(m.reason().cause()).isEqualTo(16);
        assertThat(m.reason().text()).isEqualTo("Normal call clearing");
        assertThat(m.reason().raw()).isEqualTo("Q.850;cause=16;text=\"Normal call clearing\"");
        assertThat(m.pAssertedIdentity().displayName()).isEqualTo("Alice");
        assertThat(m.pAssertedIdentity().uri().user()).isEqualTo("+15551234");
        assertThat(m.pPreferredIdentity().uri().user()).isEqualTo("alice");
        assertThat(m.remotePartyId().param("party")).isEqualTo("calling");
        assertThat(m.remotePartyId().param("privacy")).isEqualTo("off");
        assertThat(m.expires()).isEqualTo(3600);
        assertThat(m.allow()).isEqualTo("INVITE, ACK, BYE");
        assertThat(m.supported()).isEqualTo("timer, replaces");
        assertThat(Reason.parse("SIP ; cause=487 ; text=\"Request Terminated\"").cause()).isEqualTo(487);
    }

    @Test
    void registerContactsAndWildcard() throws Exception {
        SipMessage m = parse("REGISTER sip:registrar.biloxi.com SIP/2.0\r\n"
                + "Contact: <sip:bob@192.0.2.4>;expires=7200, \"Mobile\" <sip:bob@198.51.100.7:5062;transport=tcp>;q=0.5\r\n"
                + "m: sip:bob@203.0.113.9;expires=60\r\n"
                + "Expires: 3600\r\n\r\n");
        assertThat(m.contacts()).extracting(c -> c.uri().host()).containsExactly("192.0.2.4", "198.51.100.7", "203.0.113.9");
        assertThat(m.contacts()).extracting(NameAddress::expires).containsExactly(7200L, -1L, 60L);
        assertThat(m.contacts().get(1).displayName()).isEqualTo("Mobile");
        assertThat(m.contact().uri().host()).isEqualTo("192.0.2.4");
        assertThat(m.expires()).isEqualTo(3600);

        m = parse("REGISTER sip:registrar.biloxi.com SIP/2.0\r\nContact: *\r\nExpires: 0\r\n\r\n");
        assertThat(m.contact().isWildcard()).isTrue();
        assertThat(m.expires()).isZero();
    }

    @Test
    void truncatedHeaderBlockKeepsCompleteLines() throws Exception {
        // like pkts-fragmented_udp_sip.pcap frame 1: only the first IP fragment was captured
        String cut = INVITE.substring(0, INVITE.indexOf("Content-Type") + 6);
        SipMessage m = parse(cut);
        assertThat(m.callId()).isEqualTo("a84b4c76e66710");
        assertThat(m.contentType()).isNull();
        assertThat(m.problems()).containsExactly("message truncated inside the header block; last 6 bytes dropped");
        m = parse(INVITE.substring(0, INVITE.indexOf("\r\n\r\n") + 2));
        assertThat(m.problems()).containsExactly("header block not terminated by an empty line",
                "body truncated: Content-Length 15 but 0 bytes follow the headers",
                "Content-Type application/sdp with an empty body");
    }

    @Test
    void controlBytesAreReported() throws Exception {
        SipMessage m = parse(OK.replace("tag=a6c85cf", "tag=a6c\u0018c\u0001"));
        assertThat(m.to().tag()).isEqualTo("a6c\u0018c\u0001");
        int at = OK.indexOf("tag=a6c85cf") + "tag=a6c".length();
        assertThat(m.problems()).containsExactly("To: control byte 0x18 in value (offset " + at + ")");
    }

    @Test
    void exceptionCarriesOffsetAndNoStackTrace() {
        SipParseException e = new SipParseException("bad thing", 17);
        assertThat(e.errorOffset()).isEqualTo(17);
        assertThat(e.getMessage()).isEqualTo("bad thing (offset 17)");
        assertThat(e.getStackTrace()).isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    private SipMessage parse(String text) throws SipParseException {
        return parser.parse(bytes(text));
    }

    private void assertFails(String text, int offset, String message) {
        assertThatThrownBy(() -> parse(text))
                .as(text)
                .isInstanceOf(SipParseException.class)
                .hasMessageContaining(message)
                .extracting(e -> ((SipParseException) e).errorOffset()).isEqualTo(offset);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(ByteBuffer b) {
        return StandardCharsets.UTF_8.decode(b.duplicate()).toString();
    }
}
