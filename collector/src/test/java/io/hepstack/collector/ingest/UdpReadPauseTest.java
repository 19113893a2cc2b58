package io.hepstack.collector.ingest;

import com.codahale.metrics.MetricRegistry;
import io.hepstack.collector.hep.HepDecoder;
import io.hepstack.collector.hep.HepEncoder;
import io.hepstack.collector.pipeline.Pipeline;
import io.hepstack.collector.pipeline.Transport;
import io.hepstack.collector.testing.HepPackets;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The receiving thread sleeps after a read that found fewer datagrams than a batch (so the next read
 * takes several), never after a full one, and only after handing on what it read.
 */
class UdpReadPauseTest {

    private static final InetSocketAddress AGENT = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress US = new InetSocketAddress("127.0.0.1", 9060);
    private static final byte[] HEP = new HepEncoder().encode(HepPackets.sip(
            "OPTIONS sip:a@example.net SIP/2.0\r\nCall-ID: pause-1\r\nCSeq: 1 OPTIONS\r\n\r\n"));

    private final MetricRegistry metrics = new MetricRegistry();
    private final Pipeline pipeline = Pipeline.builder(metrics).build(); // not started: what is handed on stays queued
    private final List<Long> sleeps = new ArrayList<>();
    private final List<Integer> queuedAtSleep = new ArrayList<>();

    private EmbeddedChannel channel(long pauseNanos) {
        IngestMetrics ingest = new IngestMetrics(metrics);
        return new EmbeddedChannel(new UdpHepHandler(new HepDecoder(), ingest.rejectionListener(Transport.UDP), pipeline, ingest, 4,
                pauseNanos, nanos -> {
                    sleeps.add(nanos);
                    queuedAtSleep.add(pipeline.queued());
                }));
    }

    /** One read of {@code datagrams} datagrams, as Netty's read loop delivers them. */
    private static void read(EmbeddedChannel ch, int datagrams) {
        for (int i = 0; i < datagrams; i++) {
            ch.pipeline().fireChannelRead(new DatagramPacket(Unpooled.wrappedBuffer(HEP), US, AGENT));
        }
        ch.pipeline().fireChannelReadComplete();
    }

    @Test
    void aShortReadIsFollowedByAPauseAFullOneIsNot() {
        EmbeddedChannel ch = channel(1_000_000);
        read(ch, 1);
        assertThat(sleeps).containsExactly(1_000_000L);
        assertThat(queuedAtSleep).as("handed on before the pause").containsExactly(1);
        read(ch, 3);
        assertThat(sleeps).hasSize(2);
        read(ch, 4); // a full batch: more may be waiting, read again at once
        read(ch, 9); // two full hand-offs and one of 1: the read found more than a batch
        assertThat(sleeps).hasSize(2);
        assertThat(pipeline.queued()).isEqualTo(1 + 3 + 4 + 9);
        ch.pipeline().fireChannelReadComplete(); // a wake-up that read nothing
        assertThat(sleeps).hasSize(2);
    }

    @Test
    void noPauseWhenItIsOff() {
        EmbeddedChannel ch = channel(0);
        read(ch, 1);
        read(ch, 2);
        assertThat(sleeps).isEmpty();
        assertThat(pipeline.queued()).isEqualTo(3);
    }
}
