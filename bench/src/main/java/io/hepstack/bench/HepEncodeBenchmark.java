package io.hepstack.bench;

import io.hepstack.collector.hep.HepEncoder;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * HEP3 encoding (what hepgen and the tests use), one packet per operation: into a reused
 * {@link ByteBuf} (hepgen's path, no allocation expected) and into a new array.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HepEncodeBenchmark {

    @Param({"CAPTURES", "HEPGEN"})
    public BenchData.Source source;

    private HepPacket[] packets;
    private HepEncoder encoder;
    private ByteBuf buf;
    private int next;

    @Setup
    public void load() {
        List<HepPacket> list = BenchData.decoded(source);
        packets = list.toArray(new HepPacket[0]);
        encoder = new HepEncoder();
        buf = Unpooled.buffer(HepEncoder.MAX_PACKET);
    }

    @TearDown
    public void release() {
        buf.release();
    }

    private HepPacket nextPacket() {
        HepPacket p = packets[next];
        next = next + 1 == packets.length ? 0 : next + 1;
        return p;
    }

    @Benchmark
    public int encodeIntoBuffer() {
        buf.clear();
        return encoder.encode(nextPacket(), buf);
    }

    @Benchmark
    public byte[] encodeToArray() {
        return encoder.encode(nextPacket());
    }
}
