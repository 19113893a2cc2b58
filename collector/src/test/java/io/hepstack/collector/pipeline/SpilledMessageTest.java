package io.hepstack.collector.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hepstack.collector.hep.HepEncoder;
import io.hepstack.collector.hep.HepPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The disk buffer's record of a message: what comes back, and records of the previous format. */
class SpilledMessageTest {

    private static CapturedMessage message() {
        HepPacket p = new HepPacket();
        p.version = 3;
        p.ipFamily = HepPacket.AF_INET;
        p.ipProtocol = 17;
        p.srcIp = new byte[] {10, 0, 0, 1};
        p.dstIp = new byte[] {10, 0, 0, 2};
        p.srcPort = 5060;
        p.dstPort = 5062;
        p.timeSeconds = 1_767_225_600L;
        p.timeMicros = 123_456;
        p.protoType = 1;
        p.captureId = 2001;
        p.nodeName = "sbc-01";
        p.payload = "OPTIONS sip:a@b SIP/2.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        return new CapturedMessage(p, Transport.TCP, new InetSocketAddress("127.0.0.1", 40123));
    }

    @Test
    void theReceiveTimeTransportSenderAndPacketComeBack() {
        CapturedMessage m = message();
        m.receivedMicros = 1_767_225_609_876_543L;
        CapturedMessage back = SpilledMessage.decode(SpilledMessage.encode(m));
        assertThat(back.receivedMicros).isEqualTo(m.receivedMicros);
        assertThat(back.transport).isEqualTo(Transport.TCP);
        assertThat(back.peer).isEqualTo(m.peer);
        assertThat(back.hep.nodeName).isEqualTo("sbc-01");
        assertThat(back.hep.payload).isEqualTo(m.hep.payload);
        assertThat(back.timestampMicros()).isEqualTo(m.timestampMicros());
    }

    @Test
    void aRecordWrittenBeforeTheReceiveTimeWasKeptStillReadsWithoutOne() {
        CapturedMessage m = message();
        ByteBuf hep = Unpooled.buffer();
        new HepEncoder().encode(m.hep, hep);
        ByteBuf old = Unpooled.buffer();
        old.writeByte(1).writeByte(3).writeByte(Transport.TCP.ordinal()).writeByte(0);
        old.writeByte(4).writeBytes(new byte[] {127, 0, 0, 1}).writeShort(40123);
        old.writeBytes(hep);
        byte[] record = new byte[old.readableBytes()];
        old.readBytes(record);
        CapturedMessage back = SpilledMessage.decode(record);
        assertThat(back.receivedMicros).isEqualTo(-1);
        assertThat(back.peer).isEqualTo(m.peer);
        assertThat(back.hep.payload).isEqualTo(m.hep.payload);
    }

    @Test
    void anUnknownFormatOrACutRecordIsRefused() {
        byte[] record = SpilledMessage.encode(message());
        record[0] = 9;
        assertThatThrownBy(() -> SpilledMessage.decode(record)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("format 9");
        byte[] cut = java.util.Arrays.copyOf(SpilledMessage.encode(message()), 10);
        assertThatThrownBy(() -> SpilledMessage.decode(cut)).isInstanceOf(IllegalArgumentException.class);
    }
}
