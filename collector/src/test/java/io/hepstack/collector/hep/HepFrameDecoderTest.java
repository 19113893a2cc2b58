package io.hepstack.collector.hep;

import static io.hepstack.collector.hep.HepDecodeException.Reason.BAD_MAGIC;
import static io.hepstack.collector.hep.HepDecodeException.Reason.FRAME_TOO_LONG;
import static io.hepstack.collector.hep.HepDecodeException.Reason.LENGTH_MISMATCH;
import static io.hepstack.collector.hep.HepDecodeException.Reason.TOO_SHORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The TCP framer alone, in an EmbeddedChannel: what frames come out, what is reported, what is released. */
class HepFrameDecoderTest {

    private final RecordingListener listener = new RecordingListener();
    private final List<ByteBuf> written = new ArrayList<>();
    private final List<ByteBuf> frames = new ArrayList<>();

    private final byte[] p1 = RawHep.hep3().typicalSip("INVITE sip:a SIP/2.0\r\n\r\n").build();
    private final byte[] p2 = RawHep.hep3().text(0x0e, "myHepSecret").typicalSip("BYE sip:b SIP/2.0\r\n\r\n").build();

    @Test
    void onePacketInOneRead() {
        EmbeddedChannel ch = channel(65535);

        write(ch, p1);

        assertThat(readFrames(ch)).containsExactly(hex(p1));
        finishClean(ch);
        assertThat(listener.rejections).isEmpty();
    }

    @Test
    void twoPacketStreamSplitAtEveryPoint() {
        byte[] stream = concat(p1, p2);
        for (int split = 0; split <= stream.length; split++) {
            EmbeddedChannel ch = channel(65535);

            write(ch, slice(stream, 0, split));
            write(ch, slice(stream, split, stream.length));

            assertThat(readFrames(ch)).as("split at %d", split).containsExactly(hex(p1), hex(p2));
            finishClean(ch);
        }
        assertThat(listener.rejections).isEmpty();
    }

    @Test
    void streamFedOneByteAtATime() {
        byte[] stream = concat(p1, p2, p1);
        EmbeddedChannel ch = channel(65535);

        for (byte b : stream) {
            write(ch, new byte[] {b});
        }

        assertThat(readFrames(ch)).containsExactly(hex(p1), hex(p2), hex(p1));
        finishClean(ch);
        assertThat(listener.rejections).isEmpty();
    }

    @Test
    void coalescedPacketsInOneRead() {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            byte[] p = RawHep.hep3().typicalSip("MESSAGE " + i).build();
            stream.writeBytes(p);
            expected.add(hex(p));
        }
        EmbeddedChannel ch = channel(65535);

        write(ch, stream.toByteArray());

