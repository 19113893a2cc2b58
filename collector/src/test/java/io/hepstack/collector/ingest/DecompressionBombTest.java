package io.hepstack.collector.ingest;

import io.hepstack.collector.hep.HepEncoder;
import io.hepstack.collector.hep.HepPacket;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Attack: a HEP packet whose compressed payload (chunk 0x0010) inflates to 16 MB. */
class DecompressionBombTest {

    @Test
    void aCompressedPayloadInflatingPastTheCapIsRejectedAndCounted() throws Exception {
        HepListenerConfig config = new HepListenerConfig();
        assertThat(config.maxDecompressedPayload).as("the default cap").isEqualTo(128 << 10);
        HepPacket bomb = Listening.packet(1, null, new byte[16 << 20]); // zeros compress ~1000:1
        byte[] wire = new HepEncoder(HepEncoder.Compression.GZIP).encode(bomb);
        assertThat(wire.length).as("fits one datagram").isLessThan(65_000);
        HepPacket fine = Listening.packet(2, null, "OPTIONS sip:a@b SIP/2.0\r\n\r\n".repeat(100).getBytes(StandardCharsets.UTF_8));
        byte[] ok = new HepEncoder(HepEncoder.Compression.GZIP).encode(fine);
        try (Listening l = new Listening(config); DatagramSocket s = new DatagramSocket()) {
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", l.listeners.udpPort());
            s.send(new DatagramPacket(wire, wire.length, to));
            s.send(new DatagramPacket(ok, ok.length, to));
            assertThat(l.awaitAccepted(1)).extracting(m -> m.hep.captureId).containsExactly(2L);
            assertThat(l.meter("hep.udp.rejected.payload_too_large")).isEqualTo(1);
            assertThat(l.accepted.get(0).hep.payload).hasSize(fine.payload.length);
        }
    }
}
