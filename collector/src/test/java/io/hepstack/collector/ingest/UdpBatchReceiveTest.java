package io.hepstack.collector.ingest;

import io.hepstack.collector.hep.HepDecodeException;
import io.hepstack.collector.hep.HepDecoder;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.health.UdpKernelDrops;
import io.hepstack.collector.pcap.PcapPacket;
import io.hepstack.collector.pcap.PcapReader;
import io.hepstack.collector.pipeline.CapturedMessage;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The batched UDP receive path (recvmmsg batches with native epoll, several SO_REUSEPORT sockets)
 * on real sockets with the HEP datagrams of real captures: each arrives exactly once and in the
 * order its sender sent it, malformed datagrams in between are counted and harm none of their
 * neighbours, and what the kernel drops is still counted.
 */
class UdpBatchReceiveTest {

    private static final Path CAPTURES = Path.of("../testdata/hep");

    /** The UDP HEP datagrams of the captures, as their agents sent them. */
    private static List<byte[]> captureDatagrams() throws Exception {
        List<byte[]> out = new ArrayList<>();
        for (String f : new String[]{"hepgen-20calls.pcap", "kamailio-hep3.pcap", "kamailio-hep3-scan.pcap",
                "kamailio-hep3-register-flood.pcap"}) {
            for (PcapPacket frame : PcapReader.read(CAPTURES.resolve(f))) {
                if (frame.isUdp() && frame.payload().length > 0) {
                    out.add(frame.payload());
                }
            }
        }
        return out;
    }

    /** What identifies a datagram's message: its HEP fields that differ between packets, and its payload. */
    private static String key(HepPacket p) {
        return p.captureId + "/" + p.timeSeconds + "." + p.timeMicros + "/" + p.srcPort + ">" + p.dstPort + "/"
                + p.protoType + "/" + Arrays.hashCode(p.payload) + "/" + (p.payload == null ? 0 : p.payload.length);
    }

    @Test
    void withEpollEveryDatagramOfRealCapturesArrivesOnceInItsSendersOrderAndMalformedOnesAreCountedApart() throws Exception {
        assertThat(io.netty.channel.epoll.Epoll.isAvailable()).as("native epoll on this Linux x86_64 machine").isTrue();
        everyDatagramArrivesOnceInItsSendersOrder(true);
    }

    @Test
    void withNioTheSameHolds() throws Exception {
        everyDatagramArrivesOnceInItsSendersOrder(false);
    }

    private void everyDatagramArrivesOnceInItsSendersOrder(boolean nativeTransport) throws Exception {
        List<byte[]> datagrams = captureDatagrams();
        assertThat(datagrams.size()).as("real captures").isGreaterThan(1_000);
        HepListenerConfig config = new HepListenerConfig();
        config.udp.receiveBatch = 16;
        config.udp.threads = 2; // two SO_REUSEPORT sockets with epoll; NIO falls back to one
        config.tcp.enabled = false;
        config.nativeTransport = nativeTransport;
        HepDecoder decoder = new HepDecoder();
        try (Listening l = new Listening(config);
             DatagramSocket a = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             DatagramSocket b = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            assertThat(l.listeners.nativeTransport()).isEqualTo(nativeTransport);
            UdpKernelDrops kernel = new UdpKernelDrops(l.listeners::udpPort, l.metrics, Duration.ofMillis(50));
            InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), l.listeners.udpPort());
            Map<Integer, List<String>> sent = Map.of(a.getLocalPort(), new ArrayList<>(), b.getLocalPort(), new ArrayList<>());
            int malformed = 0;
            for (int i = 0; i < datagrams.size(); i++) {
                DatagramSocket from = i % 2 == 0 ? a : b;
                byte[] d = datagrams.get(i);
                send(from, d, to);
                sent.get(from.getLocalPort()).add(key(decoder.decode(d, 0, d.length)));
                if (i % 50 == 7) { // its neighbours in the same read batch must not suffer
                    send(from, Arrays.copyOf(d, 20), to); // cut short: the HEP length says more
                    send(from, "not a HEP packet at all".getBytes(), to);
                    malformed += 2;
                }
                if (i % 200 == 199) {
                    Thread.sleep(5); // a sender's pace, not a flood: this test is about order, not drops
                }
            }
            int expected = datagrams.size();
            assertThat(l.awaitAccepted(expected)).hasSize(expected);
            Thread.sleep(200); // nothing more arrives
            assertThat(l.accepted).as("exactly once").hasSize(expected);
            Map<Integer, List<String>> received = l.accepted.stream().collect(Collectors.groupingBy(
                    (CapturedMessage m) -> m.peer.getPort(), Collectors.mapping(m -> key(m.hep), Collectors.toList())));
            assertThat(received.get(a.getLocalPort())).as("sender a, in order").containsExactlyElementsOf(sent.get(a.getLocalPort()));
            assertThat(received.get(b.getLocalPort())).as("sender b, in order").containsExactlyElementsOf(sent.get(b.getLocalPort()));
            assertThat(l.meter("hep.udp.rejected." + HepDecodeException.Reason.LENGTH_MISMATCH.name().toLowerCase()))
                    .as("cut short, counted").isEqualTo(malformed / 2);
            assertThat(l.ingest.rejectedTotal()).as("malformed, counted").isEqualTo(malformed);
            assertThat(l.meter("hep.udp.received")).as("received counts the malformed too").isEqualTo(expected + malformed);
            assertThat(l.meter("hep.udp.accepted")).isEqualTo(expected);
            assertThat(l.ingest.droppedTotal()).isZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> kernel.total() >= 0);
            assertThat(kernel.total()).as("the kernel dropped nothing").isZero();
            kernel.close();
        }
    }

    @Test
    void whatTheKernelDropsIsCountedAndEverythingElseArrives() throws Exception {
        HepListenerConfig config = new HepListenerConfig();
        config.udp.receiveBatch = 16;
        config.udp.receiveBufferBytes = 4096; // the kernel's minimum: a flood overflows it
        config.tcp.enabled = false;
        byte[] d = captureDatagrams().get(0);
        int flood = 20_000;
        try (Listening l = new Listening(config); DatagramSocket s = new DatagramSocket()) {
            UdpKernelDrops kernel = new UdpKernelDrops(l.listeners::udpPort, l.metrics, Duration.ofMillis(50));
            await().atMost(Duration.ofSeconds(5)).until(() -> kernel.total() == 0);
            InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), l.listeners.udpPort());
            for (int i = 0; i < flood; i++) {
                send(s, d, to);
            }
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(l.meter("hep.udp.received") + kernel.total()).as("received + dropped by the kernel").isEqualTo(flood));
            assertThat(kernel.total()).as("a 4 KiB buffer overflows").isPositive();
            assertThat(l.awaitAccepted((int) l.meter("hep.udp.received"))).hasSize((int) l.meter("hep.udp.received"));
            assertThat(l.gauge("hep.udp.kernel_drops")).isEqualTo(kernel.total());
            kernel.close();
        }
    }

    private static void send(DatagramSocket s, byte[] d, InetSocketAddress to) throws Exception {
        s.send(new DatagramPacket(d, d.length, to));
    }
}
