package io.hepstack.collector.protocol.rtcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class RtcpPayloadParserTest {

    private final RtcpPayloadParser parser = new RtcpPayloadParser();

    @Test
    void jsonAndBinaryPayloadsGoToTheirParser() throws Exception {
        RtcpReport fromJson = parser.parse(" \n{\"ssrc\":7,\"type\":201}".getBytes(StandardCharsets.UTF_8));
        assertThat(fromJson.format()).isEqualTo(RtcpReport.Format.JSON);
        assertThat(fromJson.senderSsrc()).isEqualTo(7);

        RtcpReport fromBytes = parser.parse(RtcpBytes.rrOneBlock());
        assertThat(fromBytes.format()).isEqualTo(RtcpReport.Format.BINARY);
        assertThat(fromBytes.senderSsrc()).isEqualTo(0xaabbccddL);
    }

    @Test
    void emptyOrBlankPayloadIsATypedError() {
        assertThatThrownBy(() -> parser.parse(new byte[0])).isInstanceOf(RtcpParseException.class);
        assertThatThrownBy(() -> parser.parse("    ".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(RtcpParseException.class,
                        e -> assertThat(e.reason()).contains("RTCP version 0"));
        assertThatThrownBy(() -> parser.parse("{oops".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(RtcpParseException.class,
                        e -> assertThat(e.reason()).startsWith("malformed JSON"));
    }
}
