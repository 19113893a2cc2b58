package io.hepstack.tools.hepgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hepstack.collector.pcap.PcapPacket;
import io.hepstack.collector.pcap.PcapReader;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class PcapWriterTest {

    @Test
    void ipv4HeaderChecksumKnownAnswer() {
        // the worked example of the IPv4 header checksum article: 45 00 00 73 00 00 40 00 40 11 [b8 61] c0 a8 00 01 c0 a8 00 c7
        byte[] h = {0x45, 0, 0, 0x73, 0, 0, 0x40, 0, 0x40, 0x11, 0, 0, (byte) 0xc0, (byte) 0xa8, 0, 1, (byte) 0xc0, (byte) 0xa8, 0,
            (byte) 0xc7};
        assertThat(PcapWriter.checksum(h, 0, 20)).isEqualTo(0xb861);
        h[10] = (byte) 0xb8;
        h[11] = 0x61;
        assertThat(PcapWriter.checksum(h, 0, 20)).as("a correct header sums to zero").isZero();
    }

    @Test
    void framesReadBackWithTheirTimesAddressesAndPayloads() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PcapWriter w = new PcapWriter(out);
        byte[] a = {127, 0, 0, 1};
        byte[] b = {10, 1, 2, 3};
        ByteBuffer direct = ByteBuffer.allocateDirect(3).put(new byte[] {7, 8, 9}).flip();
        w.writeUdp(1_767_225_600_123_456L, a, 40000, b, 9060, ByteBuffer.wrap("HEP3-one".getBytes()));
        w.writeUdp(1_767_225_601_000_001L, b, 5060, a, 5061, direct);
        assertThat(w.frames()).isEqualTo(2);
        assertThat(direct.remaining()).as("not consumed").isEqualTo(3);
        List<PcapPacket> frames = PcapReader.read(out.toByteArray());
        assertThat(frames).hasSize(2);
        PcapPacket f = frames.get(0);
        assertThat(f.timestampMicros()).isEqualTo(1_767_225_600_123_456L);
        assertThat(f.srcIp()).isEqualTo(a);
        assertThat(f.dstIp()).isEqualTo(b);
        assertThat(f.srcPort()).isEqualTo(40000);
        assertThat(f.dstPort()).isEqualTo(9060);
        assertThat(f.isUdp()).isTrue();
        assertThat(new String(f.payload())).isEqualTo("HEP3-one");
        assertThat(frames.get(1).payload()).containsExactly(7, 8, 9);
        assertThat(frames.get(1).timestampMicros()).isEqualTo(1_767_225_601_000_001L);
        byte[] file = out.toByteArray();
        assertThat(PcapWriter.checksum(file, 24 + 16 + 14, 20)).as("IPv4 checksum of frame 1").isZero();
    }

    @Test
    void badFramesAreRejected() throws Exception {
        PcapWriter w = new PcapWriter(new ByteArrayOutputStream());
        byte[] v4 = {1, 2, 3, 4};
        assertThatThrownBy(() -> w.writeUdp(0, new byte[16], 1, v4, 2, ByteBuffer.allocate(1))).hasMessageContaining("IPv4");
        assertThatThrownBy(() -> w.writeUdp(0, v4, 1, v4, 2, ByteBuffer.allocate(65_508))).hasMessageContaining("65508");
        assertThatThrownBy(() -> w.writeUdp(-5, v4, 1, v4, 2, ByteBuffer.allocate(1))).hasMessageContaining("-5");
    }
}
