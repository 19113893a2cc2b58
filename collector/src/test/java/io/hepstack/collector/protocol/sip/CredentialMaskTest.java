package io.hepstack.collector.protocol.sip;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class CredentialMaskTest {

    private static String mask(String sip) {
        byte[] b = sip.getBytes(StandardCharsets.UTF_8);
        CredentialMask.mask(b, 0, b.length);
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void digestResponseIsMaskedAndTheOtherParametersStay() {
        String in = "REGISTER sip:example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\r\n"
                + "Authorization: Digest username=\"alice\", realm=\"example.com\", nonce=\"abc\", uri=\"sip:example.com\",\r\n"
                + "  response=\"6629fae49393a05397450978507c4ef1\", algorithm=MD5, qop=auth, nc=00000001, cnonce=\"x\"\r\n"
                + "Content-Length: 0\r\n\r\n";
        String out = mask(in);
        assertThat(out).hasSameSizeAs(in).doesNotContain("6629fae49393a05397450978507c4ef1")
                .contains("response=\"********************************\"")
                .contains("username=\"alice\"").contains("nonce=\"abc\"").contains("cnonce=\"x\"").contains("qop=auth");
    }

    @Test
    void proxyAuthorizationUnquotedResponseAnyCaseAndSpaces() {
        String out = mask("INVITE sip:b@x SIP/2.0\r\nproxy-AUTHORIZATION : digest Username=\"a\",Response = 0123abcd ,Realm=\"r\"\r\n\r\n");
        assertThat(out).contains("Response = ******** ,Realm=\"r\"").contains("Username=\"a\"");
    }

    @Test
    void basicAndBearerCredentialsAreMaskedWhole() {
        assertThat(mask("OPTIONS sip:x SIP/2.0\r\nAuthorization: Basic YWxpY2U6c2VjcmV0\r\n\r\n"))
                .contains("Authorization: Basic " + "*".repeat("YWxpY2U6c2VjcmV0".length()) + "\r\n");
        assertThat(mask("OPTIONS sip:x SIP/2.0\r\nAuthorization: Bearer eyJhbGciOi.x.y\r\n\r\n"))
                .contains("Authorization: Bearer " + "*".repeat("eyJhbGciOi.x.y".length()) + "\r\n");
    }

    @Test
    void otherHeadersTheChallengeAndTheBodyAreLeftAlone() {
        String in = "SIP/2.0 401 Unauthorized\r\nWWW-Authenticate: Digest realm=\"r\", nonce=\"n\"\r\nX-Authorization-Hint: response=1\r\n"
                + "Content-Length: 30\r\n\r\nAuthorization: Basic abc response=1";
        assertThat(mask(in)).isEqualTo(in);
    }

    @Test
    void truncatedAndHostileInputNeverThrows() {
        for (String s : new String[]{"", "A", "X\r\nAuthorization:", "X\r\nAuthorization: Digest response=\"abc",
                "X\r\nAuthorization: Digest ,,,==\"\"\\", "X\nAuthorization: Digest response=\\\n"}) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            CredentialMask.mask(b, 0, b.length);
        }
        assertThat(mask("X\r\nAuthorization: Digest response=\"abc")).endsWith("response=\"***");
    }
}
