package io.hepstack.collector.protocol.sip;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.hepstack.collector.protocol.sip.SipUri.MODE_ADDR_SPEC;
import static io.hepstack.collector.protocol.sip.SipUri.MODE_BRACKETED;
import static io.hepstack.collector.protocol.sip.SipUri.MODE_REQUEST_URI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Table-driven, pkts style: each case asserts the parsed parts and the bytes left over. */
class SipUriTest {

    @Test
    void sipUris() throws Exception {
        assertUri("sip:alice@atlanta.com", MODE_REQUEST_URI, "sip", "alice", "atlanta.com", -1, "");
        assertUri("sip:alice@192.0.2.4:5061", MODE_REQUEST_URI, "sip", "alice", "192.0.2.4", 5061, "");
        assertUri("sip:atlanta.com", MODE_REQUEST_URI, "sip", null, "atlanta.com", -1, "");
        assertUri("sips:alice@atlanta.com:5061;transport=tls", MODE_REQUEST_URI, "sips", "alice", "atlanta.com", 5061, "");
        assertUri("SIP:Bob@Example.COM", MODE_REQUEST_URI, "sip", "Bob", "Example.COM", -1, "");
        assertUri("sip:1.1.1.1:5060", MODE_REQUEST_URI, "sip", null, "1.1.1.1", 5060, "");
        assertUri("sip:my_host.example.com", MODE_REQUEST_URI, "sip", null, "my_host.example.com", -1, "");
        // the user part may hold ';' (tel-style parameters) when an '@' follows
        assertUri("sip:+4930123;npdi;rn=+4930999@carrier.de;user=phone", MODE_REQUEST_URI, "sip",
                "+4930123;npdi;rn=+4930999", "carrier.de", -1, "");
        assertUri("sip:%61lice@atlanta.com", MODE_REQUEST_URI, "sip", "%61lice", "atlanta.com", -1, "");
    }

    @Test
    void leftoverDependsOnMode() throws Exception {
        assertUri("sip:bob@biloxi.com;transport=tcp>;tag=1", MODE_BRACKETED, "sip", "bob", "biloxi.com", -1, ">;tag=1");
        assertUri("sip:bob@biloxi.com>", MODE_BRACKETED, "sip", "bob", "biloxi.com", -1, ">");
        // no brackets: ';' after the host starts the header's parameters
        assertUri("sip:bob@biloxi.com;tag=a6c85cf", MODE_ADDR_SPEC, "sip", "bob", "biloxi.com", -1, ";tag=a6c85cf");
        assertUri("sip:bob@biloxi.com:5060, <sip:x@y>", MODE_ADDR_SPEC, "sip", "bob", "biloxi.com", 5060, ", <sip:x@y>");
        assertUri("tel:+123;tag=x", MODE_ADDR_SPEC, "tel", "+123", null, -1, ";tag=x");
        assertUri("sip:alice@atlanta.com SIP/2.0", MODE_REQUEST_URI, "sip", "alice", "atlanta.com", -1, " SIP/2.0");
    }

    @Test
    void passwordParamsAndHeaders() throws Exception {
        SipUri u = consume("sip:+1-212-555-1212:1234@gateway.com;user=phone", MODE_REQUEST_URI);
        assertThat(u.user()).isEqualTo("+1-212-555-1212");
        assertThat(u.password()).isEqualTo("1234");
        assertThat(u.param("USER")).isEqualTo("phone");
        assertThat(u.params()).containsExactly(Map.entry("user", "phone"));

        u = consume("sip:atlanta.com;method=REGISTER;lr?to=alice%40atlanta.com&x=1", MODE_REQUEST_URI);
        assertThat(u.user()).isNull();
        assertThat(u.host()).isEqualTo("atlanta.com");
        assertThat(u.param("method")).isEqualTo("REGISTER");
        assertThat(u.param("lr")).isEqualTo("");
        assertThat(u.param("maddr")).isNull();
        assertThat(u.headers()).isEqualTo("to=alice%40atlanta.com&x=1");
        assertThat(u.raw()).isEqualTo("sip:atlanta.com;method=REGISTER;lr?to=alice%40atlanta.com&x=1");

        u = consume("sip:bob@biloxi.com;transport=udp>", MODE_BRACKETED);
        assertThat(u.raw()).isEqualTo("sip:bob@biloxi.com;transport=udp");
        assertThat(u.param("transport")).isEqualTo("udp");
    }

    @Test
    void ipv6() throws Exception {
        SipUri u = consume("sip:[2001:db8::1]:5060;transport=udp", MODE_REQUEST_URI);
        assertThat(u.host()).isEqualTo("2001:db8::1");
        assertThat(u.isIpv6()).isTrue();
        assertThat(u.port()).isEqualTo(5060);
        assertThat(u.bareIpv6()).isFalse();

        u = consume("sip:alice@[::1]>", MODE_BRACKETED);
        assertThat(u.host()).isEqualTo("::1");
        assertThat(u.port()).isEqualTo(-1);

        // without brackets (heplify-sip_ipv6_udp.pcap): nine groups end in the port
        u = consume("sip:9876@fe80:0:0:0:21a:a0ff:fe07:32e0:5060>", MODE_BRACKETED);
        assertThat(u.host()).isEqualTo("fe80:0:0:0:21a:a0ff:fe07:32e0");
        assertThat(u.port()).isEqualTo(5060);
        assertThat(u.isIpv6()).isTrue();
        assertThat(u.bareIpv6()).isTrue();
        assertUri("sip:4321@fec0:0:0:0:216:d3ff:fe0d:22c;tag=x", MODE_ADDR_SPEC, "sip", "4321",
                "fec0:0:0:0:216:d3ff:fe0d:22c", -1, ";tag=x");
        assertUri("sip:fe80::1", MODE_REQUEST_URI, "sip", null, "fe80::1", -1, "");
        // one colon is host:port, not IPv6
        assertThat(consume("sip:abc:5060", MODE_REQUEST_URI).isIpv6()).isFalse();
    }

