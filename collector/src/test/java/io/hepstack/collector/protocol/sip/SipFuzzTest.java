package io.hepstack.collector.protocol.sip;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Hostile input: random mutations of real messages, every truncation, huge lines, many headers,
 * random bytes. Parsing may fail only with {@link SipParseException}; a message that parses
 * must answer every accessor without throwing. Seeds are fixed, so a failure is reproducible.
 */
class SipFuzzTest {

    private static final byte[] SPECIAL = bytes(":;<>\"\\[]@,=?/ \t\r\n*%&");

    private final SipParser parser = new SipParser();

    @Test
    void randomMutationsOfRealMessages() {
        List<byte[]> seeds = seeds();
        Random random = new Random(20260101);
        int parsed = 0;
        int rejected = 0;
        for (int i = 0; i < 30_000; i++) {
            byte[] input = mutate(seeds.get(random.nextInt(seeds.size())), random);
            if (survive(input)) {
                parsed++;
            } else {
                rejected++;
            }
        }
        // most mutations leave a message with problems, some break the start line: both happen
        assertThat(parsed).isGreaterThan(10_000);
        assertThat(rejected).isGreaterThan(100);
    }

    @Test
    void everyTruncation() {
        for (byte[] seed : List.of(bytes(SipParserTest.INVITE), bytes(SipParserTest.OK), bytes(SdpTest.OFFER))) {
            for (int len = 0; len <= seed.length; len++) {
                survive(Arrays.copyOf(seed, len));
            }
        }
    }

    @Test
    void hugeLinesAndTooManyHeadersFailFast() {
        String longValue = "x".repeat(1 << 20);
        assertThatThrownBy(() -> parser.parse(bytes("SIP/2.0 200 OK\r\nSubject: " + longValue + "\r\n\r\n")))
                .isInstanceOf(SipParseException.class).hasMessageContaining("header line longer than 8192 bytes");
        assertThatThrownBy(() -> parser.parse(bytes("INVITE sip:" + longValue + " SIP/2.0\r\n\r\n")))
                .isInstanceOf(SipParseException.class).hasMessageContaining("start line longer than 8192 bytes");
        assertThatThrownBy(() -> parser.parse(bytes("SIP/2.0 200 OK\r\n" + "X: y\r\n".repeat(10_000) + "\r\n")))
                .isInstanceOf(SipParseException.class).hasMessageContaining("more than 256 headers");
        assertThatThrownBy(() -> parser.parse(bytes("SIP/2.0 200 OK\r\nX: y\r\n" + " z\r\n".repeat(5_000) + "\r\n")))
                .isInstanceOf(SipParseException.class).hasMessageContaining("folded header value longer than 8192 bytes");
        // long but legal: one value near the limit, many parameters, many Vias
        StringBuilder vias = new StringBuilder("SIP/2.0 200 OK\r\nVia: ");
        for (int i = 0; i < 200; i++) {
            vias.append(i == 0 ? "" : ",").append("SIP/2.0/UDP h").append(i).append(";branch=z9hG4bK").append(i);
        }
        String params = "<sip:a@b>" + ";p=1".repeat(1500);
        SipMessage m = survive(bytes(vias + "\r\nFrom: " + params + "\r\n\r\n"), true);
        assertThat(m.vias()).hasSize(200);
        assertThat(m.from().param("p")).isEqualTo("1");
    }

    @Test
    void randomBytesAndStreams() {
        Random random = new Random(7);
        SipStreamFramer framer = new SipStreamFramer(1024, 4096);
        for (int i = 0; i < 5_000; i++) {
            byte[] b = new byte[random.nextInt(600)];
            random.nextBytes(b);
            if (random.nextBoolean() && b.length > 20) {
                System.arraycopy(bytes("INVITE sip:a@b SIP/2.0\r\n"), 0, b, 0, 20); // a plausible start
            }
            survive(b);
            try {
                framer.split(b, 0, b.length);
            } catch (SipParseException expected) {
                // typed and fine
            } catch (RuntimeException e) {
                fail("framer threw " + e + " on " + HexFormat.of().formatHex(b), e);
            }
        }
        // mutated streams of real messages through framer and parser
        byte[] stream = bytes(SipParserTest.INVITE + SipParserTest.OK + "\r\n\r\n" + SipParserTest.INVITE);
        for (int i = 0; i < 5_000; i++) {
            byte[] s = mutate(stream, random);
            try {
                SipStreamFramer.Frames f = framer.split(s, 0, s.length);
                for (SipStreamFramer.Frame frame : f.frames()) {
                    survive(Arrays.copyOfRange(s, frame.offset(), frame.offset() + frame.length()));
                }
            } catch (SipParseException expected) {
                // typed and fine
            } catch (RuntimeException e) {
                fail("framer threw " + e + " on " + HexFormat.of().formatHex(s), e);
            }
        }
    }

