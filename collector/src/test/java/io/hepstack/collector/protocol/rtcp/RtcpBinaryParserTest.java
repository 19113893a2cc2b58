package io.hepstack.collector.protocol.rtcp;

import static io.hepstack.collector.protocol.rtcp.RtcpBytes.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

class RtcpBinaryParserTest {

    private final RtcpBinaryParser parser = new RtcpBinaryParser();

    @Test
    void voipMetricsBlockPassesEveryFieldThrough() throws Exception {
        RtcpReport r = parser.parse(concat(RtcpBytes.rrOneBlock(), RtcpBytes.xrVoipMetrics()));

        assertThat(r.packetTypes()).containsExactly(201, 207);
        assertThat(r.senderSsrc()).isEqualTo(0xaabbccddL);
        assertThat(r.senderInfo()).isNull();
        assertThat(r.reportBlocks()).containsExactly(new RtcpReport.ReportBlock(0xaabbccddL, 0x11223344L, 13, -5,
                0x0001f000L, 160, 0x12345678L, 6554));
        RtcpReport.ReportBlock b = r.reportBlocks().get(0);
        assertThat(b.seqCycles()).isEqualTo(1);
        assertThat(b.highestSeq()).isEqualTo(61440);
        assertThat(b.fractionLostPct()).isEqualTo(13 * 100.0 / 256);

        assertThat(r.xrBlocks()).hasSize(2);
        assertThat(r.voipMetrics()).containsExactly(new XrBlock.VoipMetrics(0xaabbccddL, 0x11223344L,
                13, 7, 200, 3, 120, 4500, 85, 40, -20, -65, 127, 16, 87, 127, 41, 39, 0b11_10_0101, 60, 120, 200));
        XrBlock.VoipMetrics vm = r.voipMetrics().get(0);
        assertThat(vm.blockType()).isEqualTo(7);
        assertThat(vm.lossRatePct()).isEqualTo(13 * 100.0 / 256);
        assertThat(vm.discardRatePct()).isEqualTo(7 * 100.0 / 256);
        assertThat(vm.rFactorValue()).isEqualTo(87.0);
        assertThat(vm.extRFactorValue()).isNaN();
        assertThat(vm.mosLqValue()).isEqualTo(4.1);
        assertThat(vm.mosCqValue()).isEqualTo(3.9);
        assertThat(vm.plc()).isEqualTo(3);
        assertThat(vm.jitterBufferAdaptive()).isEqualTo(2);
        assertThat(vm.jitterBufferRate()).isEqualTo(5);
        assertThat(r.xrBlocks().get(1)).isEqualTo(new XrBlock.Raw(0xaabbccddL, 4, 0, 2));
    }

    @Test
    void srSdesByeAppCompound() throws Exception {
        RtcpReport r = parser.parse(concat(RtcpBytes.srNoBlocks(), RtcpBytes.sdesCname(), RtcpBytes.byeWithReason(),
                RtcpBytes.app()));
        assertThat(r.packetTypes()).containsExactly(200, 202, 203, 204);
        assertThat(r.senderSsrc()).isEqualTo(0x01020304L);
        assertThat(r.senderInfo()).isEqualTo(new RtcpReport.SenderInfo(3_976_214_475L, 2_761_663_971L, 584_000,
                3650, 584_000));
        // middle 32 bits: low 16 of 0xed0037cb (seconds), high 16 of 0xa49ba5e3 (fraction)
        assertThat(r.senderInfo().ntpMiddle32()).isEqualTo(0x37cba49bL);
        assertThat(r.reportBlocks()).isEmpty();
        assertThat(r.cname()).isEqualTo("user@host");
        assertThat(r.bye()).isEqualTo(new RtcpReport.Bye(List.of(0x01020304L), "bye now"));
        assertThat(r.apps()).containsExactly(new RtcpReport.App(0x01020304L, 5, "TEST", 4));
    }

    @Test
    void paddingOnTheLastPacketIsRemoved() throws Exception {
        // SR without blocks (28 bytes) + 4 padding bytes, the last holding the count 4
        byte[] sr = RtcpBytes.srNoBlocks();
        byte[] padded = concat(sr, new byte[] {0, 0, 0, 4});
        padded[0] |= 0x20;
        padded[3] = 7; // length: 32 bytes = 8 words - 1
        RtcpReport r = parser.parse(padded);
        assertThat(r.senderInfo().packetCount()).isEqualTo(3650);

        padded[padded.length - 1] = 0;
        assertError(padded, "padding count 0", 31);
        padded[padded.length - 1] = 29; // more than the 28 bytes after the header
        assertError(padded, "padding count 29", 31);
    }

