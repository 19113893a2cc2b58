package io.hepstack.collector.pcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Frames written are read back by the collector's own reader (and by tshark in CallExportIT). */
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
        assertThatThrownBy(() -> w.writeUdp(0, new byte[16], 1, v4, 2, ByteBuffer.allocate(1))).hasMessageContaining("must both be IPv4 or both IPv6: 16/4");
        assertThatThrownBy(() -> w.writeUdp(0, v4, 1, v4, 2, ByteBuffer.allocate(65_508))).hasMessageContaining("65508");
        assertThatThrownBy(() -> w.write(0, 132, v4, 1, v4, 2, new byte[1])).hasMessageContaining("132");
        assertThatThrownBy(() -> w.writeUdp(-5, v4, 1, v4, 2, ByteBuffer.allocate(1))).hasMessageContaining("-5");
    }

    @Test
    void ipv6AndTcpFramesReadBack() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PcapWriter w = new PcapWriter(out);
        byte[] a = java.net.InetAddress.getByName("2001:db8::1").getAddress();
        byte[] b = java.net.InetAddress.getByName("2001:db8::2").getAddress();
        w.write(1_000_000_000_000_001L, PcapWriter.IPPROTO_UDP, a, 5060, b, 5062, "OPTIONS".getBytes());
        byte[] v4a = {10, 0, 0, 1};
        byte[] v4b = {10, 0, 0, 2};
        w.write(1_000_000_000_000_002L, PcapWriter.IPPROTO_TCP, v4a, 40000, v4b, 5060, "INVITE".getBytes());
        w.write(1_000_000_000_000_003L, PcapWriter.IPPROTO_TCP, v4a, 40000, v4b, 5060, "BYE".getBytes());
        List<PcapPacket> frames = PcapReader.read(out.toByteArray());
        assertThat(frames).hasSize(3);
        assertThat(frames.get(0).srcIp()).isEqualTo(a);
        assertThat(frames.get(0).dstPort()).isEqualTo(5062);
        assertThat(frames.get(0).isUdp()).isTrue();
        assertThat(new String(frames.get(0).payload())).isEqualTo("OPTIONS");
        assertThat(frames.get(1).isTcp()).isTrue();
        assertThat(new String(frames.get(2).payload())).isEqualTo("BYE");
        assertThat(frames.get(2).timestampMicros()).isEqualTo(1_000_000_000_000_003L);
        // the second segment's sequence number follows the first's 6 bytes
        byte[] file = out.toByteArray();
        int second = 24 + (16 + 14 + 40 + 8 + 7) + (16 + 14 + 20 + 20 + 6);
        int seqAt = second + 16 + 14 + 20 + 4;
        long seq = ((file[seqAt] & 0xffL) << 24) | ((file[seqAt + 1] & 0xff) << 16) | ((file[seqAt + 2] & 0xff) << 8) | (file[seqAt + 3] & 0xff);
        assertThat(seq).isEqualTo(7);
    }
}
