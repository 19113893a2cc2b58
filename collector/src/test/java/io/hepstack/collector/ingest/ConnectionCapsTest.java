package io.hepstack.collector.ingest;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attack: 10,000 TCP connections from one address. They are real sockets (this needs about 10,100
 * file descriptors; the test checks the limit first and fails, not skips, if it is too low).
 */
class ConnectionCapsTest {

    private static final int ATTACK = 10_000;

    @Test
    void tenThousandConnectionsFromOneAddressAreCappedAndOthersAreStillServed() throws Exception {
        assertThat(openFileLimit()).as("ulimit -n must allow %d sockets", ATTACK).isGreaterThan(ATTACK + 500);
        HepListenerConfig config = new HepListenerConfig();
        config.maxConnectionsPerAddress = 20;
        config.maxConnections = 100;
        List<Socket> attack = new ArrayList<>();
        try (Listening l = new Listening(config)) {
            int port = l.listeners.tcpPort();
            for (int i = 0; i < ATTACK; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                attack.add(s);
            }
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (l.meter("hep.connections.refused") < ATTACK - 20 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(l.meter("hep.connections.refused")).isEqualTo(ATTACK - 20);
            assertThat(l.gauge("hep.connections.open")).isEqualTo(20);
            assertThat(l.gauge("hep.connections.addresses")).isEqualTo(1);

            // the first 20 are served; a refused one is closed by the collector
            attack.get(0).getOutputStream().write(Listening.sip(1, null));
            assertThat(readEnd(attack.get(ATTACK - 1))).as("a refused connection is closed").isTrue();

            // another address still gets in and is served
            try (Socket other = new Socket()) {
                other.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
                other.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                other.getOutputStream().write(Listening.sip(2, null));
                assertThat(l.awaitAccepted(2)).extracting(m -> m.hep.captureId).containsExactlyInAnyOrder(1L, 2L);
            }

            // closing frees the slots
            for (Socket s : attack) {
                s.close();
            }
            attack.clear();
            deadline = System.nanoTime() + 10_000_000_000L;
            while ((int) l.gauge("hep.connections.open") > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(l.gauge("hep.connections.open")).isEqualTo(0);
            assertThat(l.gauge("hep.connections.addresses")).isEqualTo(0);
        } finally {
            for (Socket s : attack) {
                s.close();
            }
        }
    }

    @Test
    void theTotalCapHoldsAcrossAddresses() throws Exception {
        HepListenerConfig config = new HepListenerConfig();
        config.maxConnectionsPerAddress = 10;
        config.maxConnections = 15;
        List<Socket> sockets = new ArrayList<>();
        try (Listening l = new Listening(config)) {
            for (int a = 1; a <= 3; a++) {
                for (int i = 0; i < 10; i++) {
                    Socket s = new Socket();
                    s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0." + (10 + a)), 0));
                    s.connect(new InetSocketAddress("127.0.0.1", l.listeners.tcpPort()), 5_000);
                    sockets.add(s);
                }
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (l.meter("hep.connections.refused") < 15 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(l.meter("hep.connections.refused")).isEqualTo(15);
            assertThat(l.gauge("hep.connections.open")).isEqualTo(15);
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    /** True when the peer closed the connection (EOF or reset) within 5 s. */
    static boolean readEnd(Socket s) throws IOException {
        s.setSoTimeout(5_000);
        try {
            InputStream in = s.getInputStream();
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private static long openFileLimit() throws IOException {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount();
        }
        throw new IOException("cannot read the open file limit on this system");
    }
}
