package io.hepstack.collector.hep;

import static io.hepstack.collector.hep.HepDecodeException.Reason.AUTH_FAILED;
import static io.hepstack.collector.hep.HepDecodeException.Reason.BAD_MAGIC;
import static io.hepstack.collector.hep.HepDecodeException.Reason.LENGTH_MISMATCH;
import static io.hepstack.collector.hep.HepTestPackets.assertSamePacket;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decoding handler behind UDP datagrams and behind the TCP framer. */
class HepPacketDecoderTest {

    private static final InetSocketAddress AGENT = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress COLLECTOR = new InetSocketAddress("127.0.0.1", 9060);

    private final RecordingListener listener = new RecordingListener();
    private final HepPacketDecoder handler = new HepPacketDecoder(new HepDecoder(), listener);
    private final List<ByteBuf> written = new ArrayList<>();

    @Test
    void udpDatagramsBecomePacketsAndRejectsAreReportedWithTheSender() {
        EmbeddedChannel ch = new EmbeddedChannel(handler);
        HepPacket original = HepTestPackets.everyChunk(false);
        byte[] good = new HepEncoder().encode(original);
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 1);

        ch.writeInbound(datagram(good));
        ch.writeInbound(datagram(truncated));
        ch.writeInbound(datagram("GET / HTTP/1.0\r\n\r\n".getBytes()));
        ch.writeInbound(datagram(good));

        assertSamePacket(ch.readInbound(), original);
        assertSamePacket(ch.readInbound(), original);
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(listener.reasons()).containsExactly(LENGTH_MISMATCH, BAD_MAGIC);
        assertThat(listener.rejections).allSatisfy(r -> assertThat(r.peer()).isEqualTo(AGENT));
        assertThat(listener.rejections.get(0).detail()).startsWith("LENGTH_MISMATCH at offset 4");
        finishClean(ch);
    }

    @Test
    void oneSharableInstanceServesManyChannels() {
        EmbeddedChannel a = new EmbeddedChannel(handler);
        EmbeddedChannel b = new EmbeddedChannel(handler);
        byte[] wire = new HepEncoder().encode(HepTestPackets.simpleSip());

        a.writeInbound(datagram(wire));
        b.writeInbound(datagram(wire));

        assertThat(handler.isSharable()).isTrue();
        assertThat((Object) a.readInbound()).isInstanceOf(HepPacket.class);
        assertThat((Object) b.readInbound()).isInstanceOf(HepPacket.class);
        finishClean(a);
        finishClean(b);
    }

    @Test
    void tcpPipelineFramesThenDecodes() {
        HepDecoder strict = HepDecoder.builder().requiredAuthKey("myHepSecret").build();
        EmbeddedChannel ch = new EmbeddedChannel(new HepFrameDecoder(listener), new HepPacketDecoder(strict, listener));
        byte[] ok = RawHep.hep3().text(0x0e, "myHepSecret").typicalSip("INVITE").build();
        byte[] wrongKey = RawHep.hep3().text(0x0e, "guess").typicalSip("INVITE").build();
        byte[] stream = new byte[ok.length * 2 + wrongKey.length];
        System.arraycopy(ok, 0, stream, 0, ok.length);
        System.arraycopy(wrongKey, 0, stream, ok.length, wrongKey.length);
        System.arraycopy(ok, 0, stream, ok.length + wrongKey.length, ok.length);

        write(ch, java.util.Arrays.copyOfRange(stream, 0, 50));
        write(ch, java.util.Arrays.copyOfRange(stream, 50, stream.length));

        HepPacket first = ch.readInbound();
        HepPacket second = ch.readInbound();
        assertThat(first.authKey).isEqualTo("myHepSecret");
        assertThat(new String(second.payload)).isEqualTo("INVITE");
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(listener.reasons()).containsExactly(AUTH_FAILED);
        assertThat(listener.rejections.get(0).peer()).isEqualTo(ch.remoteAddress());
        finishClean(ch);
    }

    @Test
    void otherMessagesPassThroughUntouched() {
        EmbeddedChannel ch = new EmbeddedChannel(handler);

        ch.writeInbound("not bytes");

        assertThat((Object) ch.readInbound()).isEqualTo("not bytes");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aThrowingListenerDoesNotBreakThePipeline() {
        HepRejectionListener throwing = (reason, peer, detail) -> {
            throw new IllegalStateException("listener bug");
        };
        EmbeddedChannel ch = new EmbeddedChannel(new HepPacketDecoder(new HepDecoder(), throwing));

        ch.writeInbound(datagram(new byte[] {1}));
        ch.writeInbound(datagram(new HepEncoder().encode(HepTestPackets.simpleSip())));

        assertThat((Object) ch.readInbound()).isInstanceOf(HepPacket.class); // no exception surfaced
        finishClean(ch);
    }

    private DatagramPacket datagram(byte[] bytes) {
        ByteBuf content = Unpooled.copiedBuffer(bytes);
        written.add(content);
        return new DatagramPacket(content, COLLECTOR, AGENT);
    }

    private void write(EmbeddedChannel ch, byte[] bytes) {
        ByteBuf buf = Unpooled.copiedBuffer(bytes);
        written.add(buf);
        ch.writeInbound(buf);
    }

    private void finishClean(EmbeddedChannel ch) {
        assertThat(ch.finish()).isFalse();
        for (ByteBuf b : written) {
            assertThat(b.refCnt()).as("every input released, decoded or rejected").isZero();
        }
    }
}
