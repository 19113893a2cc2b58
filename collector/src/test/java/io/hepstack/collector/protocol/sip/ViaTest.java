package io.hepstack.collector.protocol.sip;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Table-driven: transport, sent-by, branch and the leftover after one via-parm. */
class ViaTest {

    @Test
    void viaParms() throws Exception {
        assertVia("SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds", "UDP", "pc33.atlanta.com", -1, "z9hG4bK776asdhds", "");
        assertVia("SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK1;received=192.0.2.207;rport=5061", "TCP", "192.0.2.1", 5060, "z9hG4bK1", "");
        assertVia("SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bKasudf;rport", "WSS", "df7jal23ls0d.invalid", -1, "z9hG4bKasudf", "");
        assertVia("SIP/2.0/UDP a.com;branch=1, SIP/2.0/TCP b.com:5061;branch=2", "UDP", "a.com", -1, "1", ", SIP/2.0/TCP b.com:5061;branch=2");
        assertVia("SIP/2.0/SCTP 10.249.30.11:5060;branch=z9hG4bKXfVD0C87Be5AV626;yop=00.00.08D69D07.0000.7008", "SCTP",
                "10.249.30.11", 5060, "z9hG4bKXfVD0C87Be5AV626", "");
        // RFC 4475 style white space around every separator
        assertVia("SIP / 2.0 / UDP first.example.com: 4000;ttl=16 ;maddr=224.2.0.1 ; branch=z9hG4bKa7c6a8dlze.1", "UDP",
                "first.example.com", 4000, "z9hG4bKa7c6a8dlze.1", "");
        assertVia("SIP/2.0/UDP [2001:db8::9:1]:5060;branch=z9hG4bK1;rport ,SIP/2.0/UDP x", "UDP", "2001:db8::9:1", 5060, "z9hG4bK1", ",SIP/2.0/UDP x");
        assertVia("SIP/2.0/UDP fe80:0:0:0:21a:a0ff:fe07:32e0:5060;branch=z9hG4bKkdjuw8376", "UDP",
                "fe80:0:0:0:21a:a0ff:fe07:32e0", 5060, "z9hG4bKkdjuw8376", "");
    }

    @Test
    void receivedRportAndParams() throws Exception {
        Via v = Via.parse("SIP/2.0/UDP 10.0.0.1:5060;received=192.0.2.7;rport=40001;branch=z9hG4bK-1;ttl=3");
        assertThat(v.protocol()).isEqualTo("SIP/2.0");
        assertThat(v.received()).isEqualTo("192.0.2.7");
        assertThat(v.hasRport()).isTrue();
        assertThat(v.rport()).isEqualTo(40001);
        assertThat(v.param("TTL")).isEqualTo("3");
        assertThat(v.params()).containsKeys("received", "rport", "branch", "ttl");

        v = Via.parse("SIP/2.0/UDP 10.0.0.1;rport;branch=z9hG4bK-2");
        assertThat(v.hasRport()).isTrue();
        assertThat(v.rport()).isEqualTo(-1);
        assertThat(v.received()).isNull();

        v = Via.parse("SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-3");
        assertThat(v.hasRport()).isFalse();
        assertThat(v.isIpv6()).isFalse();

        v = Via.parse("SIP/2.0/TLS [::1]:5061;branch=z9hG4bK-4");
        assertThat(v.isIpv6()).isTrue();
        assertThat(v.bareIpv6()).isFalse();
        assertThat(v.raw()).isEqualTo("SIP/2.0/TLS [::1]:5061;branch=z9hG4bK-4");
    }

    @Test
    void failuresReportTheExactOffset() {
        assertError("/2.0/UDP host", 0, "expected protocol name");
        assertError("SIP/2.0 UDP host", 8, "expected '/'");
        assertError("SIP/2.0/UDP", 11, "expected white space after transport");
        assertError("SIP/2.0/UDP ;branch=1", 12, "expected host");
        assertError("SIP/2.0/UDP host:abc", 17, "invalid port");
        assertError("SIP/2.0/UDP host junk", 17, "unexpected 'j' in Via");
        assertError("SIP/2.0/UDP host;branch=\"z9", 24, "unterminated quoted string");
        assertError("SIP/2.0/UDP [::1;branch=1", 16, "expected ']'");
    }

    private static void assertVia(String input, String transport, String host, int port, String branch, String leftover)
            throws SipParseException {
        SipReader r = SipReader.of(input);
        Via v = Via.consume(r);
        assertThat(v.transport()).as(input).isEqualTo(transport);
        assertThat(v.host()).as(input).isEqualTo(host);
        assertThat(v.port()).as(input).isEqualTo(port);
        assertThat(v.branch()).as(input).isEqualTo(branch);
        assertThat(r.leftover()).as(input).isEqualTo(leftover);
    }

    private static void assertError(String input, int offset, String message) {
        SipReader r = SipReader.of(input);
        assertThatThrownBy(() -> Via.consume(r))
                .as(input)
                .isInstanceOf(SipParseException.class)
                .hasMessageContaining(message)
                .extracting(e -> ((SipParseException) e).errorOffset()).isEqualTo(offset);
    }
}
