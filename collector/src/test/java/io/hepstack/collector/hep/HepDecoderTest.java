package io.hepstack.collector.hep;

import static io.hepstack.collector.hep.HepDecodeException.Reason.AUTH_FAILED;
import static io.hepstack.collector.hep.HepDecodeException.Reason.BAD_CHUNK_LENGTH;
import static io.hepstack.collector.hep.HepDecodeException.Reason.BAD_CHUNK_VALUE;
import static io.hepstack.collector.hep.HepDecodeException.Reason.BAD_MAGIC;
import static io.hepstack.collector.hep.HepDecodeException.Reason.DECOMPRESSION_FAILED;
import static io.hepstack.collector.hep.HepDecodeException.Reason.DUPLICATE_CHUNK;
import static io.hepstack.collector.hep.HepDecodeException.Reason.LENGTH_MISMATCH;
import static io.hepstack.collector.hep.HepDecodeException.Reason.MISSING_PAYLOAD;
import static io.hepstack.collector.hep.HepDecodeException.Reason.PAYLOAD_TOO_LARGE;
import static io.hepstack.collector.hep.HepDecodeException.Reason.TOO_SHORT;
import static io.hepstack.collector.hep.HepDecodeException.Reason.UNKNOWN_VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hepstack.collector.hep.HepDecodeException.Reason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class HepDecoderTest {

    private final HepDecoder decoder = new HepDecoder();

    @Test
    void decodesTypicalSiptracePacketWrittenByHand() {
        byte[] wire = RawHep.hep3().typicalSip("OPTIONS sip:x SIP/2.0\r\n\r\n").build();

        HepPacket p = decoder.decode(wire, 0, wire.length);

        assertThat(p.version).isEqualTo(3);
        assertThat(p.ipFamily).isEqualTo(2);
        assertThat(p.ipProtocol).isEqualTo(17);
        assertThat(p.srcIpText()).isEqualTo("10.0.0.1");
        assertThat(p.dstIpText()).isEqualTo("10.0.0.2");
        assertThat(p.srcPort).isEqualTo(5060);
        assertThat(p.dstPort).isEqualTo(5080);
        assertThat(p.timeSeconds).isEqualTo(1_767_225_600L);
        assertThat(p.timeMicros).isEqualTo(123_456);
        assertThat(p.timestampMicros()).isEqualTo(1_767_225_600_123_456L);
        assertThat(p.protoType).isEqualTo(1);
        assertThat(p.captureId).isEqualTo(2001);
        assertThat(new String(p.payload, StandardCharsets.US_ASCII)).isEqualTo("OPTIONS sip:x SIP/2.0\r\n\r\n");
        assertThat(p.payloadWasCompressed).isFalse();
        // absent chunks stay distinguishable from zero
        assertThat(p.keepAliveTimer).isEqualTo(-1);
        assertThat(p.vlanId).isEqualTo(-1);
        assertThat(p.authKey).isNull();
        assertThat(p.correlationId).isNull();
        assertThat(p.nodeName).isNull();
        assertThat(p.otherChunks()).isEmpty();
    }

    @Test
    void decodesFromByteBufWithoutMovingIndexesOrReleasing() {
        byte[] wire = RawHep.hep3().typicalSip("X").build();
        ByteBuf buf = Unpooled.buffer().writeBytes(new byte[] {9, 9, 9}).writeBytes(wire);
        buf.skipBytes(3);

        HepPacket p = decoder.decode(buf);

        assertThat(p.payload).containsExactly('X');
        assertThat(buf.readerIndex()).isEqualTo(3);
        assertThat(buf.readableBytes()).isEqualTo(wire.length);
        assertThat(buf.refCnt()).isEqualTo(1);
        buf.release();
    }

    @Test
    void decodesFromArraySlice() {
        byte[] wire = RawHep.hep3().typicalSip("X").build();
        byte[] padded = new byte[wire.length + 7];
        System.arraycopy(wire, 0, padded, 5, wire.length);

        assertThat(decoder.decode(padded, 5, wire.length).payload).containsExactly('X');
    }

    /** Packets at any index of one buffer, its indexes ignored and untouched; a range outside it is refused. */
    @Test
    void decodesAtAnIndexOfABuffer() {
        byte[] x = RawHep.hep3().typicalSip("X").build();
        byte[] yz = RawHep.hep3().typicalSip("YZ").build();
        ByteBuf buf = Unpooled.buffer().writeBytes(new byte[] {9, 9}).writeBytes(x).writeBytes(yz);
        buf.readerIndex(buf.writerIndex());

        assertThat(decoder.decode(buf, 2 + x.length, yz.length).payload).containsExactly('Y', 'Z');
        assertThat(decoder.decode(buf, 2, x.length).payload).containsExactly('X');
        assertThat(buf.readerIndex()).isEqualTo(2 + x.length + yz.length);
        assertThatThrownBy(() -> decoder.decode(buf, 2, x.length + 1)).isInstanceOf(HepDecodeException.class);
        assertThatThrownBy(() -> decoder.decode(buf, buf.capacity() - 3, 4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> decoder.decode(buf, -1, 4)).isInstanceOf(IndexOutOfBoundsException.class);
        buf.release();
    }

    @Test
    void acceptsEep1MagicAsKamailioDoes() {
        byte[] wire = RawHep.hep3().magic("EEP1").typicalSip("X").build();

        assertThat(decoder.decode(wire, 0, wire.length).version).isEqualTo(3);
    }

    @Test
    void keepsVendorAndUnknownChunksInWireOrder() {
        byte[] wire = RawHep.hep3()
                .chunk(0x0022, 0x0001, new byte[] {1, 2})       // vendor 0x22
                .typicalSip("X")
                .chunk(0x0000, 0x0019, new byte[] {3})          // generic 0x19: not assigned
                .chunk(0x0000, 0x0000, new byte[0])             // generic 0x00: Kamailio drops, we keep
                .build();

        HepPacket p = decoder.decode(wire, 0, wire.length);

        assertThat(p.otherChunks()).hasSize(3);
        assertThat(p.otherChunks().get(0).vendorId()).isEqualTo(0x22);
        assertThat(p.otherChunks().get(0).value()).containsExactly(1, 2);
        assertThat(p.otherChunks().get(1).typeId()).isEqualTo(0x19);
        assertThat(p.otherChunks().get(1).value()).containsExactly(3);
        assertThat(p.otherChunks().get(2).typeId()).isZero();
        assertThat(p.payload).containsExactly('X');
    }

    @Test
    void anAgentsNodeNameIsOneStringForAllItsPacketsAndEveryNameStaysItsOwn() {
        byte[] first = RawHep.hep3().text(0x13, "sbc-01").text(0x29, "edge").typicalSip("X").build();
        byte[] second = RawHep.hep3().text(0x13, "sbc-01").text(0x29, "edge").typicalSip("Y").build();
        HepPacket a = decoder.decode(first, 0, first.length);
        HepPacket b = decoder.decode(second, 0, second.length);
        assertThat(b.nodeName).isEqualTo("sbc-01").isSameAs(a.nodeName);
        assertThat(b.groupId).isEqualTo("edge").isSameAs(a.groupId);
        // many names (more than the table's slots, so they collide), interleaved, each read back as itself
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 500; i++) {
                String name = "node-" + i + "-é";
                byte[] wire = RawHep.hep3().text(0x13, name).typicalSip("X").build();
                assertThat(decoder.decode(wire, 0, wire.length).nodeName).isEqualTo(name);
            }
        }
        String longName = "n".repeat(300);
        byte[] wire = RawHep.hep3().text(0x13, longName).typicalSip("X").build();
        assertThat(decoder.decode(wire, 0, wire.length).nodeName).isEqualTo(longName);
    }

    @Test
    void decodesEveryGenericChunkFromHandWrittenBytes() {
        byte[] v6src = HexFormat.of().parseHex("20010db8000000000000000000000001");
        byte[] v6dst = HexFormat.of().parseHex("20010db8000000000000000000000002");
        byte[] wire = RawHep.hep3()
                .u8(0x01, 10).u8(0x02, 6).chunk(0, 0x05, v6src).chunk(0, 0x06, v6dst)
                .u16(0x07, 5061).u16(0x08, 5062).u32(0x09, 4_000_000_000L).u32(0x0a, 7).u8(0x0b, 5).u32(0x0c, 4_000_000_001L)
                .u16(0x0d, 60).text(0x0e, "key").text(0x0f, "{}").text(0x11, "cid").u16(0x12, 100).text(0x13, "node-1")
                .chunk(0, 0x14, new byte[] {1, 2, 3, 4, 5, 6}).chunk(0, 0x15, new byte[] {6, 5, 4, 3, 2, 1, 0, 0})
                .u16(0x16, 0x0800).u8(0x17, 0x12).u8(0x18, 0x2e)
                .u16(0x20, 401).u16(0x21, 8900).text(0x22, "geo").u32(0x23, 33).text(0x24, "registration")
                .text(0x25, "keys").text(0x26, "tags").u16(0x27, 2).u16(0x28, 3).text(0x29, "grp")
                .build();

        HepPacket p = decoder.decode(wire, 0, wire.length);

        assertThat(p.ipFamily).isEqualTo(10);
        assertThat(p.ipProtocol).isEqualTo(6);
        assertThat(p.srcIpText()).isEqualTo("2001:db8::1");
        assertThat(p.dstIpText()).isEqualTo("2001:db8::2");
        assertThat(p.srcPort).isEqualTo(5061);
        assertThat(p.dstPort).isEqualTo(5062);
        assertThat(p.timeSeconds).isEqualTo(4_000_000_000L);
        assertThat(p.timeMicros).isEqualTo(7);
        assertThat(p.protoType).isEqualTo(5);
        assertThat(p.captureId).isEqualTo(4_000_000_001L);
        assertThat(p.keepAliveTimer).isEqualTo(60);
        assertThat(p.authKey).isEqualTo("key");
        assertThat(p.payload).containsExactly('{', '}');
        assertThat(p.correlationId).isEqualTo("cid");
        assertThat(p.vlanId).isEqualTo(100);
        assertThat(p.nodeName).isEqualTo("node-1");
        assertThat(p.srcMac).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(p.dstMac).containsExactly(6, 5, 4, 3, 2, 1, 0, 0);
        assertThat(p.ethernetType).isEqualTo(0x0800);
        assertThat(p.tcpFlags).isEqualTo(0x12);
        assertThat(p.ipTos).isEqualTo(0x2e);
        assertThat(p.mos).isEqualTo(401);
        assertThat(p.rFactor).isEqualTo(8900);
        assertThat(p.geoLocation).isEqualTo("geo");
        assertThat(p.jitter).isEqualTo(33);
        assertThat(p.transactionType).isEqualTo("registration");
        assertThat(p.payloadJsonKeys).isEqualTo("keys");
        assertThat(p.tagsValues).isEqualTo("tags");
        assertThat(p.tagType).isEqualTo(2);
        assertThat(p.eventType).isEqualTo(3);
        assertThat(p.groupId).isEqualTo("grp");
        assertThat(p.otherChunks()).isEmpty();
    }

    @Test
    void knownTypesAreExactlyTheRev12GenericChunks() {
        for (int type = 0; type < 0x100; type++) {
            boolean expected = type >= 0x01 && type <= 0x18 || type >= 0x20 && type <= 0x29;
            assertThat(HepChunkTypes.isKnown(0, type)).as("type 0x%x", type).isEqualTo(expected);
            assertThat(HepChunkTypes.isKnown(1, type)).as("vendor 1, type 0x%x", type).isFalse();
        }
        assertThat(HepChunkTypes.isKnown(0, 0x10001)).isFalse();
    }

    @Test
    void acceptsSixteenBitCaptureIdOfOldAgents() {
        byte[] wire = RawHep.hep3().u16(0x0c, 2002).text(0x0f, "X").build();

        assertThat(decoder.decode(wire, 0, wire.length).captureId).isEqualTo(2002);
    }

    // ------------------------------------------------------------ rejections, with their offsets

    @Test
    void rejectsEmptyAndShortInput() {
        assertRejected(new byte[0], TOO_SHORT, 0);
        assertRejected(bytes("HEP"), TOO_SHORT, 0);
        assertRejected(bytes("HEP3\0"), TOO_SHORT, 0);
        assertRejected(bytes("XY"), BAD_MAGIC, 0);
    }

    @Test
    void rejectsBadMagicAndUnknownVersion() {
        assertRejected(bytes("GET / HTTP/1.1\r\n"), BAD_MAGIC, 0);
        assertRejected(RawHep.hep3().magic("HEP4").typicalSip("X").build(), UNKNOWN_VERSION, 3);
        assertRejected(RawHep.hep3().magic("EEP3").typicalSip("X").build(), BAD_MAGIC, 0);
    }

    @Test
    void rejectsTotalLengthThatDiffersFromTheBytesGiven() {
        byte[] ok = RawHep.hep3().typicalSip("X").build();
        assertRejected(RawHep.hep3().typicalSip("X").totalLength(ok.length + 1).build(), LENGTH_MISMATCH, 4);
        assertRejected(RawHep.hep3().typicalSip("X").totalLength(ok.length - 1).build(), LENGTH_MISMATCH, 4);
        // a datagram padded after a valid packet is no packet either
        byte[] padded = new byte[ok.length + 2];
        System.arraycopy(ok, 0, padded, 0, ok.length);
        assertRejected(padded, LENGTH_MISMATCH, 4);
    }

    @Test
    void rejectsBadChunkLengths() {
        // chunk at offset 6 claims 5 bytes, less than its own header
        assertRejected(RawHep.hep3().chunkWithLength(0, 0x0b, 5, new byte[] {1}).text(0x0f, "X").build(), BAD_CHUNK_LENGTH, 10);
        // chunk claims zero length: Kamailio drops such packets too
        assertRejected(RawHep.hep3().chunkWithLength(0, 0x0b, 0, new byte[] {1}).build(), BAD_CHUNK_LENGTH, 10);
        // last chunk runs past the end
        assertRejected(RawHep.hep3().u8(0x0b, 1).chunkWithLength(0, 0x0f, 100, bytes("X")).build(), BAD_CHUNK_LENGTH, 17);
        // 3 trailing bytes after the last chunk
        assertRejected(RawHep.hep3().text(0x0f, "X").raw(new byte[] {0, 0, 0}).build(), BAD_CHUNK_LENGTH, 13);
    }

    @Test
    void rejectsChunkValuesOfTheWrongSize() {
        assertRejected(RawHep.hep3().chunk(0, 0x03, new byte[] {1, 2, 3, 4, 5}).text(0x0f, "X").build(), BAD_CHUNK_VALUE, 6);
        assertRejected(RawHep.hep3().chunk(0, 0x06, new byte[4]).text(0x0f, "X").build(), BAD_CHUNK_VALUE, 6);
        assertRejected(RawHep.hep3().chunk(0, 0x07, new byte[1]).text(0x0f, "X").build(), BAD_CHUNK_VALUE, 6);
        assertRejected(RawHep.hep3().chunk(0, 0x09, new byte[8]).text(0x0f, "X").build(), BAD_CHUNK_VALUE, 6);
        assertRejected(RawHep.hep3().chunk(0, 0x0b, new byte[0]).text(0x0f, "X").build(), BAD_CHUNK_VALUE, 6);
        assertRejected(RawHep.hep3().text(0x0f, "X").chunk(0, 0x14, new byte[7]).build(), BAD_CHUNK_VALUE, 13);
    }

    @Test
    void rejectsDuplicateChunks() {
        assertRejected(RawHep.hep3().u8(0x0b, 1).u8(0x0b, 100).text(0x0f, "X").build(), DUPLICATE_CHUNK, 13);
        assertRejected(RawHep.hep3().text(0x0f, "X").chunk(0, 0x10, deflate("Y".getBytes(), true)).build(), DUPLICATE_CHUNK, 13);
        assertRejected(RawHep.hep3().text(0x0e, "a").text(0x0e, "b").text(0x0f, "X").build(), DUPLICATE_CHUNK, 13);
    }

    @Test
    void rejectsPacketWithoutPayloadUnlessAllowed() {
        byte[] keepAlive = RawHep.hep3().u32(0x0c, 2001).u16(0x0d, 30).build();

        assertRejected(keepAlive, MISSING_PAYLOAD, keepAlive.length);
        HepPacket p = HepDecoder.builder().requirePayload(false).build().decode(keepAlive, 0, keepAlive.length);
        assertThat(p.payload).isNull();
        assertThat(p.keepAliveTimer).isEqualTo(30);
    }

    @Test
    void acceptsAnEmptyPayloadChunk() {
        byte[] wire = RawHep.hep3().chunk(0, 0x0f, new byte[0]).build();

        assertThat(decoder.decode(wire, 0, wire.length).payload).isEmpty();
    }

    // ------------------------------------------------------------ auth key

    @Test
    void requiredAuthKeyMustMatchExactly() {
        HepDecoder strict = HepDecoder.builder().requiredAuthKey("myHepSecret").build();
        byte[] good = RawHep.hep3().text(0x0e, "myHepSecret").typicalSip("X").build();
        byte[] wrong = RawHep.hep3().text(0x0e, "myHepSecreT").typicalSip("X").build();
        byte[] prefix = RawHep.hep3().text(0x0e, "myHep").typicalSip("X").build();
        byte[] longer = RawHep.hep3().text(0x0e, "myHepSecret!").typicalSip("X").build();
        byte[] none = RawHep.hep3().typicalSip("X").build();

        assertThat(strict.decode(good, 0, good.length).authKey).isEqualTo("myHepSecret");
        assertRejectedBy(strict, wrong, AUTH_FAILED, 12);
        assertRejectedBy(strict, prefix, AUTH_FAILED, 12);
        assertRejectedBy(strict, longer, AUTH_FAILED, 12);
        assertRejectedBy(strict, none, AUTH_FAILED, 0);
        // without a required key any key is accepted and reported
        assertThat(decoder.decode(wrong, 0, wrong.length).authKey).isEqualTo("myHepSecreT");
    }

    @Test
    void authIsCheckedBeforeAZipBombIsInflated() {
        HepDecoder strict = HepDecoder.builder().requiredAuthKey("k").maxDecompressedPayload(1000).build();
        byte[] bomb = RawHep.hep3().text(0x0e, "wrong").chunk(0, 0x10, gzip(new byte[100_000])).build();

        assertRejectedBy(strict, bomb, AUTH_FAILED, 12);
    }

    @Test
    void legacyPacketsCannotPassAnAuthKeyCheck() {
        byte[] v2 = HexFormat.of().parseHex("0210021113c413c4" + "0a0000010a000002" + "00".repeat(12) + "58");
        HepDecoder strict = HepDecoder.builder().requiredAuthKey("k").build();

        assertThat(decoder.decode(v2, 0, v2.length).payload).containsExactly('X');
        assertRejectedBy(strict, v2, AUTH_FAILED, 0);
    }

    // ------------------------------------------------------------ compressed payloads (0x0010)

    @Test
    void inflatesGzipZlibAndRawDeflate() throws Exception {
        byte[] sip = HepTestPackets.SIP.getBytes(StandardCharsets.US_ASCII);
        for (byte[] compressed : new byte[][] {gzip(sip), deflate(sip, false), deflate(sip, true)}) {
            byte[] wire = RawHep.hep3().u8(0x0b, 1).chunk(0, 0x10, compressed).build();

            HepPacket p = decoder.decode(wire, 0, wire.length);

            assertThat(p.payload).isEqualTo(sip);
            assertThat(p.payloadWasCompressed).isTrue();
        }
    }

    @Test
    void inflatesGzipWithOptionalHeaderFields() {
        byte[] sip = HepTestPackets.SIP.getBytes(StandardCharsets.US_ASCII);
        byte[] plain = gzip(sip);
        // same member with FEXTRA (2 bytes), FNAME "a", FCOMMENT "b" and FHCRC
        ByteArrayOutputStream g = new ByteArrayOutputStream();
        g.write(0x1f);
        g.write(0x8b);
        g.write(8);
        g.write(0x04 | 0x08 | 0x10 | 0x02);
        g.write(plain, 4, 6);
        g.writeBytes(new byte[] {2, 0, 'x', 'y', 'a', 0, 'b', 0, 0x12, 0x34});
        g.write(plain, 10, plain.length - 10);
        byte[] wire = RawHep.hep3().chunk(0, 0x10, g.toByteArray()).build();

        assertThat(decoder.decode(wire, 0, wire.length).payload).isEqualTo(sip);
    }

    @Test
    void rejectsCorruptCompressedPayloads() {
        byte[] sip = HepTestPackets.SIP.getBytes(StandardCharsets.US_ASCII);
        byte[] gz = gzip(sip);
        byte[] badCrc = gz.clone();
        badCrc[gz.length - 8] ^= 1;
        byte[] truncated = java.util.Arrays.copyOf(gz, gz.length - 12);
        byte[] trailing = java.util.Arrays.copyOf(gz, gz.length + 3);
        byte[] zlib = deflate(sip, false);
        byte[] badAdler = zlib.clone();
        badAdler[zlib.length - 1] ^= 1;

        for (byte[] bad : new byte[][] {badCrc, truncated, trailing, badAdler, bytes("not compressed at all")}) {
            byte[] wire = RawHep.hep3().chunk(0, 0x10, bad).build();
            assertRejected(wire, DECOMPRESSION_FAILED, -1);
        }
    }

    @Test
    void zipBombIsStoppedAtTheLimit() {
        HepDecoder small = HepDecoder.builder().maxDecompressedPayload(64 * 1024).build();
        byte[] bomb = gzip(new byte[10 * 1024 * 1024]); // 10 MiB of zeros, about 10 KB compressed
        assertThat(bomb.length).isLessThan(65_000);
        byte[] wire = RawHep.hep3().chunk(0, 0x10, bomb).build();

        assertRejectedBy(small, wire, PAYLOAD_TOO_LARGE, 12);
        assertRejected(wire, PAYLOAD_TOO_LARGE, 12); // the 1 MiB default
    }

    @Test
    void payloadOfExactlyTheLimitIsAccepted() {
        byte[] data = new byte[4096];
        HepDecoder exact = HepDecoder.builder().maxDecompressedPayload(4096).build();
        HepDecoder oneLess = HepDecoder.builder().maxDecompressedPayload(4095).build();
        for (byte[] compressed : new byte[][] {gzip(data), deflate(data, false), deflate(data, true)}) {
            byte[] wire = RawHep.hep3().chunk(0, 0x10, compressed).build();
            assertThat(exact.decode(wire, 0, wire.length).payload).hasSize(4096);
            assertRejectedBy(oneLess, wire, PAYLOAD_TOO_LARGE, 12);
        }
    }

    // ------------------------------------------------------------ HEPv1 / HEPv2, Kamailio's layout

    @Test
    void decodesHepV1Ipv4() {
        // hep_hdr: v1, hdrlen 16, AF_INET, UDP, 5060 -> 5080; hep_iphdr 10.0.0.1 -> 10.0.0.2; payload
        byte[] v1 = HexFormat.of().parseHex("0110021113c413d80a0000010a000002" + hex("OPTIONS"));

        HepPacket p = decoder.decode(v1, 0, v1.length);

        assertThat(p.version).isEqualTo(1);
        assertThat(p.ipFamily).isEqualTo(2);
        assertThat(p.ipProtocol).isEqualTo(17);
        assertThat(p.srcPort).isEqualTo(5060);
        assertThat(p.dstPort).isEqualTo(5080);
        assertThat(p.srcIpText()).isEqualTo("10.0.0.1");
        assertThat(p.dstIpText()).isEqualTo("10.0.0.2");
        assertThat(p.protoType).isEqualTo(HepPacket.PROTO_SIP);
        assertThat(p.timeSeconds).isEqualTo(-1);
        assertThat(p.captureId).isEqualTo(-1);
        assertThat(new String(p.payload, StandardCharsets.US_ASCII)).isEqualTo("OPTIONS");
    }

    @Test
    void decodesHepV2Ipv4WithLittleEndianTimeHeaderAndPadding() {
        // hep_timehdr as an x86 Kamailio writes it: tv_sec 1767225600 (0x6955b900) LE,
        // tv_usec 123456 (0x0001e240) LE, captid 2001 (0x07d1) LE, 2 padding bytes
        byte[] v2 = HexFormat.of().parseHex("0210020613c413d80a0000010a000002" + "00b95569" + "40e20100" + "d107" + "0000"
                + hex("INVITE"));

        HepPacket p = decoder.decode(v2, 0, v2.length);

        assertThat(p.version).isEqualTo(2);
        assertThat(p.ipProtocol).isEqualTo(6);
        assertThat(p.timeSeconds).isEqualTo(1_767_225_600L);
        assertThat(p.timeMicros).isEqualTo(123_456);
        assertThat(p.captureId).isEqualTo(2001);
        assertThat(new String(p.payload, StandardCharsets.US_ASCII)).isEqualTo("INVITE");
    }

    @Test
    void decodesHepV2Ipv6IncludingBsdFamilyNumbers() {
        String addrs = "20010db8000000000000000000000001" + "20010db8000000000000000000000002";
        for (String family : new String[] {"0a", "1c", "1e"}) { // Linux 10, FreeBSD 28, macOS 30
            byte[] v2 = HexFormat.of().parseHex("0228" + family + "1113c413c4" + addrs + "01000000" + "02000000" + "0300" + "0000"
                    + hex("BYE"));

            HepPacket p = decoder.decode(v2, 0, v2.length);

            assertThat(p.ipFamily).isEqualTo(HepPacket.AF_INET6);
            assertThat(p.srcIpText()).isEqualTo("2001:db8::1");
            assertThat(p.dstIpText()).isEqualTo("2001:db8::2");
            assertThat(p.timeSeconds).isEqualTo(1);
            assertThat(p.timeMicros).isEqualTo(2);
            assertThat(p.captureId).isEqualTo(3);
            assertThat(new String(p.payload, StandardCharsets.US_ASCII)).isEqualTo("BYE");
        }
    }

    @Test
    void rejectsBadLegacyHeaders() {
        assertRejected(HexFormat.of().parseHex("01100211"), TOO_SHORT, 0);
        // IPv4 v2 needs 28 header bytes; 27 given
        assertRejected(HexFormat.of().parseHex("0210021113c413d80a0000010a000002" + "00".repeat(11)), TOO_SHORT, 0);
        assertRejected(HexFormat.of().parseHex("0110051113c413d80a0000010a00000258"), BAD_CHUNK_VALUE, 2);
        assertRejected(HexFormat.of().parseHex("0110021113c413d80a0000010a000002"), MISSING_PAYLOAD, 16);
    }

    // ------------------------------------------------------------ builder validation

    @Test
    void builderRejectsBadSettingsWithTheValue() {
        assertThatThrownBy(() -> HepDecoder.builder().maxDecompressedPayload(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(": 0");
        assertThatThrownBy(() -> HepDecoder.builder().requiredAuthKey(""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void exceptionCarriesReasonOffsetAndDetail() {
        byte[] wire = RawHep.hep3().typicalSip("X").totalLength(7).build();

        assertThatThrownBy(() -> decoder.decode(wire, 0, wire.length))
                .isInstanceOfSatisfying(HepDecodeException.class, e -> {
                    assertThat(e.reason()).isEqualTo(LENGTH_MISMATCH);
                    assertThat(e.offset()).isEqualTo(4);
                    assertThat(e.detail()).contains("7").contains(String.valueOf(wire.length));
                    assertThat(e.getMessage()).startsWith("LENGTH_MISMATCH at offset 4: ");
                    assertThat(e.getStackTrace()).isEmpty(); // cheap under a flood
                });
    }

    // ------------------------------------------------------------ helpers

    private void assertRejected(byte[] wire, Reason reason, int offset) {
        assertRejectedBy(decoder, wire, reason, offset);
    }

    /** {@code offset} -1: any offset. */
    static void assertRejectedBy(HepDecoder d, byte[] wire, Reason reason, int offset) {
        assertThatThrownBy(() -> d.decode(wire, 0, wire.length))
                .isInstanceOfSatisfying(HepDecodeException.class, e -> {
                    assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
                    if (offset >= 0) {
                        assertThat(e.offset()).as(e.getMessage()).isEqualTo(offset);
                    }
                });
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String hex(String s) {
        return HexFormat.of().formatHex(bytes(s));
    }

    static byte[] gzip(byte[] data) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(data);
            }
            return out.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** zlib framing, or raw deflate when {@code raw}. */
    static byte[] deflate(byte[] data, boolean raw) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, raw);
            try (DeflaterOutputStream d = new DeflaterOutputStream(out, deflater)) {
                d.write(data);
            } finally {
                deflater.end();
            }
            return out.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
