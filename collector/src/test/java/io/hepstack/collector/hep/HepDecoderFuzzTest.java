package io.hepstack.collector.hep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.hepstack.collector.hep.HepDecodeException.Reason;
import io.hepstack.collector.hep.HepEncoder.Compression;
import io.hepstack.collector.pcap.PcapPacket;
import io.hepstack.collector.pcap.PcapReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Property tests with a fixed seed: whatever the bytes, the decoder returns a packet or throws
 * a {@link HepDecodeException} with a reason and an offset inside the input; nothing else.
 * Every packet it accepts survives a re-encode unchanged.
 */
class HepDecoderFuzzTest {

    private static final long SEED = 20260101L;
    private static final List<byte[]> SEEDS = new ArrayList<>();
    private static final HepEncoder ENCODER = new HepEncoder();

    private final HepDecoder decoder = HepDecoder.builder().maxDecompressedPayload(256 * 1024).build();
    private final HepDecoder strict = HepDecoder.builder().requiredAuthKey("myHep").build();
    private final Map<Reason, Integer> seenReasons = new EnumMap<>(Reason.class);
    private int accepted;

    @BeforeAll
    static void loadSeeds() throws IOException {
        // real agent output: Kamailio siptrace and hep-js (hepgen)
        for (String file : new String[] {"kamailio-hep3.pcap", "hepgen-20calls.pcap"}) {
            List<PcapPacket> packets = PcapReader.read(Path.of("../testdata/hep", file));
            for (int i = 0; i < packets.size(); i += 7) {
                SEEDS.add(packets.get(i).payload());
            }
        }
        HepEncoder plain = new HepEncoder();
        SEEDS.add(plain.encode(HepTestPackets.everyChunk(false)));
        SEEDS.add(plain.encode(HepTestPackets.everyChunk(true)));
        for (Compression c : new Compression[] {Compression.GZIP, Compression.ZLIB, Compression.DEFLATE}) {
            SEEDS.add(new HepEncoder(c).encode(HepTestPackets.everyChunk(false)));
        }
        SEEDS.add(plain.encodeLegacy(HepTestPackets.simpleSip(), 1));
        SEEDS.add(plain.encodeLegacy(HepTestPackets.simpleSip(), 2));
        assertThat(SEEDS).hasSizeGreaterThan(50);
    }

    @Test
    void randomBytesNeverEscapeAsAnythingButHepDecodeException() {
        Random rnd = new Random(SEED);
        for (int i = 0; i < 30_000; i++) {
            byte[] data = new byte[rnd.nextInt(300)];
            rnd.nextBytes(data);
            switch (i % 4) {
                case 1 -> prefix(data, "HEP3", true);      // past the magic and the length check
                case 2 -> prefix(data, "EEP1", true);
                case 3 -> {
                    if (data.length > 0) {
                        data[0] = (byte) (1 + rnd.nextInt(2)); // a v1/v2 version byte
                    }
                }
                default -> {
                }
            }
            check(data, i);
        }
        assertThat(seenReasons).containsKeys(Reason.TOO_SHORT, Reason.BAD_MAGIC, Reason.BAD_CHUNK_LENGTH,
                Reason.BAD_CHUNK_VALUE, Reason.MISSING_PAYLOAD);
    }

    @Test
    void randomChunkSequencesNeverEscape() {
        // well-formed chunk framing with random types and sizes: exercises every value check
        Random rnd = new Random(SEED + 1);
        for (int i = 0; i < 30_000; i++) {
            RawHep raw = RawHep.hep3();
            int n = rnd.nextInt(12);
            for (int c = 0; c < n; c++) {
                byte[] value = new byte[rnd.nextInt(5) == 0 ? rnd.nextInt(40) : rnd.nextInt(5)];
                rnd.nextBytes(value);
                int vendor = rnd.nextInt(8) == 0 ? rnd.nextInt(65536) : 0;
                int type = rnd.nextInt(10) == 0 ? rnd.nextInt(65536) : rnd.nextInt(0x2b);
                if (type == 0x10 && rnd.nextBoolean()) {
                    value = HepEncoder.compress(value, Compression.values()[1 + rnd.nextInt(3)]);
                }
                raw.chunk(vendor, type, value);
            }
            check(raw.build(), i);
        }
        assertThat(accepted).isGreaterThan(100);
        assertThat(seenReasons).containsKeys(Reason.BAD_CHUNK_VALUE, Reason.DUPLICATE_CHUNK, Reason.MISSING_PAYLOAD,
                Reason.DECOMPRESSION_FAILED);
    }