        assertThat(readFrames(ch)).containsExactlyElementsOf(expected);
        finishClean(ch);
    }

    @Test
    void acceptsEep1Frames() {
        byte[] eep = RawHep.hep3().magic("EEP1").typicalSip("X").build();
        EmbeddedChannel ch = channel(65535);

        write(ch, concat(eep, p1));

        assertThat(readFrames(ch)).containsExactly(hex(eep), hex(p1));
        finishClean(ch);
    }

    @Test
    void garbageBetweenPacketsIsSkippedAndReportedOnce() {
        byte[] garbage = "xxHEHEPGET / HTTP/1.1\r\nHEP".getBytes(StandardCharsets.US_ASCII); // partial magics inside
        byte[] stream = concat(p1, garbage, p2);
        for (int split = 0; split <= stream.length; split++) {
            RecordingListener l = new RecordingListener();
            EmbeddedChannel ch = new EmbeddedChannel(new HepFrameDecoder(l));

            write(ch, slice(stream, 0, split));
            write(ch, slice(stream, split, stream.length));

            assertThat(readFrames(ch)).as("split at %d", split).containsExactly(hex(p1), hex(p2));
            assertThat(l.reasons()).as("split at %d", split).containsExactly(BAD_MAGIC);
            assertThat(l.rejections.get(0).detail()).contains("skipped " + garbage.length + " bytes");
            assertThat(l.rejections.get(0).peer()).isEqualTo(ch.remoteAddress());
            finishClean(ch);
        }
    }

    @Test
    void garbageBeforeTheFirstPacketAndAtTheEnd() {
        EmbeddedChannel ch = channel(65535);

        write(ch, concat(new byte[] {0, 1, 2, 3, 4}, p1, new byte[] {'H', 'E'}));

        assertThat(readFrames(ch)).containsExactly(hex(p1));
        assertThat(listener.reasons()).containsExactly(BAD_MAGIC);
        // the trailing "HE" may start a magic: reported only when the connection closes
        assertThat(ch.finish()).isFalse();
        assertThat(listener.reasons()).containsExactly(BAD_MAGIC, TOO_SHORT);
        assertThat(listener.rejections.get(1).detail()).contains("skipped 2 bytes");
        assertAllReleased();
    }

    @Test
    void lengthBelowHeaderIsSkippedAndTheStreamResynchronises() {
        byte[] bad = {'H', 'E', 'P', '3', 0, 5, 'z', 'z'};
        EmbeddedChannel ch = channel(65535);

        write(ch, concat(p1, bad, p2));

        assertThat(readFrames(ch)).containsExactly(hex(p1), hex(p2));
        assertThat(listener.reasons()).containsExactly(LENGTH_MISMATCH);
        assertThat(listener.rejections.get(0).detail()).contains("skipped 8 bytes");
        finishClean(ch);
    }

    @Test
    void oversizedFrameIsDiscardedWholeEvenAcrossReads() {
        byte[] big = RawHep.hep3().typicalSip("x".repeat(200)).build();
        byte[] stream = concat(p1, big, p2);
        for (int split = 0; split <= stream.length; split += 7) {
            RecordingListener l = new RecordingListener();
            EmbeddedChannel ch = new EmbeddedChannel(new HepFrameDecoder(150, l));

            write(ch, slice(stream, 0, split));
            write(ch, slice(stream, split, stream.length));

            assertThat(readFrames(ch)).as("split at %d", split).containsExactly(hex(p1), hex(p2));
            assertThat(l.reasons()).containsExactly(FRAME_TOO_LONG);
            assertThat(l.rejections.get(0).detail()).contains("skipped " + big.length + " bytes");
            finishClean(ch);
        }
    }

    @Test
    void connectionClosedInsideAFrameIsReported() {
        EmbeddedChannel ch = channel(65535);

        write(ch, concat(p1, slice(p2, 0, 20)));

        assertThat(readFrames(ch)).containsExactly(hex(p1));
        assertThat(ch.finish()).isFalse();
        assertThat(listener.reasons()).containsExactly(TOO_SHORT);
        assertThat(listener.rejections.get(0).detail()).contains("skipped 20 bytes");
        assertAllReleased();
    }

    @Test
    void endlessGarbageIsReportedPeriodicallyAndNotBuffered() {
        EmbeddedChannel ch = channel(65535);
        byte[] junk = new byte[10_000];
        java.util.Arrays.fill(junk, (byte) 'x');

        for (int i = 0; i < 20; i++) {
            write(ch, junk);
        }

        assertThat(readFrames(ch)).isEmpty();
        assertAllReleased(); // nothing is held back while no magic shows up
        // reported each time 65535 or more bytes were skipped (after 70000 and 140000), not only at a magic
        assertThat(listener.reasons()).containsExactly(BAD_MAGIC, BAD_MAGIC);
        assertThat(ch.finish()).isFalse();
        assertThat(listener.reasons()).containsExactly(BAD_MAGIC, BAD_MAGIC, BAD_MAGIC); // the rest, on close
        long reported = listener.rejections.stream()
                .mapToLong(r -> Long.parseLong(r.detail().replaceAll("skipped (\\d+) bytes.*", "$1"))).sum();
        assertThat(reported).isEqualTo(200_000);
        assertAllReleased();
    }

    @Test
    void largestFrameOf65535BytesPasses() {
        byte[] max = RawHep.hep3().chunk(0, 0x0f, new byte[65535 - 12]).build();
        assertThat(max).hasSize(65535);
        EmbeddedChannel ch = channel(65535);

        write(ch, slice(max, 0, 30000));
        write(ch, slice(max, 30000, 65535));

        assertThat(readFrames(ch)).containsExactly(hex(max));
        finishClean(ch);
    }

    @Test
    void randomlyCorruptedStreamsNeverThrowNorLeak() {
        Random rnd = new Random(7);
        for (int round = 0; round < 300; round++) {
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            for (int i = 0; i < 6; i++) {
                byte[] p = (rnd.nextBoolean() ? p1 : p2).clone();
                if (rnd.nextInt(3) == 0) {
                    p[rnd.nextInt(p.length)] ^= (byte) (1 << rnd.nextInt(8));
                }
                stream.writeBytes(p);
                if (rnd.nextInt(4) == 0) {
                    byte[] junk = new byte[rnd.nextInt(20)];
                    rnd.nextBytes(junk);
                    stream.writeBytes(junk);
                }
            }
            byte[] all = stream.toByteArray();
            RecordingListener l = new RecordingListener();
            EmbeddedChannel ch = new EmbeddedChannel(new HepFrameDecoder(l), new HepPacketDecoder(new HepDecoder(), l));
            int off = 0;
            while (off < all.length) {
                int n = Math.min(all.length - off, 1 + rnd.nextInt(120));
                write(ch, slice(all, off, n + off));
                off += n;
            }
            int packets = 0;
            for (Object o; (o = ch.readInbound()) != null; ) {
                assertThat(o).isInstanceOf(HepPacket.class);
                packets++;
            }
            ch.finish();
            assertThat(packets + l.rejections.size()).as("round %d", round).isPositive();
            assertAllReleased();
            written.clear();
        }
    }

    @Test
    void constructorRejectsBadMaxFrameLength() {
        assertThatThrownBy(() -> new HepFrameDecoder(5, HepRejectionListener.NOOP))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(": 5");
        assertThatThrownBy(() -> new HepFrameDecoder(65536, HepRejectionListener.NOOP))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65536");
    }

    // ------------------------------------------------------------ helpers

    private EmbeddedChannel channel(int maxFrameLength) {
        return new EmbeddedChannel(new HepFrameDecoder(maxFrameLength, listener));
    }

    private void write(EmbeddedChannel ch, byte[] bytes) {
        if (bytes.length == 0) {
            return; // Unpooled's empty buffer is never freed: keep it out of the refCnt checks
        }
        ByteBuf buf = Unpooled.copiedBuffer(bytes);
        written.add(buf);
        ch.writeInbound(buf);
    }

    /** Reads every frame, releases it, and returns its bytes as hex. */
    private List<String> readFrames(EmbeddedChannel ch) {
        List<String> out = new ArrayList<>();
        for (ByteBuf f; (f = ch.readInbound()) != null; ) {
            out.add(ByteBufUtil.hexDump(f));
            frames.add(f);
            f.release();
        }
        return out;
    }

    private void finishClean(EmbeddedChannel ch) {
        assertThat(ch.finish()).as("nothing left in the channel").isFalse();
        assertAllReleased();
    }

    /** Every buffer written in and every frame read out has been freed (frames share the cumulation's count). */
    private void assertAllReleased() {
        for (ByteBuf b : written) {
            assertThat(b.refCnt()).as("input buffer refCnt").isZero();
        }
        for (ByteBuf f : frames) {
            assertThat(f.refCnt()).as("frame refCnt").isZero();
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] slice(byte[] a, int from, int to) {
        return java.util.Arrays.copyOfRange(a, from, to);
    }

    private static String hex(byte[] a) {
        return ByteBufUtil.hexDump(a);
    }
}
