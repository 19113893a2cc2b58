package io.hepstack.collector.reorder;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.collector.correlate.CaptureReplay;
import io.hepstack.collector.document.DocumentIds;
import io.hepstack.collector.hep.HepEncoder;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.parse.Protocols;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.Transport;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reorder window's byte store: every message comes back in capture order with everything the
 * listener and the stages before the window set on it, and its memory stays bounded by what it holds.
 */
class HeldMessagesTest {

    private static final Protocols PROTOCOLS = Protocols.standard(new ObjectMapper(), true);
    private static final HepEncoder HEP3 = new HepEncoder();

    /** Every packet of the repository's HEP captures (Kamailio over UDP and TCP, hepgen), as the stages before the window leave it. */
    private static List<CapturedMessage> captured() throws IOException {
        List<CapturedMessage> out = new ArrayList<>();
        Random r = new Random(7);
        InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 0, 0, 9}), 9060);
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 40000);
        try (Stream<Path> files = Files.list(CaptureReplay.repo("hep/kamailio-hep3.pcap").getParent())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".pcap")).sorted().toList()) {
                for (HepPacket p : CaptureReplay.hep(f)) {
                    int k = out.size();
                    CapturedMessage m = new CapturedMessage(p, Transport.values()[k % 3], k % 5 == 0 ? null : k % 2 == 0 ? v4 : v6);
                    m.protocol = PROTOCOLS.of(p);
                    m.protocol.prepare(p);
                    m.index = "hep-" + m.protocol.family() + "-2026.12.07";
                    m.id = DocumentIds.of(p);
                    if (k % 7 == 0) {
                        m.storedId = m.id; // replayed from storage at a restart
                    }
                    m.previousRun = k % 11 == 0;
                    m.writeAheadSegment = k % 13 == 0 ? CapturedMessage.NOT_JOURNALED : (long) (k / 100) << 32 | k % 100;
                    m.stateMicros = k % 17 == 0 ? -1 : p.timestampMicros() + r.nextInt(1000);
                    m.indexMicros = k % 19 == 0 ? -1 : p.timestampMicros();
                    out.add(m);
                }
            }
        }
        assertThat(out).hasSizeGreaterThan(1000);
        return out;
    }

    @Test
    void everyCapturedMessageComesBackInCaptureOrderWithAllItCarried() throws IOException {
        List<CapturedMessage> in = captured();
        List<CapturedMessage> arrival = new ArrayList<>(in);
        Collections.shuffle(arrival, new Random(1));
        HeldMessages held = new HeldMessages();
        long expectedBytes = 0;
        for (int i = 0; i < arrival.size(); i++) {
            CapturedMessage m = arrival.get(i);
            expectedBytes += m.heldBytes();
            held.add(m, m.stateMicros(), i);
        }
        assertThat(held.size()).isEqualTo(in.size());
        assertThat(held.bytes()).isEqualTo(expectedBytes);
        assertThat(held.oldestSegment()).isEqualTo(in.stream().mapToLong(m -> m.writeAheadSegment).min().orElseThrow())
                .isNotEqualTo(CapturedMessage.NOT_JOURNALED);

        List<CapturedMessage> expected = new ArrayList<>(arrival);
        expected.sort(Comparator.comparingLong(CapturedMessage::stateMicros).thenComparing(m -> m.id)
                .thenComparingInt(arrival::indexOf));
        List<CapturedMessage> out = new ArrayList<>();
        while (held.size() > 0) {
            out.add(held.poll());
        }
        assertThat(held.bytes()).isZero();
        assertThat(out).hasSameSizeAs(expected);
        for (int i = 0; i < out.size(); i++) {
            CapturedMessage a = out.get(i);
            CapturedMessage e = expected.get(i);
            String at = "message " + i + " (" + e.id + ")";
            assertThat(a).as(at).isNotSameAs(e); // kept as bytes, a new object
            assertThat(HEP3.encode(a.hep)).as(at).isEqualTo(HEP3.encode(e.hep));
            assertThat(a.hep.payload).as(at).isEqualTo(e.hep.payload);
            assertThat(a.hep.version).as(at).isEqualTo(e.hep.version);
            assertThat(a.hep.payloadWasCompressed).as(at).isEqualTo(e.hep.payloadWasCompressed);
            assertThat(a.transport).as(at).isEqualTo(e.transport);
            assertThat(a.peer).as(at).isEqualTo(e.peer);
            assertThat(a.id).as(at).isEqualTo(e.id);
            assertThat(a.storedId).as(at).isEqualTo(e.storedId);
            assertThat(a.previousRun).as(at).isEqualTo(e.previousRun);
            assertThat(a.writeAheadSegment).as(at).isEqualTo(e.writeAheadSegment);
            assertThat(a.stateMicros).as(at).isEqualTo(e.stateMicros);
            assertThat(a.indexMicros).as(at).isEqualTo(e.indexMicros);
            assertThat(a.protocol).as(at).isSameAs(e.protocol);
            assertThat(a.index).as(at).isEqualTo(e.index);
            assertThat(a.parsed).as(at).isNull();
        }
    }

    @Test
    void aMessageTooLargeForAChunkOrWithAnOddIdIsHeldAsItIs() {
        HeldMessages held = new HeldMessages();
        CapturedMessage large = message(1_000, "large", new byte[HeldMessages.MAX_RECORD + 1]);
        CapturedMessage oddId = message(2_000, "caf\u00e9", new byte[10]);
        CapturedMessage plain = message(3_000, "plain", new byte[10]);
        held.add(plain, 3_000, 0);
        held.add(oddId, 2_000, 1);
        held.add(large, 1_000, 2);
        assertThat(held.poll()).isSameAs(large);
        assertThat(held.poll()).isSameAs(oddId);
        CapturedMessage back = held.poll();
        assertThat(back).isNotSameAs(plain);
        assertThat(back.id).isEqualTo("plain");
    }

    @Test
    void aRollingWindowReusesItsChunks() {
        HeldMessages held = new HeldMessages();
        byte[] payload = new byte[700];
        int window = 5_000;
        int most = 0;
        for (int i = 0; i < 200_000; i++) {
            held.add(message(i, "m" + i, payload), i, i);
            if (held.size() > window) {
                CapturedMessage m = held.poll();
                assertThat(m.timestampMicros()).isEqualTo(i - window);
            }
            most = Math.max(most, held.chunks());
        }
        // 5,000 records of about 750 bytes fill 15 chunks of 256 KiB; a few more while the oldest empties
        assertThat(most).isLessThanOrEqualTo(window * 800 / HeldMessages.CHUNK + 3);
        while (held.size() > 0) {
            held.poll();
        }
        assertThat(held.chunks()).as("emptied chunks are dropped beyond a few spares").isLessThanOrEqualTo(1);
    }

    private static CapturedMessage message(long micros, String id, byte[] payload) {
        HepPacket p = new HepPacket();
        p.timeSeconds = micros / 1_000_000;
        p.timeMicros = micros % 1_000_000;
        p.payload = payload;
        CapturedMessage m = new CapturedMessage(p, Transport.UDP, null);
        m.id = id;
        return m;
    }
}