    @Test
    void mutatedRealPacketsNeverEscape() {
        Random rnd = new Random(SEED + 2);
        for (int i = 0; i < 40_000; i++) {
            byte[] seed = SEEDS.get(rnd.nextInt(SEEDS.size()));
            byte[] m = switch (i % 8) {
                case 0 -> flipBits(seed, 1 + rnd.nextInt(8), rnd);
                case 1 -> Arrays.copyOf(seed, rnd.nextInt(seed.length + 1));               // truncated
                case 2 -> extend(seed, 1 + rnd.nextInt(64), rnd);                           // extended
                case 3 -> setTotalLength(seed.clone(), rnd.nextInt(65536));                 // length field changed
                case 4 -> setChunkLength(seed, rnd, new int[] {0, 5, 6, 65535}[rnd.nextInt(4)]);
                case 5 -> setChunkLength(seed, rnd, rnd.nextInt(65536));
                case 6 -> fixTotal(flipBits(seed, 1 + rnd.nextInt(4), rnd));               // flips behind a valid length
                default -> fixTotal(extend(Arrays.copyOf(seed, Math.max(6, rnd.nextInt(seed.length + 1))),
                        rnd.nextInt(16), rnd));
            };
            check(m, i);
        }
        assertThat(accepted).isGreaterThan(1000);
        assertThat(seenReasons).containsKeys(Reason.TOO_SHORT, Reason.LENGTH_MISMATCH, Reason.BAD_CHUNK_LENGTH,
                Reason.BAD_CHUNK_VALUE, Reason.DECOMPRESSION_FAILED);
    }

    @Test
    void unmutatedSeedsAllDecode() {
        for (byte[] seed : SEEDS) {
            assertThat(decoder.decode(seed, 0, seed.length).payload).isNotNull();
        }
    }

    /** One input through both decoders; anything but a well-formed rejection fails the test. */
    private void check(byte[] data, int iteration) {
        for (HepDecoder d : new HepDecoder[] {decoder, strict}) {
            try {
                HepPacket p = d.decode(data, 0, data.length);
                accepted++;
                if (p.version < 1 || p.version > 3 || p.payload == null) {
                    fail("iteration " + iteration + ": accepted " + p);
                }
                reencodes(p);
            } catch (HepDecodeException e) {
                // plain checks: AssertJ per case would dominate the run time
                if (e.reason() == null || e.offset() < 0 || e.offset() > data.length) {
                    fail("iteration " + iteration + ": " + e.getMessage() + " for " + data.length + " bytes");
                }
                seenReasons.merge(e.reason(), 1, Integer::sum);
            } catch (Throwable t) {
                fail("iteration " + iteration + ": " + t + " on input " + HexFormat.of().formatHex(data), t);
            }
        }
    }

    /** A decoded v3 packet encodes to bytes that decode to the same packet. */
    private void reencodes(HepPacket p) {
        if (p.version != 3 || p.payloadWasCompressed) {
            return; // v1/v2 fields differ in v3 form; inflated payloads may not fit 64 KiB again
        }
        // every field is written, so equal bytes after a second trip mean no field changed
        // (a byte comparison: the recursive field comparison is too slow for tens of thousands)
        byte[] again = ENCODER.encode(p);
        byte[] twice = ENCODER.encode(decoder.decode(again, 0, again.length));
        if (!Arrays.equals(again, twice)) {
            fail("re-encoding changed " + p + ": " + HexFormat.of().formatHex(again) + " vs " + HexFormat.of().formatHex(twice));
        }
    }

    private static void prefix(byte[] data, String magic, boolean fixLength) {
        for (int i = 0; i < 4 && i < data.length; i++) {
            data[i] = (byte) magic.charAt(i);
        }
        if (fixLength && data.length >= 6) {
            setTotalLength(data, data.length);
        }
    }

    private static byte[] flipBits(byte[] seed, int n, Random rnd) {
        byte[] m = seed.clone();
        for (int i = 0; i < n && m.length > 0; i++) {
            m[rnd.nextInt(m.length)] ^= (byte) (1 << rnd.nextInt(8));
        }
        return m;
    }

    private static byte[] extend(byte[] seed, int n, Random rnd) {
        byte[] m = Arrays.copyOf(seed, seed.length + n);
        for (int i = seed.length; i < m.length; i++) {
            m[i] = (byte) rnd.nextInt(256);
        }
        return m;
    }

    private static byte[] setTotalLength(byte[] m, int total) {
        if (m.length >= 6) {
            m[4] = (byte) (total >> 8);
            m[5] = (byte) total;
        }
        return m;
    }

    private static byte[] fixTotal(byte[] m) {
        return isV3(m) ? setTotalLength(m, m.length) : m;
    }

    /** Sets the length field of a random chunk of a v3 packet. */
    private static byte[] setChunkLength(byte[] seed, Random rnd, int length) {
        byte[] m = seed.clone();
        if (!isV3(m)) {
            return flipBits(m, 1, rnd);
        }
        List<Integer> offsets = new ArrayList<>();
        int off = 6;
        while (off + 6 <= m.length) {
            offsets.add(off);
            int len = ((m[off + 4] & 0xff) << 8) | (m[off + 5] & 0xff);
            if (len < 6) {
                break;
            }
            off += len;
        }
        int at = offsets.get(rnd.nextInt(offsets.size()));
        m[at + 4] = (byte) (length >> 8);
        m[at + 5] = (byte) length;
        return m;
    }

    private static boolean isV3(byte[] m) {
        return m.length >= 6 && (m[0] == 'H' || m[0] == 'E');
    }
}