    /** True when the input parsed; fails the test on anything but a SipParseException. */
    private boolean survive(byte[] input) {
        return survive(input, false) != null;
    }

    private SipMessage survive(byte[] input, boolean mustParse) {
        SipMessage m;
        try {
            m = parser.parse(input, 0, input.length);
        } catch (SipParseException e) {
            assertThat(e.errorOffset()).isBetween(0, input.length);
            if (mustParse) {
                fail("rejected: " + e.getMessage());
            }
            return null;
        } catch (RuntimeException e) {
            fail("parse threw " + e + " on " + HexFormat.of().formatHex(input), e);
            return null;
        }
        try {
            SipCaptureTest.touchEverything(m);
            m.method();
            m.callId();
            m.cseqNumber();
            m.from();
            m.to();
            m.vias();
            m.contacts();
            m.pAssertedIdentity();
            m.pPreferredIdentity();
            m.remotePartyId();
            m.reason();
            m.expires();
            m.maxForwards();
            m.contentLength();
            m.bodyLength();
            m.toString();
        } catch (RuntimeException e) {
            fail("accessor threw " + e + " on " + HexFormat.of().formatHex(input), e);
        }
        return m;
    }

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] b = seed;
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int at = b.length == 0 ? 0 : random.nextInt(b.length);
            switch (random.nextInt(6)) {
                case 0 -> { // overwrite with a random byte
                    if (b.length > 0) {
                        b = b.clone();
                        b[at] = (byte) random.nextInt(256);
                    }
                }
                case 1 -> { // overwrite with a separator SIP cares about
                    if (b.length > 0) {
                        b = b.clone();
                        b[at] = SPECIAL[random.nextInt(SPECIAL.length)];
                    }
                }
                case 2 -> b = insert(b, at, new byte[]{SPECIAL[random.nextInt(SPECIAL.length)]});
                case 3 -> { // delete a run
                    int n = Math.min(b.length - at, 1 + random.nextInt(8));
                    byte[] c = new byte[b.length - n];
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(b, at + n, c, at, b.length - at - n);
                    b = c;
                }
                case 4 -> { // duplicate a run
                    int n = Math.min(b.length - at, 1 + random.nextInt(40));
                    b = insert(b, at, Arrays.copyOfRange(b, at, at + n));
                }
                default -> b = Arrays.copyOf(b, at); // truncate
            }
        }
        return b;
    }

    private static byte[] insert(byte[] b, int at, byte[] what) {
        byte[] c = new byte[b.length + what.length];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(what, 0, c, at, what.length);
        System.arraycopy(b, at, c, at + what.length, b.length - at);
        return c;
    }

    private static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(bytes(SipParserTest.INVITE));
        seeds.add(bytes(SipParserTest.OK));
        seeds.add(bytes("REGISTER sip:r SIP/2.0\r\nContact: *\r\nm: \"A\\\"b\" <sip:[::1]:5060;transport=tcp>;expires=1, sip:x@y\r\n"
                + "Subject: folded\r\n  line\r\nContent-Type: multipart/mixed;boundary=b\r\n\r\n--b\r\nc: application/sdp\r\n\r\n"
                + SdpTest.OFFER + "\r\n--b--\r\n"));
        // real messages: a few of each capture kind
        for (var capture : List.of("pkts-sipp.pcap", "pkts-fragmented_tcp_sip.pcap", "pkts-cancel.pcap")) {
            var path = SipCaptures.repoTestdata().resolve("pcap").resolve(capture);
            SipCaptures.datagrams(path).stream().limit(10).forEach(p -> seeds.add(p.data()));
            SipCaptures.tcpMessages(path).stream().limit(10).forEach(p -> seeds.add(p.data()));
        }
        return seeds;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
