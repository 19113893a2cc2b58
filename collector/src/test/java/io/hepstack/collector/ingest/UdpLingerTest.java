package io.hepstack.collector.ingest;

import com.codahale.metrics.MetricRegistry;
import io.hepstack.collector.hep.HepDecoder;
import io.hepstack.collector.pcap.PcapPacket;
import io.hepstack.collector.pcap.PcapReader;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.Pipeline;
import io.hepstack.collector.pipeline.Transport;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The UDP hand-off's linger, on the virtual clock of an embedded channel: a batch a read left part
 * full waits {@code linger} for more datagrams and then goes on whole; a full batch goes at once;
 * with no linger every read's batch goes when the read ends; the order is the order of arrival.
 */
class UdpLingerTest {

    private static final long LINGER = TimeUnit.MILLISECONDS.toNanos(1);
    private static final InetSocketAddress AGENT = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress US = new InetSocketAddress("127.0.0.1", 9060);

    private final MetricRegistry metrics = new MetricRegistry();
    private final IngestMetrics ingest = new IngestMetrics(metrics);
    private final List<CapturedMessage> processed = new CopyOnWriteArrayList<>();
    private final Pipeline pipeline = Pipeline.builder(metrics).add("record", ctx -> batch -> processed.addAll(batch.messages()))
            .build().start();

    @AfterEach
    void stop() {
        pipeline.close();
    }

    private static List<byte[]> datagrams(int n) throws Exception {
        List<byte[]> out = new ArrayList<>();
        for (PcapPacket frame : PcapReader.read(Path.of("../testdata/hep/hepgen-20calls.pcap"))) {
            if (frame.isUdp() && frame.payload().length > 0 && out.size() < n) {
                out.add(frame.payload());
            }
        }
        return out;
    }

    /** The handler in a channel whose clock only moves when the test moves it. */
    private EmbeddedChannel channel(int batchSize, long lingerNanos) {
        EmbeddedChannel ch = new EmbeddedChannel(new UdpHepHandler(new HepDecoder(), ingest.rejectionListener(Transport.UDP),
                pipeline, ingest, batchSize, lingerNanos));
        ch.freezeTime();
        return ch;
    }

    /** One read of {@code datagrams}: each read, then the end of the read. */
    private static void read(EmbeddedChannel ch, List<byte[]> datagrams) {
        for (byte[] d : datagrams) {
            ch.pipeline().fireChannelRead(new DatagramPacket(Unpooled.wrappedBuffer(d), US, AGENT));
        }
        ch.pipeline().fireChannelReadComplete();
    }

    private long handedOn() {
        return metrics.meter("hep.udp.accepted").getCount();
    }

    @Test
    void aPartBatchWaitsTheLingerForMoreAndThenGoesOnWholeInOrder() throws Exception {
        List<byte[]> d = datagrams(5);
        EmbeddedChannel ch = channel(16, LINGER);
        read(ch, d.subList(0, 2)); // the socket ran dry after two
        read(ch, d.subList(2, 3)); // and again after one more
        ch.runPendingTasks();
        assertThat(handedOn()).as("nothing before the linger is over").isZero();
        ch.advanceTimeBy(LINGER / 2, TimeUnit.NANOSECONDS);
        read(ch, d.subList(3, 5));
        ch.runScheduledPendingTasks();
        assertThat(handedOn()).as("half a linger after the first read").isZero();
        ch.advanceTimeBy(LINGER, TimeUnit.NANOSECONDS);
        ch.runScheduledPendingTasks();
        assertThat(handedOn()).isEqualTo(5);
        pipeline.awaitDrained(Duration.ofSeconds(5));
        assertThat(processed).extracting(m -> m.hep.payload).containsExactlyElementsOf(
                d.stream().map(b -> new HepDecoder().decode(b, 0, b.length).payload).toList());
        ch.finishAndReleaseAll();
    }

    @Test
    void aFullBatchGoesAtOnceAndTheRestAfterTheLinger() throws Exception {
        List<byte[]> d = datagrams(6);
        EmbeddedChannel ch = channel(4, LINGER);
        read(ch, d);
        assertThat(handedOn()).as("the first four fill a batch").isEqualTo(4);
        ch.advanceTimeBy(LINGER, TimeUnit.NANOSECONDS);
        ch.runScheduledPendingTasks();
        assertThat(handedOn()).isEqualTo(6);
        ch.finishAndReleaseAll();
    }

    @Test
    void withoutLingerEveryReadsBatchGoesWhenTheReadEnds() throws Exception {
        List<byte[]> d = datagrams(3);
        EmbeddedChannel ch = channel(16, 0);
        read(ch, d.subList(0, 1));
        assertThat(handedOn()).isEqualTo(1);
        read(ch, d.subList(1, 3));
        assertThat(handedOn()).isEqualTo(3);
        ch.finishAndReleaseAll();
    }

    @Test
    void aClosingChannelHandsOnWhatWaits() throws Exception {
        EmbeddedChannel ch = channel(16, TimeUnit.SECONDS.toNanos(60));
        read(ch, datagrams(2));
        assertThat(handedOn()).isZero();
        ch.close();
        assertThat(handedOn()).isEqualTo(2);
    }
}
