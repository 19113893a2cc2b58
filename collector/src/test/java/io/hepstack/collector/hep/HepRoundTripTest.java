package io.hepstack.collector.hep;

import static io.hepstack.collector.hep.HepTestPackets.assertSamePacket;
import static io.hepstack.collector.hep.HepTestPackets.everyChunk;
import static io.hepstack.collector.hep.HepTestPackets.simpleSip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hepstack.collector.hep.HepEncoder.Compression;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class HepRoundTripTest {

    private final HepDecoder decoder = new HepDecoder();

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void everyChunkSurvivesEncodeDecode(boolean ipv6) {
        HepPacket original = everyChunk(ipv6);

        byte[] wire = new HepEncoder().encode(original);
        HepPacket decoded = decoder.decode(wire, 0, wire.length);

        assertSamePacket(decoded, original);
        assertThat(decoded.srcIpText()).isEqualTo(ipv6 ? "2001:218::1" : "81.2.69.142");
        assertThat(decoded.dstIpText()).isEqualTo(ipv6 ? "2600:6000::1" : "192.0.2.10");
    }

    @Test
    void comparisonHelperSeesADifferenceInAnyField() {
        HepPacket a = everyChunk(false);
        HepPacket deep = everyChunk(false);
        deep.otherChunks().get(0).value()[2] = 9; // deep inside an other chunk
        HepPacket shallow = everyChunk(false);
        shallow.ipTos = 0;
        HepPacket mac = everyChunk(false);
        mac.srcMac[5] = 0;

        assertThatThrownBy(() -> assertSamePacket(a, deep)).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> assertSamePacket(a, shallow)).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> assertSamePacket(a, mac)).isInstanceOf(AssertionError.class);
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"GZIP", "ZLIB", "DEFLATE"})
    void compressedPayloadsSurvive(Compression compression) throws IOException {
        HepPacket original = everyChunk(false);

        byte[] wire = new HepEncoder(compression).encode(original);
        HepPacket decoded = decoder.decode(wire, 0, wire.length);

        assertThat(decoded.payloadWasCompressed).isTrue();
        original.payloadWasCompressed = true;
        assertSamePacket(decoded, original);
        assertThat(wire.length).isLessThan(new HepEncoder().encode(original).length + 20);
        // the JDK's own streams read what the encoder wrote: the framing is the standard one
        byte[] chunk = payloadChunkValue(wire, 0x10);
        if (compression == Compression.GZIP) {
            assertThat(new GZIPInputStream(new ByteArrayInputStream(chunk)).readAllBytes()).isEqualTo(original.payload);
        } else if (compression == Compression.ZLIB) {
            assertThat(new InflaterInputStream(new ByteArrayInputStream(chunk)).readAllBytes()).isEqualTo(original.payload);
        }
    }

    @Test
    void encodesIntoAByteBufAtItsWriterIndex() {
        HepPacket original = everyChunk(true);
        HepEncoder encoder = new HepEncoder();
        ByteBuf buf = Unpooled.buffer(8).writeBytes(new byte[] {1, 2, 3});

        int written = encoder.encode(original, buf);
        written += encoder.encode(original, buf);

        assertThat(written).isEqualTo(2 * encoder.encodedLength(original));
        assertThat(buf.readableBytes()).isEqualTo(3 + written);
        HepPacket first = decoder.decode(buf.slice(3, written / 2));
        HepPacket second = decoder.decode(buf.slice(3 + written / 2, written / 2));
        assertSamePacket(first, original);
        assertSamePacket(second, original);
        buf.release();
    }

    @Test
    void unsetFieldsAreNotWritten() {
        HepPacket p = new HepPacket();
        p.payload = new byte[] {'X'};

        byte[] wire = new HepEncoder().encode(p);

        assertThat(wire).containsExactly('H', 'E', 'P', '3', 0, 13, 0, 0, 0, 0x0f, 0, 7, 'X');
        HepPacket back = decoder.decode(wire, 0, wire.length);
        p.version = 3;
        assertSamePacket(back, p);
    }

    @Test
    void wireFormatOfATypicalPacketIsWhatKamailioSends() {
        // same chunks, same order as RawHep.typicalSip (written by hand after Kamailio's siptrace)
        HepPacket p = new HepPacket();
        p.ipFamily = 2;
        p.ipProtocol = 17;
        p.srcIp = new byte[] {10, 0, 0, 1};
        p.dstIp = new byte[] {10, 0, 0, 2};
        p.srcPort = 5060;
        p.dstPort = 5080;
        p.timeSeconds = 1_767_225_600L;
        p.timeMicros = 123_456;
        p.protoType = 1;
        p.captureId = 2001;
        p.payload = "SIP".getBytes();

        assertThat(new HepEncoder().encode(p)).isEqualTo(RawHep.hep3().typicalSip("SIP").build());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void legacyVersionsRoundTrip(int version) {
        for (boolean ipv6 : new boolean[] {false, true}) {
            HepPacket original = simpleSip();
            if (ipv6) {
                original.ipFamily = HepPacket.AF_INET6;
                original.srcIp = everyChunk(true).srcIp;
                original.dstIp = everyChunk(true).dstIp;
            }
            original.captureId = 65535;

            byte[] wire = new HepEncoder().encodeLegacy(original, version);
            HepPacket decoded = decoder.decode(wire, 0, wire.length);

            assertThat(wire.length).isEqualTo((ipv6 ? 40 : 16) + (version == 2 ? 12 : 0) + original.payload.length);
            original.version = version;
            if (version == 1) { // v1 carries no time and no capture id
                original.timeSeconds = -1;
                original.timeMicros = -1;
                original.captureId = -1;
            }
            assertSamePacket(decoded, original);
        }
    }

    @Test
    void encoderRejectsWhatCannotBeEncoded() {
        HepEncoder encoder = new HepEncoder();
        HepPacket tooBig = simpleSip();
        tooBig.payload = new byte[65_536];
        assertThatThrownBy(() -> encoder.encode(tooBig)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65535");

        HepPacket badPort = simpleSip();
        badPort.srcPort = 70_000;
        assertThatThrownBy(() -> encoder.encode(badPort)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("70000");

        HepPacket badIp = simpleSip();
        badIp.srcIp = new byte[5];
        assertThatThrownBy(() -> encoder.encode(badIp)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5");

        HepPacket mixed = simpleSip();
        mixed.dstIp = new byte[16];
        assertThatThrownBy(() -> encoder.encodeLegacy(mixed, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> encoder.encodeLegacy(simpleSip(), 3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void largestPacketFitsExactly() {
        HepPacket p = new HepPacket();
        p.payload = new byte[65_535 - 6 - 6];

        byte[] wire = new HepEncoder().encode(p);

        assertThat(wire).hasSize(65_535);
        assertThat(decoder.decode(wire, 0, wire.length).payload).hasSize(65_523);
    }

    /** The value of the first chunk of {@code type}, found by walking the chunks. */
    static byte[] payloadChunkValue(byte[] wire, int type) {
        int off = 6;
        while (off < wire.length) {
            int t = ((wire[off + 2] & 0xff) << 8) | (wire[off + 3] & 0xff);
            int len = ((wire[off + 4] & 0xff) << 8) | (wire[off + 5] & 0xff);
            if (t == type) {
                return java.util.Arrays.copyOfRange(wire, off + 6, off + len);
            }
            off += len;
        }
        throw new AssertionError("no chunk 0x" + Integer.toHexString(type));
    }
}