    @Test
    void negativeCumulativeLostIsSignExtended() throws Exception {
        byte[] rr = new RtcpBytes().header(false, 1, 201, 7).u32(1)
                .reportBlock(2, 0, 0x800000, 100, 0, 0, 0).toByteArray();
        assertThat(parser.parse(rr).reportBlocks().get(0).cumulativeLost()).isEqualTo(-8_388_608);
        rr = new RtcpBytes().header(false, 1, 201, 7).u32(1)
                .reportBlock(2, 0, 0x7fffff, 100, 0, 0, 0).toByteArray();
        assertThat(parser.parse(rr).reportBlocks().get(0).cumulativeLost()).isEqualTo(8_388_607);
    }

    @Test
    void sdesTextKeepsUtf8AndDropsTheNulTerminator() throws Exception {
        byte[] name = "é@x".getBytes(java.nio.charset.StandardCharsets.UTF_8); // 4 bytes
        // SSRC 4 + type/length 2 + text 4 + NUL 1 + END 1 = 12 bytes: aligned
        byte[] sdes = new RtcpBytes().header(false, 1, 202, 3).u32(9).u8(1).u8(name.length + 1).bytes(name).u8(0)
                .u8(0).toByteArray();
        assertThat(parser.parse(sdes).cname()).isEqualTo("é@x");
    }

