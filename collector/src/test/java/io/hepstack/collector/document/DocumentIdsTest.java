package io.hepstack.collector.document;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import io.hepstack.collector.hep.HepDecoder;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.pcap.PcapPacket;
import io.hepstack.collector.pcap.PcapReader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link DocumentIds#of} against Guava's streaming MurmurHash3 over the same fields (the reference). */
class DocumentIdsTest {

    /** The id as defined: Guava's murmur3_128 Hasher fed field by field, base64url without padding. */
    private static String reference(HepPacket p) {
        Hasher h = Hashing.murmur3_128().newHasher()
                .putLong(p.captureId)
                .putLong(p.timeSeconds)
                .putLong(p.timeMicros)
                .putInt(p.protoType)
                .putInt(p.srcPort)
                .putInt(p.dstPort);
        if (p.srcIp != null) {
            h.putBytes(p.srcIp);
        }
        h.putByte((byte) '>');
        if (p.dstIp != null) {
            h.putBytes(p.dstIp);
        }
        if (p.correlationId != null) {
            h.putUnencodedChars(p.correlationId);
        }
        if (p.payload != null) {
            h.putBytes(p.payload);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(h.hash().asBytes());
    }

    @Test
    void sameIdsAsTheStreamingHasherForRandomPackets() {
        SplittableRandom r = new SplittableRandom(2026);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            HepPacket p = new HepPacket();
            p.captureId = r.nextInt(4) == 0 ? -1 : r.nextLong(1L << 32);
            p.timeSeconds = r.nextInt(5) == 0 ? -1 : r.nextLong(1L << 32);
            p.timeMicros = r.nextLong(1_000_000);
            p.protoType = r.nextInt(256);
            p.srcPort = r.nextInt(65536);
            p.dstPort = r.nextInt(3) == 0 ? -1 : r.nextInt(65536);
            p.srcIp = r.nextInt(6) == 0 ? null : bytes(r, r.nextBoolean() ? 4 : 16);
            p.dstIp = r.nextInt(6) == 0 ? null : bytes(r, r.nextBoolean() ? 4 : 16);
            if (r.nextBoolean()) {
                StringBuilder c = new StringBuilder();
                for (int k = r.nextInt(40); k > 0; k--) {
                    c.append((char) (r.nextInt(8) == 0 ? r.nextInt(0x3000) : 'a' + r.nextInt(26)));
                }
                p.correlationId = c.toString();
            }
            // every tail length of the last 16-byte block, and long payloads
            p.payload = r.nextInt(10) == 0 ? null : bytes(r, i % 3 == 0 ? r.nextInt(4000) : r.nextInt(64));
            String id = DocumentIds.of(p);
            assertThat(id).as("packet %d", i).isEqualTo(reference(p)).hasSize(22);
            ids.add(id);
        }
        assertThat(ids).hasSizeGreaterThan(19_990); // distinct packets, distinct ids
    }

    @Test
    void sameIdsForEveryPacketOfTheHepCaptures() throws IOException {
        HepDecoder decoder = new HepDecoder();
        int n = 0;
        for (String f : new String[]{"hepgen-20calls.pcap", "kamailio-hep3.pcap", "kamailio-hep3-scan.pcap"}) {
            for (PcapPacket frame : PcapReader.read(Path.of("../testdata/hep/" + f))) {
                if (!frame.isUdp() || frame.payload().length == 0) {
                    continue;
                }
                HepPacket p = decoder.decode(frame.payload(), 0, frame.payload().length);
                assertThat(DocumentIds.of(p)).isEqualTo(reference(p));
                n++;
            }
        }
        assertThat(n).isGreaterThan(500);
    }

    @Test
    void aHugePayloadThenSmallOnes() {
        HepPacket big = new HepPacket();
        big.payload = new byte[3 << 20];
        big.payload[12345] = 7;
        assertThat(DocumentIds.of(big)).isEqualTo(reference(big));
        HepPacket small = new HepPacket();
        small.payload = new byte[]{1, 2, 3};
        assertThat(DocumentIds.of(small)).isEqualTo(reference(small));
    }

    private static byte[] bytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }
}
