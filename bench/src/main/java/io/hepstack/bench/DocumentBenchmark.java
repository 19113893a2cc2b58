package io.hepstack.bench;

import io.hepstack.collector.hep.HepDecoder;
import io.hepstack.collector.document.JsonDocument;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.index.MessageDocumentWriter;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.Transport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;

/**
 * Document serialisation: {@link MessageDocumentWriter#write} of one message per operation, cycling
 * through the {@link BenchData} mix (SIP requests with SDP, responses, RTCP JSON, LOG lines, ...)
 * parsed, enriched and correlated beforehand with the collector's stages (see {@link PipelineFixture}).
 *
 * <p>Every message is written once during set-up, so the lazily parsed SIP fields (From, To, Via,
 * SDP, problems) are already cached on it: the score is the JSON writing alone, the bytes of the
 * document included. {@link PipelineBenchmark} measures parsing, enrichment and writing together.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class DocumentBenchmark {

    @Param({"HEPGEN", "CAPTURES"})
    public BenchData.Source source;

    private PipelineFixture fixture;
    private CapturedMessage[] messages;
    private MessageDocumentWriter writer;
    private int next;
    private long written;
    private final CpuPerOperation cpu = new CpuPerOperation();

    @Setup(Level.Trial)
    public void setUp() {
        fixture = new PipelineFixture(true);
        HepDecoder decoder = new HepDecoder();
        InetSocketAddress agent = new InetSocketAddress("127.0.0.1", 40000);
        List<CapturedMessage> list = new ArrayList<>();
        for (byte[] b : BenchData.hepPackets(source)) {
            HepPacket p = decoder.decode(b, 0, b.length);
            list.add(new CapturedMessage(p, Transport.UDP, agent));
        }
        {
            fixture.prepare().process(list);
        }
        messages = list.toArray(new CapturedMessage[0]);
        writer = fixture.documentWriter();
        long bytes = 0;
        for (CapturedMessage m : messages) {
            bytes += writer.write(m).length;
        }
        System.out.printf("%n[documents] %d messages, %.0f bytes per document%n", messages.length,
                (double) bytes / messages.length);
    }

    @Setup(Level.Iteration)
    public void iterationStarts() {
        cpu.iterationStarts(written);
    }

    @TearDown(Level.Iteration)
    public void iterationEnds(IterationParams params) {
        cpu.iterationEnds(params, written);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        System.out.println();
        System.out.println(cpu.report("DocumentBenchmark source=" + source + " (per document)"));
        fixture.close();
    }

    /** The document as the index stage makes it: lent from the writer's buffer (a sink copies it into its request body). */
    @Benchmark
    public JsonDocument write() {
        CapturedMessage m = messages[next];
        next = next + 1 == messages.length ? 0 : next + 1;
        written++;
        return writer.writeLent(m);
    }
}