    @Test
    void parsesASliceOfALargerArray() throws Exception {
        byte[] rr = RtcpBytes.rrOneBlock();
        byte[] big = concat(new byte[] {9, 9, 9}, rr, new byte[] {7});
        assertThat(parser.parse(big, 3, rr.length)).isEqualTo(parser.parse(rr));
        assertThatThrownBy(() -> parser.parse(big, 3, big.length)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void malformedPacketsGiveReasonAndOffset() {
        byte[] rr = RtcpBytes.rrOneBlock();

        assertError(new byte[0], "shorter than an RTCP header", 0);
        assertError(new byte[] {(byte) 0x80, (byte) 201}, "shorter than an RTCP header", 0);

        byte[] v1 = rr.clone();
        v1[0] = 0x41;
        assertError(v1, "RTCP version 1, expected 2", 0);

        byte[] notRtcp = rr.clone();
        notRtcp[1] = 100;
        assertError(notRtcp, "packet type 100 is not an RTCP type", 1);

        byte[] tooLong = rr.clone();
        tooLong[3] = 8;
        assertError(tooLong, "packet length 36 bytes exceeds the 32 bytes left", 2);

        assertError(concat(rr, new byte[] {1, 2}), "2 trailing bytes", 32);
        assertError(concat(rr, new byte[] {(byte) 0x80, (byte) 201, 0, 7}), "packet length 32 bytes exceeds the 4",
                34);

        byte[] rc3 = rr.clone();
        rc3[0] = (byte) 0x83; // claims 3 report blocks in a 1-block packet
        assertError(rc3, "RR with 3 report blocks needs 76 bytes after the header, packet has 28", 2);

        byte[] sdesNoEnd = new RtcpBytes().header(false, 1, 202, 2).u32(1).u8(1).u8(2).ascii("ab").toByteArray();
        assertError(sdesNoEnd, "SDES chunk 1 is not terminated by an END item", 12);

        byte[] sdesItemTooLong = new RtcpBytes().header(false, 1, 202, 2).u32(1).u8(1).u8(9).ascii("ab")
                .toByteArray();
        assertError(sdesItemTooLong, "SDES item length 9 exceeds the packet", 9);

        byte[] byeReasonTooLong = new RtcpBytes().header(false, 1, 203, 2).u32(1).u8(20).ascii("abc").toByteArray();
        assertError(byeReasonTooLong, "BYE reason length 20 exceeds the packet", 8);

        byte[] xr = RtcpBytes.xrVoipMetrics();
        byte[] vmShort = xr.clone();
        vmShort[11] = 7; // VoIP Metrics block claims 7 words
        assertError(vmShort, "XR VoIP Metrics block length 7 words, expected 8", 10);
        byte[] blockTooLong = xr.clone();
        blockTooLong[47] = 3; // the reference time block claims 3 words, 2 are left
        assertError(blockTooLong, "XR block type 4 length 3 words exceeds the packet", 46);
    }

    @Test
    void everyTruncationIsRejectedUnlessItEndsOnAPacketBoundary() throws Exception {
        byte[] compound = concat(RtcpBytes.srNoBlocks(), RtcpBytes.sdesCname(), RtcpBytes.rrOneBlock(),
                RtcpBytes.xrVoipMetrics(), RtcpBytes.byeWithReason());
        TreeSet<Integer> boundaries = new TreeSet<>(List.of(28, 48, 80, 136));
        int accepted = 0;
        for (int len = 0; len < compound.length; len++) {
            byte[] cut = Arrays.copyOf(compound, len);
            try {
                RtcpReport r = parser.parse(cut);
                assertThat(boundaries).as("parsed a cut at " + len).contains(len);
                assertThat(r.packetTypes()).hasSize(boundaries.headSet(len + 1).size());
                accepted++;
            } catch (RtcpParseException e) {
                assertThat(boundaries).as("rejected a cut at " + len + ": " + e.getMessage()).doesNotContain(len);
                assertThat(e.offset()).isBetween(0L, (long) len);
            }
        }
        assertThat(accepted).isEqualTo(boundaries.size());
        assertThat(parser.parse(compound).packetTypes()).containsExactly(200, 202, 201, 207, 203);
    }

    @Test
    void mutatedPacketsNeverThrowAnythingButRtcpParseException() {
        List<byte[]> seeds = new ArrayList<>(List.of(
                concat(RtcpBytes.rrOneBlock(), RtcpBytes.xrVoipMetrics()),
                concat(RtcpBytes.srNoBlocks(), RtcpBytes.sdesCname(), RtcpBytes.byeWithReason(), RtcpBytes.app()),
                concat(RtcpBytes.srNoBlocks(), RtcpBytes.rrOneBlock())));
        Random rnd = new Random(20260101L);
        int parsed = 0;
        int rejected = 0;
        for (int i = 0; i < 200_000; i++) {
            byte[] b = mutate(seeds.get(rnd.nextInt(seeds.size())), rnd);
            try {
                parser.parse(b);
                parsed++;
            } catch (RtcpParseException e) {
                rejected++;
                assertThat(e.offset()).isBetween(0L, (long) Math.max(0, b.length));
                assertThat(e.reason()).isNotBlank();
            } catch (Throwable t) {
                fail("input " + java.util.HexFormat.of().formatHex(b) + " threw " + t, t);
            }
        }
        // the mutations must exercise both outcomes
        assertThat(parsed).isGreaterThan(1000);
        assertThat(rejected).isGreaterThan(1000);
    }

    @Test
    void randomBytesNeverThrowAnythingButRtcpParseException() {
        Random rnd = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            byte[] b = new byte[rnd.nextInt(120)];
            rnd.nextBytes(b);
            if (b.length > 0 && rnd.nextBoolean()) {
                b[0] = (byte) (0x80 | (b[0] & 0x3f)); // version 2 half of the time
            }
            try {
                parser.parse(b);
            } catch (RtcpParseException expected) {
                // fine
            } catch (Throwable t) {
                fail("input " + java.util.HexFormat.of().formatHex(b) + " threw " + t, t);
            }
        }
    }

    private static byte[] mutate(byte[] seed, Random rnd) {
        byte[] b = seed.clone();
        switch (rnd.nextInt(6)) {
            case 0 -> b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));           // bit flip
            case 1 -> b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);                  // byte set
            case 2 -> b = Arrays.copyOf(b, rnd.nextInt(b.length));                         // truncate
            case 3 -> {                                                                    // length field
                int at = 4 * rnd.nextInt(b.length / 4);
                if (at + 3 < b.length) {
                    b[at + 2] = (byte) rnd.nextInt(3);
                    b[at + 3] = (byte) rnd.nextInt(256);
                }
            }
            case 4 -> {                                                                    // count field
                int at = 4 * rnd.nextInt(b.length / 4);
                b[at] = (byte) ((b[at] & 0xe0) | rnd.nextInt(32));
            }
            default -> {                                                                   // insert bytes
                int at = rnd.nextInt(b.length + 1);
                byte[] ins = new byte[1 + rnd.nextInt(8)];
                rnd.nextBytes(ins);
                b = concat(Arrays.copyOf(b, at), ins, Arrays.copyOfRange(b, at, b.length));
            }
        }
        return b;
    }

    private void assertError(byte[] packet, String reason, long offset) {
        assertThatThrownBy(() -> parser.parse(packet))
                .isInstanceOfSatisfying(RtcpParseException.class, e -> {
                    assertThat(e.reason()).contains(reason);
                    assertThat(e.offset()).as("offset of: " + e.reason()).isEqualTo(offset);
                });
    }
}
