package io.hepstack.collector.pcap;

import static io.hepstack.collector.pcap.WsFrame.concat;
import static io.hepstack.collector.pcap.WsFrame.frame;
import static io.hepstack.collector.pcap.WsSipSession.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class WebSocketFramesTest {

    private static final WsSipSession SESSION = new WsSipSession();
    private static final byte[] MASK = {1, 2, 3, 4};

    private static final String REQUEST = "GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: sip\r\nSec-WebSocket-Version: 13\r\n\r\n";
    private static final String ANSWER = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: sip\r\n\r\n";

    private static List<TcpStreamReassembler.Stream> sessionStreams() {
        return TcpStreamReassembler.reassemble(PcapReader.read(SESSION.pcap));
    }

    @Test
    void importsEverySipMessageOfTheSessionInOrderWithAddressesAndTimes() {
        WebSocketFrames.Result r = WebSocketFrames.extract(sessionStreams());

        assertThat(r.messages()).hasSize(SESSION.expected.size());
        for (int i = 0; i < r.messages().size(); i++) {
            WebSocketFrames.Message m = r.messages().get(i);
            WsSipSession.Expected e = SESSION.expected.get(i);
            assertThat(m.payload()).as("message %d", i).isEqualTo(e.sip());
            assertThat(m.frameNumber()).as("frame of message %d", i).isEqualTo(e.frame());
            assertThat(m.timestampMicros()).as("time of message %d", i).isEqualTo(e.micros());
            assertThat(m.srcIp()).isEqualTo(e.fromClient() ? WsSipSession.CLIENT : WsSipSession.SERVER);
            assertThat(m.dstIp()).isEqualTo(e.fromClient() ? WsSipSession.SERVER : WsSipSession.CLIENT);
            assertThat(m.srcPort()).isEqualTo(e.fromClient() ? WsSipSession.CLIENT_PORT : WsSipSession.SERVER_PORT);
            assertThat(m.dstPort()).isEqualTo(e.fromClient() ? WsSipSession.SERVER_PORT : WsSipSession.CLIENT_PORT);
        }
        assertThat(r.messages().get(5).payload().length).isGreaterThan(65536);
        assertThat(r.messages().get(6).text()).isFalse();
        // ping, pong and the two closes
        assertThat(r.skipped()).isEqualTo(Map.of(WebSocketFrames.CONTROL, 4L));
        assertThat(r.streamKeys()).containsExactlyInAnyOrder("10.0.0.1:51000>10.0.0.2:8443", "10.0.0.2:8443>10.0.0.1:51000");
    }

    @Test
    void segmentsOutOfOrderAndRetransmittedGiveTheSameMessages() {
        List<PcapPacket> packets = new ArrayList<>(PcapReader.read(SESSION.pcap));
        // swap the two segments of the split INVITE fragment, and retransmit the first of them
        int i = 0;
        while (packets.get(i).payload().length == 0 || packets.get(i).payload()[0] != 0x01) {
            i++;
        }
        PcapPacket first = packets.get(i);
        packets.set(i, packets.get(i + 1));
        packets.set(i + 1, first);
        packets.add(i + 2, first);
        WebSocketFrames.Result r = WebSocketFrames.extract(TcpStreamReassembler.reassemble(packets));
        assertThat(r.messages()).extracting(m -> new String(m.payload()))
                .containsExactlyElementsOf(SESSION.expected.stream().map(e -> new String(e.sip())).toList());
    }

    @Test
    void everyPrefixOfEitherDirectionIsHandledAndYieldsAPrefixOfTheMessages() {
        List<TcpStreamReassembler.Stream> full = sessionStreams();
        assertThat(full).hasSize(2);
        for (int side = 0; side < 2; side++) {
            TcpStreamReassembler.Stream s = full.get(side);
            TcpStreamReassembler.Stream other = full.get(1 - side);
            List<byte[]> all = WebSocketFrames.extract(List.of(s)).messages().stream()
                    .map(WebSocketFrames.Message::payload).toList();
            assertThat(all).isNotEmpty();
            for (int len = 0; len <= s.bytes().length; len++) {
                TcpStreamReassembler.Stream cut = new TcpStreamReassembler.Stream(s.key(), s.firstTimestampMicros(),
                        Arrays.copyOf(s.bytes(), len), s.srcIp(), s.dstIp(), s.srcPort(), s.dstPort(), s.segmentEnds(),
                        s.segmentMicros(), s.segmentFrames());
                WebSocketFrames.Result[] r = new WebSocketFrames.Result[1];
                assertThatCode(() -> r[0] = WebSocketFrames.extract(List.of(cut, other))).as("prefix %d", len)
                        .doesNotThrowAnyException();
                List<byte[]> got = r[0].messages().stream().filter(m -> m.srcPort() == s.srcPort())
                        .map(WebSocketFrames.Message::payload).toList();
                assertThat(got.size()).as("prefix %d", len).isLessThanOrEqualTo(all.size());
                for (int k = 0; k < got.size(); k++) {
                    assertThat(got.get(k)).as("prefix %d message %d", len, k).isEqualTo(all.get(k));
                }
            }
        }
    }

    @Test
    void randomGarbageAfterTheHandshakeIsCountedNeverThrown() {
        Random random = new Random(7118);
        for (int i = 0; i < 2000; i++) {
            byte[] garbage = new byte[random.nextInt(300)];
            random.nextBytes(garbage);
            WebSocketFrames.Result[] r = new WebSocketFrames.Result[1];
            assertThatCode(() -> r[0] = WebSocketFrames.extract(pair(concat(ascii(REQUEST), garbage), ascii(ANSWER))))
                    .doesNotThrowAnyException();
            assertThat(r[0].streamKeys()).hasSize(2);
            for (WebSocketFrames.Message m : r[0].messages()) {
                assertThat(m.payload().length).isPositive().isLessThanOrEqualTo(WebSocketFrames.MAX_MESSAGE);
            }
        }
        // and garbage where the handshake would be: not WebSocket at all, nothing claimed
        for (int i = 0; i < 500; i++) {
            byte[] garbage = new byte[random.nextInt(300)];
            random.nextBytes(garbage);
            assertThat(WebSocketFrames.extract(pair(garbage, garbage)).streamKeys()).isEmpty();
        }
    }

    @Test
    void badFramesStopTheStreamWithACount() {
        byte[] sip = ascii("OPTIONS sip:a SIP/2.0\r\n\r\n");
        byte[] good = frame(true, WsFrame.TEXT, sip, MASK);
        byte[][] bad = {
            {(byte) 0xA1, 0x00},                        // RSV2
            {(byte) 0x83, 0x00},                        // opcode 3
            {(byte) 0x80, 0x00},                        // continuation with nothing to continue
            {(byte) 0x09, 0x00},                        // fragmented ping
            {(byte) 0x89, 126, 0, (byte) 200},          // ping of 200 bytes
            {(byte) 0x81, 127, (byte) 0x80, 0, 0, 0, 0, 0, 0, 1}, // 64-bit length with its top bit set
        };
        for (byte[] b : bad) {
            WebSocketFrames.Result r = WebSocketFrames.extract(pair(concat(ascii(REQUEST), good, b, good), ascii(ANSWER)));
            assertThat(r.messages()).as(Arrays.toString(b)).hasSize(1);
            assertThat(r.skipped()).as(Arrays.toString(b)).isEqualTo(Map.of(WebSocketFrames.BAD_FRAME, 1L));
        }
    }

    @Test
    void messagesThatAreNotImportedAreCountedAndTheNextOneIsImported() {
        byte[] sip = ascii("OPTIONS sip:a SIP/2.0\r\n\r\n");
        byte[] good = frame(true, WsFrame.TEXT, sip, MASK);
        byte[] half = new byte[600 * 1024];
        Object[][] cases = {
            {concat(frame(false, WsFrame.TEXT, half, MASK), frame(true, WsFrame.CONTINUATION, half, MASK)), WebSocketFrames.OVERSIZE},
            {frame(true, WsFrame.TEXT, new byte[WebSocketFrames.MAX_MESSAGE + 1], null), WebSocketFrames.OVERSIZE},
            {concat(new byte[]{(byte) 0xC1, 3}, ascii("abc")), WebSocketFrames.COMPRESSED},
            {frame(true, WsFrame.TEXT, new byte[0], MASK), WebSocketFrames.EMPTY},
            {frame(false, WsFrame.TEXT, ascii("INVITE"), MASK), WebSocketFrames.INTERRUPTED},
        };
        for (Object[] c : cases) {
            WebSocketFrames.Result r = WebSocketFrames.extract(pair(concat(ascii(REQUEST), good, (byte[]) c[0], good), ascii(ANSWER)));
            assertThat(r.messages()).as((String) c[1]).hasSize(2);
            assertThat(r.messages()).allSatisfy(m -> assertThat(m.payload()).isEqualTo(sip));
            assertThat(r.skipped()).isEqualTo(Map.of((String) c[1], 1L));
        }
    }

    @Test
    void truncationsAndDataAfterCloseAreCounted() {
        byte[] sip = ascii("OPTIONS sip:a SIP/2.0\r\n\r\n");
        byte[] good = frame(true, WsFrame.TEXT, sip, MASK);
        // a frame announcing 2^40 bytes that the stream does not hold
        byte[] huge = {(byte) 0x81, 127, 0, 0, 1, 0, 0, 0, 0, 0, 'x'};
        assertThat(WebSocketFrames.extract(pair(concat(ascii(REQUEST), good, huge), ascii(ANSWER))).skipped())
                .isEqualTo(Map.of(WebSocketFrames.OVERSIZE, 1L));
        // a fragmented message whose last fragment never came
        assertThat(WebSocketFrames.extract(pair(concat(ascii(REQUEST), good, frame(false, WsFrame.TEXT, sip, MASK)),
                ascii(ANSWER))).skipped()).isEqualTo(Map.of(WebSocketFrames.TRUNCATED, 1L));
        // a frame cut short
        assertThat(WebSocketFrames.extract(pair(concat(ascii(REQUEST), Arrays.copyOf(good, good.length - 1)),
                ascii(ANSWER))).skipped()).isEqualTo(Map.of(WebSocketFrames.TRUNCATED, 1L));
        // a handshake cut short: the client side is truncated, the server side still imported
        WebSocketFrames.Result r = WebSocketFrames.extract(pair(ascii(REQUEST.substring(0, 60)),
                concat(ascii(ANSWER), frame(true, WsFrame.TEXT, sip, null))));
        assertThat(r.skipped()).isEqualTo(Map.of(WebSocketFrames.TRUNCATED, 1L));
        assertThat(r.messages()).hasSize(1);
        // bytes after a close
        byte[] close = frame(true, WsFrame.CLOSE, new byte[0], MASK);
        assertThat(WebSocketFrames.extract(pair(concat(ascii(REQUEST), good, close, good), ascii(ANSWER))).skipped())
                .isEqualTo(Map.of(WebSocketFrames.CONTROL, 1L, WebSocketFrames.AFTER_CLOSE, 1L));
    }

    @Test
    void handshakesWithoutSipOrRefusedAreCountedPerDirection() {
        byte[] frames = frame(true, WsFrame.TEXT, ascii("{\"hello\":1}"), MASK);
        WebSocketFrames.Result chat = WebSocketFrames.extract(pair(
                concat(ascii(REQUEST.replace("Protocol: sip", "Protocol: chat, superchat")), frames),
                ascii(ANSWER.replace("Protocol: sip", "Protocol: chat"))));
        assertThat(chat.messages()).isEmpty();
        assertThat(chat.skipped()).isEqualTo(Map.of(WebSocketFrames.NOT_SIP, 2L));
        assertThat(chat.streamKeys()).hasSize(2);

        WebSocketFrames.Result noProtocol = WebSocketFrames.extract(pair(
                concat(ascii(REQUEST.replace("Sec-WebSocket-Protocol: sip\r\n", "")), frames),
                ascii(ANSWER.replace("Sec-WebSocket-Protocol: sip\r\n", ""))));
        assertThat(noProtocol.skipped()).isEqualTo(Map.of(WebSocketFrames.NOT_SIP, 2L));

        WebSocketFrames.Result refused = WebSocketFrames.extract(pair(concat(ascii(REQUEST), frames),
                ascii("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")));
        assertThat(refused.messages()).isEmpty();
        assertThat(refused.skipped()).isEqualTo(Map.of(WebSocketFrames.REFUSED, 2L));
    }

    @Test
    void oneDirectionCapturesAreImported() {
        byte[] sip = ascii("OPTIONS sip:a SIP/2.0\r\n\r\n");
        WebSocketFrames.Result client = WebSocketFrames.extract(List.of(
                stream(WsSipSession.CLIENT, 5000, WsSipSession.SERVER, 80, concat(ascii(REQUEST), frame(true, 1, sip, MASK)))));
        assertThat(client.messages()).extracting(WebSocketFrames.Message::payload).containsExactly(sip);
        WebSocketFrames.Result server = WebSocketFrames.extract(List.of(
                stream(WsSipSession.SERVER, 80, WsSipSession.CLIENT, 5000, concat(ascii(ANSWER), frame(true, 1, sip, null)))));
        assertThat(server.messages()).extracting(WebSocketFrames.Message::payload).containsExactly(sip);
    }

    @Test
    void plainHttpAndSipOverTcpAreNotClaimed() throws Exception {
        assertThat(WebSocketFrames.extract(pair(ascii("GET / HTTP/1.1\r\nHost: h\r\n\r\n"),
                ascii("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))).streamKeys()).isEmpty();
        assertThat(WebSocketFrames.extract(pair(ascii("INVITE sip:a SIP/2.0\r\nContent-Length: 0\r\n\r\n"),
                ascii("SIP/2.0 100 Trying\r\nContent-Length: 0\r\n\r\n"))).streamKeys()).isEmpty();
        try (Stream<Path> files = Files.list(Path.of("../testdata/pcap"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".pcap")).toList()) {
                WebSocketFrames.Result r = WebSocketFrames.extract(TcpStreamReassembler.reassemble(PcapReader.read(f)));
                assertThat(r.streamKeys()).as(f.toString()).isEmpty();
                assertThat(r.skipped()).as(f.toString()).isEmpty();
            }
        }
    }

    private static TcpStreamReassembler.Stream stream(byte[] src, int sport, byte[] dst, int dport, byte[] bytes) {
        return new TcpStreamReassembler.Stream(TcpStreamReassembler.key(src, sport, dst, dport), 1_000_000L, bytes,
                src, dst, sport, dport, new long[]{bytes.length}, new long[]{1_000_000L}, new long[]{4});
    }

    private static List<TcpStreamReassembler.Stream> pair(byte[] clientBytes, byte[] serverBytes) {
        return List.of(stream(WsSipSession.CLIENT, 5000, WsSipSession.SERVER, 80, clientBytes),
                stream(WsSipSession.SERVER, 80, WsSipSession.CLIENT, 5000, serverBytes));
    }
}
