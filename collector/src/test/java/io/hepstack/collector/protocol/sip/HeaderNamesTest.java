package io.hepstack.collector.protocol.sip;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** A name given as a String is classified as its bytes are (the String path matches chars, without encoding). */
class HeaderNamesTest {

    @Test
    void aStringNameIsClassifiedAsItsBytes() {
        List<String> names = new ArrayList<>(List.of("i", "I", "f", "t", "v", "m", "l", "c", "k", "q", "z", "?", "-",
                "X-CID", "Session-ID", "session-id", "Call-Id", "CALL-ID", "call-idx", "Cal-ID", "Vía", "Ü", "To ",
                "P-Asserted-Identity", "p-asserted-identitY", "X-Asterisk-HangupCause", "x".repeat(200)));
        for (int id = 1; HeaderNames.canonical(id) != null; id++) {
            String n = HeaderNames.canonical(id);
            names.add(n);
            names.add(n.toLowerCase(Locale.ROOT));
            names.add(n.toUpperCase(Locale.ROOT));
            assertThat(HeaderNames.classify(n.toUpperCase(Locale.ROOT))).as(n).isEqualTo(id);
        }
        for (String n : names) {
            byte[] b = n.getBytes(StandardCharsets.UTF_8);
            assertThat(HeaderNames.classify(n)).as(n).isEqualTo(HeaderNames.classify(b, 0, b.length));
        }
        assertThat(HeaderNames.classify("i")).isEqualTo(HeaderNames.CALL_ID);
        assertThat(HeaderNames.classify("X-CID")).isEqualTo(HeaderNames.OTHER);
    }
}
