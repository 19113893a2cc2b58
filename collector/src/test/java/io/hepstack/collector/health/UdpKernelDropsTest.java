package io.hepstack.collector.health;

import com.codahale.metrics.MetricRegistry;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Real kernel drops: a socket with a tiny receive buffer that nobody reads, flooded on 127.0.0.1. */
class UdpKernelDropsTest {

    @Test
    void countsWhatTheKernelDroppedOnTheListenersPortAndGoesUnhealthy() throws Exception {
        try (DatagramSocket listener = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             DatagramSocket sender = new DatagramSocket()) {
            listener.setReceiveBufferSize(2048);
            int port = listener.getLocalPort();
            UdpKernelDrops drops = new UdpKernelDrops(() -> port, new MetricRegistry(), Duration.ofHours(1));
            drops.poll();
            assertThat(drops.total()).as("the socket's row is found, no drops yet").isZero();
            assertThat(drops.check().isHealthy()).isTrue();
            byte[] data = new byte[1000];
            for (int i = 0; i < 500; i++) {
                sender.send(new DatagramPacket(data, data.length, InetAddress.getLoopbackAddress(), port));
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                drops.poll();
                assertThat(drops.total()).isGreaterThan(100);
            });
            assertThat(drops.check().isHealthy()).isFalse();
            assertThat(drops.check().getMessage()).contains("UDP port " + port);
            drops.close();
        }
    }

    @Test
    void onlyTheRowsOfThePortAreSummed() {
        var table = java.util.List.of(
                "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops",
                " 1: 0100007F:2364 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000        0 101 2 0000000000000000 5",
                " 2: 00000000:2364 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000        0 102 2 0000000000000000 7",
                " 3: 0100007F:2365 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000        0 103 2 0000000000000000 900");
        assertThat(UdpKernelDrops.drops(table, 0x2364)).isEqualTo(12);
        assertThat(UdpKernelDrops.drops(table, 9)).isZero();
    }
}
