package io.hepstack.collector.protocol.sip;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SipStreamFramerTest {

    private static final String M1 = SipParserTest.INVITE;
    private static final String M2 = SipParserTest.OK;
    private static final String M3 = "ACK sip:bob@192.0.2.4 SIP/2.0\r\nl: 5\r\nCall-ID: x\r\n\r\nhello";

    private final SipStreamFramer framer = new SipStreamFramer();

    @Test
    void splitsAtContentLengthAndSkipsKeepAlives() throws Exception {
        String stream = "\r\n\r\n" + M1 + "\r\n" + M2 + M3 + "\r\n\r\n" + M1.substring(0, 40);
        byte[] b = bytes(stream);
        SipStreamFramer.Frames f = framer.split(b, 0, b.length);
        assertThat(texts(b, f.frames())).containsExactly(M1, M2, M3);
        assertThat(f.frames().get(0).offset()).isEqualTo(4);
        assertThat(new String(b, f.remainderOffset(), f.remainderLength(), StandardCharsets.UTF_8))
                .isEqualTo(M1.substring(0, 40));
        assertThat(f.remainderOffset() + f.remainderLength()).isEqualTo(b.length);
    }

    @Test
    void everySplitPointGivesTheSameMessages() throws Exception {
        // a TCP read may end anywhere: feed the first k bytes, keep the remainder, add the rest
        byte[] all = bytes(M1 + M2 + "\r\n\r\n" + M3);
        for (int k = 0; k <= all.length; k++) {
            List<String> got = new ArrayList<>();
            SipStreamFramer.Frames first = framer.split(all, 0, k);
            got.addAll(texts(all, first.frames()));
            ByteArrayOutputStream rest = new ByteArrayOutputStream();
            rest.write(all, first.remainderOffset(), first.remainderLength());
            rest.write(all, k, all.length - k);
            byte[] second = rest.toByteArray();
            SipStreamFramer.Frames f2 = framer.split(second, 0, second.length);
            got.addAll(texts(second, f2.frames()));
            assertThat(got).as("split at " + k).containsExactly(M1, M2, M3);
            assertThat(f2.remainderLength()).as("split at " + k).isZero();
        }
    }

    @Test
    void framesAreParseable() throws Exception {
        byte[] b = bytes(M2 + M1);
        SipParser parser = new SipParser();
        List<SipMessage> out = new ArrayList<>();
        for (SipStreamFramer.Frame f : framer.split(b, 0, b.length).frames()) {
            out.add(parser.parse(b, f.offset(), f.length()));
        }
        assertThat(out).extracting(SipMessage::toString).containsExactly("SIP/2.0 200 OK", "INVITE sip:bob@biloxi.com");
        assertThat(out.get(1).bodyLength()).isEqualTo(15);
        assertThat(out.get(1).problems()).isEmpty();
    }

    @Test
    void offsetsIntoALargerArrayAndNoContentLength() throws Exception {
        String noLength = "OPTIONS sip:x SIP/2.0\r\nCall-ID: y\r\n\r\n";
        byte[] b = bytes("junk" + noLength + noLength + "tail");
        SipStreamFramer.Frames f = framer.split(b, 4, b.length - 8);
        assertThat(f.frames()).containsExactly(new SipStreamFramer.Frame(4, noLength.length()),
                new SipStreamFramer.Frame(4 + noLength.length(), noLength.length()));
        assertThat(f.remainderLength()).isZero();
        assertThat(f.remainderOffset()).isEqualTo(b.length - 4);
        // empty input, only keep-alives
        assertThat(framer.split(new byte[0], 0, 0).frames()).isEmpty();
        SipStreamFramer.Frames ka = framer.split(bytes("\r\n\r\n\r\n"), 0, 6);
        assertThat(ka.frames()).isEmpty();
        assertThat(ka.remainderLength()).isZero();
    }

    @Test
    void streamsThatCannotBeFramed() throws Exception {
        byte[] bad = bytes("INVITE sip:x SIP/2.0\r\nContent-Length: 12x\r\n\r\n");
        assertThatThrownBy(() -> framer.split(bad, 0, bad.length))
                .isInstanceOf(SipParseException.class)
                .hasMessageContaining("Content-Length is not a number")
                .extracting(e -> ((SipParseException) e).errorOffset()).isEqualTo(38);

        SipStreamFramer small = new SipStreamFramer(64, 100);
        byte[] big = bytes("INVITE sip:x SIP/2.0\r\nContent-Length: 101\r\n\r\n");
        assertThatThrownBy(() -> small.split(big, 0, big.length))
                .hasMessageContaining("Content-Length 101 above the limit of 100")
                .extracting(e -> ((SipParseException) e).errorOffset()).isEqualTo(0);
        byte[] endless = new byte[200];
        Arrays.fill(endless, (byte) 'a');
        assertThatThrownBy(() -> small.split(endless, 0, endless.length))
                .hasMessageContaining("no end of the header block within 64 bytes")
                .extracting(e -> ((SipParseException) e).errorOffset()).isEqualTo(64);
        // below the limit it is simply incomplete
        assertThat(small.split(endless, 0, 63).remainderLength()).isEqualTo(63);

        assertThatThrownBy(() -> new SipStreamFramer(8, 10)).hasMessageContaining("maxHeaderBytes must be at least 16: 8");
        assertThatThrownBy(() -> new SipStreamFramer(64, -1)).hasMessageContaining("maxBodyBytes must not be negative: -1");
    }

    private static List<String> texts(byte[] b, List<SipStreamFramer.Frame> frames) {
        List<String> out = new ArrayList<>();
        for (SipStreamFramer.Frame f : frames) {
            out.add(new String(b, f.offset(), f.length(), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
