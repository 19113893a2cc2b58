package io.hepstack.collector.protocol.sip;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Table-driven: display name, URI, tag and the leftover after one name-addr/addr-spec. */
class NameAddressTest {

    @Test
    void forms() throws Exception {
        assertAddress("\"Bob \\\"B\\\" Smith\" <sip:bob@biloxi.com>;tag=a6c85cf", "Bob \"B\" Smith", "sip:bob@biloxi.com", "a6c85cf", "");
        assertAddress("Bob <sip:bob@biloxi.com>", "Bob", "sip:bob@biloxi.com", null, "");
        assertAddress("Bob  Smith<sip:bob@biloxi.com>;tag=1", "Bob  Smith", "sip:bob@biloxi.com", "1", "");
        assertAddress("<sip:bob@biloxi.com;user=phone>;tag=1;x", null, "sip:bob@biloxi.com;user=phone", "1", "");
        assertAddress("sip:bob@biloxi.com;tag=1", null, "sip:bob@biloxi.com", "1", "");
        assertAddress("  <sip:a@b>, <sip:c@d>", null, "sip:a@b", null, ", <sip:c@d>");
        assertAddress("sip:a@b , sip:c@d", null, "sip:a@b", null, ", sip:c@d");
        assertAddress("\"\u00dcn\u00efc\u00f6d\u00e9\" <sip:u@h>", "\u00dcn\u00efc\u00f6d\u00e9", "sip:u@h", null, "");
        assertAddress("Anonymous <sip:anonymous@anonymous.invalid>;tag=hyh8", "Anonymous", "sip:anonymous@anonymous.invalid", "hyh8", "");
        assertAddress("<tel:+14085551212;phone-context=x>;tag=9", null, "tel:+14085551212;phone-context=x", "9", "");
        assertAddress("\"\" <sip:x@y>", "", "sip:x@y", null, "");
        assertAddress("\"a\\\\b\" <sip:x@y>", "a\\b", "sip:x@y", null, "");
        assertAddress("\"sipvicious\"<sip:100@1.1.1.1>;tag=3766", "sipvicious", "sip:100@1.1.1.1", "3766", "");
        assertAddress("sip:bob@[2001:db8::10]:5070;tag=2", null, "sip:bob@[2001:db8::10]:5070", "2", "");
    }

    @Test
    void paramsBelongToTheRightOwner() throws Exception {
        // with brackets: user=phone is the URI's, tag the header's
        NameAddress a = NameAddress.parse("<sip:+4912345@x.de;user=phone>;tag=abc;X-Foo=\"quoted, value\"");
        assertThat(a.uri().param("user")).isEqualTo("phone");
        assertThat(a.param("user")).isNull();
        assertThat(a.params()).containsExactly(Map.entry("tag", "abc"), Map.entry("X-Foo", "quoted, value"));
        // without: every ;param is the header's (RFC 3261 §20.10)
        a = NameAddress.parse("sip:+4912345@x.de;user=phone;tag=abc");
        assertThat(a.uri().param("user")).isNull();
        assertThat(a.param("user")).isEqualTo("phone");
        assertThat(a.tag()).isEqualTo("abc");
    }

    @Test
    void contactParamsAndWildcard() throws Exception {
        NameAddress a = NameAddress.parse("<sip:alice@pc33.atlanta.com>;expires=3600;q=0.7;+sip.instance=\"<urn:uuid:1>\"");
        assertThat(a.expires()).isEqualTo(3600);
        assertThat(a.param("q")).isEqualTo("0.7");
        assertThat(a.param("+sip.instance")).isEqualTo("<urn:uuid:1>");
        assertThat(NameAddress.parse("<sip:a@b>;expires=soon").expires()).isEqualTo(-1);
        assertThat(NameAddress.parse("<sip:a@b>").expires()).isEqualTo(-1);

        SipReader r = SipReader.of(" * ");
        NameAddress star = NameAddress.consume(r, true);
        assertThat(star.isWildcard()).isTrue();
        assertThat(star.uri()).isNull();
        assertThat(r.leftover()).isEmpty();
        assertThat(star.raw()).isEqualTo("*");
    }

    @Test
    void controlBytesInATagAreKept() throws Exception {
        // heplify-erspan frame 22: a device writes garbage bytes at the end of its To tag
        NameAddress a = NameAddress.parse("sip:20008909@192.168.1.191:5060;tag=00E4-5af571e&Sy\u0018\u0001");
        assertThat(a.tag()).isEqualTo("00E4-5af571e&Sy\u0018\u0001");
        assertThat(a.uri().port()).isEqualTo(5060);
    }

    @Test
    void failuresReportTheExactOffset() {
        assertError("\"Bob <sip:bob@x>", 0, "unterminated quoted string");
        assertError("\"Bob\" sip:bob@x", 6, "expected '<' after display name");
        assertError("<sip:bob@x", 10, "expected '>'");
        assertError("<sip:bob@x>;", 12, "expected parameter name");
        assertError("<sip:bob@x>;tag=", 16, "expected parameter value");
        assertError("Bob sip:bob@x", 3, "expected ':' after URI scheme");
        assertError("<sip:bob@x> junk", 12, "unexpected 'j' after address");
        assertError("<>", 1, "expected URI scheme");
        assertError("<sip:alice@>;tag=1", 11, "expected host");
        assertError("*", 0, "expected URI scheme"); // the wildcard only where a Contact allows it
    }

    private static void assertAddress(String input, String display, String uri, String tag, String leftover)
            throws SipParseException {
        SipReader r = SipReader.of(input);
        NameAddress a = NameAddress.consume(r, false);
        assertThat(a.displayName()).as(input).isEqualTo(display);
        assertThat(a.uri().raw()).as(input).isEqualTo(uri);
        assertThat(a.tag()).as(input).isEqualTo(tag);
        assertThat(r.leftover()).as(input).isEqualTo(leftover);
        assertThat(a.isWildcard()).isFalse();
    }

    private static void assertError(String input, int offset, String message) {
        SipReader r = SipReader.of(input);
        assertThatThrownBy(() -> NameAddress.consume(r, false))
                .as(input)
                .isInstanceOf(SipParseException.class)
                .hasMessageContaining(message)
                .extracting(e -> ((SipParseException) e).errorOffset()).isEqualTo(offset);
    }
}