    @Test
    void telAndOtherSchemes() throws Exception {
        assertUri("tel:+1-201-555-0123", MODE_REQUEST_URI, "tel", "+1-201-555-0123", null, -1, "");
        SipUri u = consume("tel:7042;phone-context=example.com>", MODE_BRACKETED);
        assertThat(u.isTel()).isTrue();
        assertThat(u.user()).isEqualTo("7042");
        assertThat(u.param("phone-context")).isEqualTo("example.com");

        u = consume("urn:service:sos", MODE_REQUEST_URI);
        assertThat(u.scheme()).isEqualTo("urn");
        assertThat(u.raw()).isEqualTo("urn:service:sos");
        assertThat(u.host()).isNull();
        assertThat(u.isSip()).isFalse();
        assertThat(consume("HTTPS://x.example/a>", MODE_BRACKETED).scheme()).isEqualTo("https");
    }

    @Test
    void schemesAreSharedConstants() throws Exception {
        assertThat(consume("SIPS:a@b", MODE_REQUEST_URI).scheme()).isSameAs(SipUri.SIPS);
        assertThat(consume("Tel:1", MODE_REQUEST_URI).scheme()).isSameAs(SipUri.TEL);
    }

    @Test
    void failuresReportTheExactOffset() {
        assertUriError("", MODE_REQUEST_URI, 0, "expected URI scheme");
        assertUriError("alice@atlanta.com", MODE_REQUEST_URI, 5, "expected ':' after URI scheme");
        assertUriError("sip:", MODE_REQUEST_URI, 4, "expected host");
        assertUriError("sip:@host", MODE_REQUEST_URI, 4, "empty user part");
        assertUriError("sip:alice@", MODE_REQUEST_URI, 10, "expected host");
        assertUriError("sip:alice@host:", MODE_REQUEST_URI, 15, "invalid port");
        assertUriError("sip:alice@host:99999", MODE_REQUEST_URI, 15, "invalid port");
        assertUriError("sip:alice@host:123456", MODE_REQUEST_URI, 15, "invalid port");
        assertUriError("sip:[::1", MODE_REQUEST_URI, 8, "expected ']'");
        assertUriError("sip:[]", MODE_REQUEST_URI, 5, "expected IPv6 address");
        assertUriError("sip:alice@host;=x", MODE_REQUEST_URI, 15, "expected URI parameter name");
        assertUriError("tel:", MODE_REQUEST_URI, 4, "empty telephone number");
        assertUriError("sip:alice@host>", MODE_REQUEST_URI, 14, "unexpected '>' in URI");
        assertUriError("sip:alice@ho$t>", MODE_BRACKETED, 12, "unexpected '$' in URI");
        assertUriError("sip:bob@biloxi.com?x=1", MODE_ADDR_SPEC, 18, "unexpected '?' in URI");
        assertUriError("urn:", MODE_REQUEST_URI, 4, "empty urn URI");
    }

    @Test
    void parseRejectsLeftovers() {
        assertThatThrownBy(() -> SipUri.parse("sip:alice@ho st"))
                .isInstanceOf(SipParseException.class)
                .hasMessageContaining("after URI")
                .extracting(e -> ((SipParseException) e).errorOffset()).isEqualTo(12);
    }

    // ------------------------------------------------------------------ helpers

    private static SipUri consume(String input, int mode) throws SipParseException {
        return SipUri.consume(SipReader.of(input), mode);
    }

    private static void assertUri(String input, int mode, String scheme, String user, String host, int port,
                                  String leftover) throws SipParseException {
        SipReader r = SipReader.of(input);
        SipUri u = SipUri.consume(r, mode);
        assertThat(u.scheme()).as(input).isEqualTo(scheme);
        assertThat(u.user()).as(input).isEqualTo(user);
        assertThat(u.host()).as(input).isEqualTo(host);
        assertThat(u.port()).as(input).isEqualTo(port);
        assertThat(r.leftover()).as(input).isEqualTo(leftover);
        assertThat(u.raw()).as(input).isEqualTo(input.substring(0, input.length() - leftover.length()));
    }

    private static void assertUriError(String input, int mode, int offset, String message) {
        SipReader r = SipReader.of(input);
        assertThatThrownBy(() -> SipUri.consume(r, mode))
                .as(input)
                .isInstanceOf(SipParseException.class)
                .hasMessageContaining(message)
                .extracting(e -> ((SipParseException) e).errorOffset()).isEqualTo(offset);
    }
}
