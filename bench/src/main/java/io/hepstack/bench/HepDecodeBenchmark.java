package io.hepstack.bench;

import io.hepstack.collector.hep.HepDecoder;
import io.hepstack.collector.hep.HepPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * HEP3 decoding, one packet per operation, cycling through real packets ({@link BenchData}): from a
 * byte array (the UDP path hands the decoder a datagram) and from a Netty {@link ByteBuf} (what the
 * channel pipeline passes). Auth key checked, as a production listener would.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HepDecodeBenchmark {

    @Param({"CAPTURES", "HEPGEN"})
    public BenchData.Source source;

    private byte[][] packets;
    private ByteBuf[] buffers;
    private HepDecoder decoder;
    private int next;

    @Setup
    public void load() {
        List<byte[]> list = BenchData.hepPackets(source);
        packets = list.toArray(new byte[0][]);
        buffers = new ByteBuf[packets.length];
        for (int i = 0; i < packets.length; i++) {
            buffers[i] = Unpooled.wrappedBuffer(packets[i]);
        }
        decoder = new HepDecoder();
    }

    @Benchmark
    public HepPacket decodeArray() {
        byte[] p = packets[next];
        next = next + 1 == packets.length ? 0 : next + 1;
        return decoder.decode(p, 0, p.length);
    }

    @Benchmark
    public HepPacket decodeByteBuf() {
        ByteBuf b = buffers[next];
        next = next + 1 == buffers.length ? 0 : next + 1;
        return decoder.decode(b);
    }
}
