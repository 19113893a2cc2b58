package io.hepstack.collector.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hepstack.collector.hep.HepEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** The disk buffer's record of a message: what comes back, and records of the previous format. */
class SpilledMessageTest {

    /** SpillToDiskTest's message: TCP from 127.0.0.9:4444, node name, auth key (not written). */
    private static CapturedMessage message() throws Exception {
        return SpillToDiskTest.message(1);
    }

    @Test
    void theReceiveTimeTransportSenderAndPacketComeBack() throws Exception {
        CapturedMessage m = message();
        m.receivedMicros = 1_767_225_609_876_543L;
        CapturedMessage back = SpilledMessage.decode(SpilledMessage.encode(m));
        assertThat(back.receivedMicros).isEqualTo(m.receivedMicros);
        assertThat(back.transport).isEqualTo(Transport.TCP);
        assertThat(back.peer).isEqualTo(m.peer);
        assertThat(back.hep.nodeName).isEqualTo("node-1");
        assertThat(back.hep.authKey).as("a secret does not go to disk").isNull();
        assertThat(back.hep.payload).isEqualTo(m.hep.payload);
        assertThat(back.timestampMicros()).isEqualTo(m.timestampMicros());
    }

    @Test
    void aRecordWrittenBeforeTheReceiveTimeWasKeptStillReadsWithoutOne() throws Exception {
        CapturedMessage m = message();
        ByteBuf hep = Unpooled.buffer();
        new HepEncoder().encode(m.hep, hep);
        ByteBuf old = Unpooled.buffer();
        old.writeByte(1).writeByte(3).writeByte(Transport.TCP.ordinal()).writeByte(0);
        old.writeByte(4).writeBytes(new byte[] {127, 0, 0, 9}).writeShort(4444);
        old.writeBytes(hep);
        byte[] record = new byte[old.readableBytes()];
        old.readBytes(record);
        CapturedMessage back = SpilledMessage.decode(record);
        assertThat(back.receivedMicros).isEqualTo(-1);
        assertThat(back.peer).isEqualTo(m.peer);
        assertThat(back.hep.payload).isEqualTo(m.hep.payload);
    }

    @Test
    void anUnknownFormatOrACutRecordIsRefused() throws Exception {
        byte[] record = SpilledMessage.encode(message());
        record[0] = 9;
        assertThatThrownBy(() -> SpilledMessage.decode(record)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("format 9");
        byte[] cut = java.util.Arrays.copyOf(SpilledMessage.encode(message()), 10);
        assertThatThrownBy(() -> SpilledMessage.decode(cut)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Records side by side in one array, decoded through one buffer over it (the reorder window's chunks). */
    @Test
    void recordsInsideABufferOverOneArray() throws Exception {
        CapturedMessage a = message();
        a.receivedMicros = 11;
        CapturedMessage b = SpillToDiskTest.message(2);
        b.receivedMicros = 22;
        ByteBuf chunk = Unpooled.wrappedBuffer(new byte[4096]).writerIndex(0);
        chunk.writeBytes(new byte[7]); // records need not start at 0
        int aAt = chunk.writerIndex();
        int aLength = SpilledMessage.encode(a, chunk);
        int bAt = chunk.writerIndex();
        int bLength = SpilledMessage.encode(b, chunk);
        CapturedMessage bBack = SpilledMessage.decode(chunk, bAt, bLength);
        CapturedMessage aBack = SpilledMessage.decode(chunk, aAt, aLength);
        assertThat(aBack.receivedMicros).isEqualTo(11);
        assertThat(aBack.hep.payload).isEqualTo(a.hep.payload);
        assertThat(aBack.peer).isEqualTo(a.peer);
        assertThat(bBack.receivedMicros).isEqualTo(22);
        assertThat(bBack.hep.payload).isEqualTo(b.hep.payload);
        assertThat(chunk.readerIndex()).isZero();
        assertThat(chunk.writerIndex()).isEqualTo(bAt + bLength);
        assertThatThrownBy(() -> SpilledMessage.decode(chunk, bAt, bLength - 1)).isInstanceOf(io.hepstack.collector.hep.HepDecodeException.class);
        assertThatThrownBy(() -> SpilledMessage.decode(chunk.slice(1, 100), 0, 50)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("whole array");
    }
}
