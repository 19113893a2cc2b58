package io.hepstack.bench;

import io.hepstack.collector.hep.HepDecoder;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.index.MessageDocumentWriter;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.Transport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;

/**
 * What {@code elasticsearch.compression} costs: gzip of one bulk request body of hepgen's message
 * documents per operation, the way the Elasticsearch REST client compresses a request when
 * compression is on ({@code GZIPOutputStream}, the default level, over the entity's bytes).
 * The body is {@link #DOCUMENTS} documents of the mix, each with its {@code create} action line,
 * as the bulk indexer sends them; the set-up prints its size and the compressed size.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BulkCompressionBenchmark {

    /** Documents per body: a one-second bulk request at 5,000 messages/s. */
    static final int DOCUMENTS = 5_000;

    private byte[] body;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
    private long bodies;
    private final CpuPerOperation cpu = new CpuPerOperation();

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        PipelineFixture fixture = new PipelineFixture(true);
        HepDecoder decoder = new HepDecoder();
        InetSocketAddress agent = new InetSocketAddress("127.0.0.1", 40000);
        List<CapturedMessage> list = new ArrayList<>();
        for (byte[] b : BenchData.hepPackets(BenchData.Source.HEPGEN)) {
            HepPacket p = decoder.decode(b, 0, b.length);
            list.add(new CapturedMessage(p, Transport.UDP, agent));
        }
        fixture.prepare().process(list);
        MessageDocumentWriter writer = fixture.documentWriter();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < DOCUMENTS; i++) {
            CapturedMessage m = list.get(i % list.size());
            b.write(("{\"create\":{\"_index\":\"" + m.index + "\",\"_id\":\"" + i + "\"}}\n").getBytes(StandardCharsets.UTF_8));
            b.write(writer.write(m));
            b.write('\n');
        }
        body = b.toByteArray();
        fixture.close();
        int compressed = gzip().length;
        System.out.printf("%n[bulk] %d documents, %d bytes, gzip %d bytes (%.1f times smaller)%n", DOCUMENTS, body.length,
                compressed, (double) body.length / compressed);
    }

    @Setup(Level.Iteration)
    public void iterationStarts() {
        cpu.iterationStarts(bodies * DOCUMENTS);
    }

    @TearDown(Level.Iteration)
    public void iterationEnds(IterationParams params) {
        cpu.iterationEnds(params, bodies * DOCUMENTS);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        System.out.println();
        System.out.println(cpu.report("BulkCompressionBenchmark (per document)"));
    }

    /** One body through gzip, as the REST client's compressing entity writes it. */
    @Benchmark
    public byte[] gzip() {
        out.reset();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        bodies++;
        return out.toByteArray();
    }
}
