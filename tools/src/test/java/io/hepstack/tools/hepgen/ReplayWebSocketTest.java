package io.hepstack.tools.hepgen;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepstack.collector.hep.HepDecoder;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.pcap.TcpPcapBuilder;
import io.hepstack.collector.pcap.WebSocketFrames;
import io.hepstack.collector.pcap.WsFrame;
import io.hepstack.collector.pcap.WsSipSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code replay} of a SIP-over-WebSocket capture: one HEP3 SIP packet per WebSocket message. */
class ReplayWebSocketTest {

    @Test
    void webSocketSipIsReplayedAsSipHepPackets(@TempDir Path dir) throws Exception {
        WsSipSession session = new WsSipSession();
        Path pcap = dir.resolve("ws.pcap");
        Files.write(pcap, session.pcap);

        Map<String, Long> skipped = new TreeMap<>();
        List<byte[]> packets = ReplayCommand.hepPackets(pcap, 9060, 2999L, "replay", "key", skipped);

        HepDecoder decoder = new HepDecoder();
        List<HepPacket> hep = new ArrayList<>();
        for (byte[] b : packets) {
            hep.add(decoder.decode(b, 0, b.length));
        }
        assertThat(hep).hasSize(session.expected.size());
        for (int i = 0; i < hep.size(); i++) {
            HepPacket h = hep.get(i);
            WsSipSession.Expected e = session.expected.get(i);
            assertThat(h.payload).as("message %d", i).isEqualTo(e.sip());
            assertThat(h.protoType).isEqualTo(HepPacket.PROTO_SIP);
            assertThat(h.ipProtocol).isEqualTo(6);
            assertThat(h.ipFamily).isEqualTo(HepPacket.AF_INET);
            assertThat(h.srcIp).isEqualTo(e.fromClient() ? WsSipSession.CLIENT : WsSipSession.SERVER);
            assertThat(h.dstIp).isEqualTo(e.fromClient() ? WsSipSession.SERVER : WsSipSession.CLIENT);
            assertThat(h.srcPort).isEqualTo(e.fromClient() ? WsSipSession.CLIENT_PORT : WsSipSession.SERVER_PORT);
            assertThat(h.dstPort).isEqualTo(e.fromClient() ? WsSipSession.SERVER_PORT : WsSipSession.CLIENT_PORT);
            assertThat(h.timeSeconds * 1_000_000L + h.timeMicros).isEqualTo(e.micros());
            assertThat(h.captureId).isEqualTo(2999L);
            assertThat(h.nodeName).isEqualTo("replay");
            // the 64 KiB+ MESSAGE does not fit HEP3 as it is: it goes gzipped (chunk 0x0010)
            assertThat(h.payloadWasCompressed).isEqualTo(e.sip().length > 65535);
        }
        assertThat(skipped).isEqualTo(Map.of(WebSocketFrames.CONTROL, 4L));
        assertThat(ReplayCommand.skipText(skipped)).isEqualTo("ws_control_frame=4");
    }

    @Test
    void aMessageTooLargeForHepEvenGzippedIsCounted(@TempDir Path dir) throws Exception {
        TcpPcapBuilder b = new TcpPcapBuilder();
        TcpPcapBuilder.Connection c = b.connection(WsSipSession.CLIENT, 5000, WsSipSession.SERVER, 80);
        c.handshake(WsSipSession.T0);
        c.client(WsSipSession.T0 + 1000, WsSipSession.ascii("GET / HTTP/1.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Protocol: sip\r\n\r\n"));
        byte[] noise = new byte[70_000];
        new java.util.Random(1).nextBytes(noise);
        byte[] frames = WsFrame.concat(WsFrame.frame(true, WsFrame.BINARY, noise, new byte[]{9, 9, 9, 9}),
                WsFrame.frame(true, WsFrame.TEXT, WsSipSession.ascii("OPTIONS sip:a SIP/2.0\r\n\r\n"), new byte[]{9, 9, 9, 9}));
        for (int off = 0; off < frames.length; off += 20_000) {
            c.client(WsSipSession.T0 + 2000 + off, java.util.Arrays.copyOfRange(frames, off, Math.min(frames.length, off + 20_000)));
        }
        Path pcap = dir.resolve("big.pcap");
        Files.write(pcap, b.bytes());
        Map<String, Long> skipped = new TreeMap<>();
        List<byte[]> packets = ReplayCommand.hepPackets(pcap, 9060, 1L, "n", null, skipped);
        assertThat(packets).hasSize(1);
        assertThat(skipped).isEqualTo(Map.of(ReplayCommand.HEP_TOO_LARGE, 1L));
    }

    @Test
    void rawSipOverTcpCapturesAreReplayedAsBefore() throws Exception {
        Map<String, Long> skipped = new TreeMap<>();
        List<byte[]> packets = ReplayCommand.hepPackets(Path.of("../testdata/pcap/pkts-fragmented_tcp_sip.pcap"), 9060,
                2999L, "replay", null, skipped);
        assertThat(packets).isNotEmpty();
        assertThat(skipped).isEmpty();
    }
}
