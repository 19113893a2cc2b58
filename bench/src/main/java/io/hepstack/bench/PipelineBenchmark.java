package io.hepstack.bench;

import io.hepstack.collector.hep.HepDecoder;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.Stages;
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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;

/**
 * The whole per-message path of the collector without I/O, one thread: HEP3 bytes →
 * {@link HepDecoder} → parse → enrich → correlate (TDRs, fraud bridge) → fraud clock → document JSON
 * bytes into a sink that only counts
 * (see {@link PipelineFixture} for how each stage is built). Messages go through the stages in
 * batches of {@value #BATCH}, as the pipeline's worker takes them off its queue; the score is
 * per message ({@code @OperationsPerInvocation}), so ops/s = messages per second on one core and
 * {@code gc.alloc.rate.norm} = bytes allocated per message.
 *
 * <p>The input cycles through {@link BenchData}; the stateful stages are built afresh each time it
 * starts over (at a batch boundary), so they never see the same call twice or time go backwards.
 * Stages get {@link io.hepstack.collector.pipeline.Stage#tick} once a second of wall time, as in the pipeline.
 *
 * <p>Besides JMH's figures, the trial prints the benchmark thread's CPU time per message
 * ({@link CpuPerOperation}): on a shared machine that is the figure to compare with the target.
 *
 * <p>{@code cache=off} turns the enricher's address and number caches off: every message then
 * pays for GeoIP, blacklist and libphonenumber lookups (the first message of every new party).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 6, time = 3) // the whole collector path needs a long warm-up before C2 settles
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class PipelineBenchmark {

    static final int BATCH = 64;
    private static final InetSocketAddress AGENT = new InetSocketAddress("127.0.0.1", 40000);

    @Param({"HEPGEN", "CAPTURES"})
    public BenchData.Source source;

    @Param({"warm", "off"})
    public String cache;

    /**
     * Calls in the HEPGEN data (100 new calls per second of capture time, about 90 s each): with
     * 1000 the stateful stages hold about a thousand live calls, with e.g. 20000 (-p calls=20000)
     * about nine thousand, as a collector fed at 2,000 packets/s does.
     */
    @Param({"1000"})
    public int calls;

    private PipelineFixture fixture;
    private byte[][] packets;
    private HepDecoder decoder;
    private Stages stages;
    private final List<CapturedMessage> batch = new ArrayList<>(BATCH);
    private int next;
    private long newestCapture;
    private long lastTick;
    private long messagesDone;
    private final CpuPerOperation cpu = new CpuPerOperation();

    @Setup(Level.Trial)
    public void setUp() {
        fixture = new PipelineFixture(!"off".equals(cache));
        List<byte[]> list = source == BenchData.Source.HEPGEN && calls != BenchData.HEPGEN_CALLS
                ? BenchData.hepgenPackets(calls) : BenchData.hepPackets(source);
        // a whole number of batches, so starting over always falls between two batches
        int n = list.size() / BATCH * BATCH;
        packets = list.subList(0, n).toArray(new byte[0][]);
        decoder = new HepDecoder();
        stages = fixture.stages();
        lastTick = System.nanoTime();
    }

    @Setup(Level.Iteration)
    public void iterationStarts() {
        cpu.iterationStarts(messagesDone);
    }

    @TearDown(Level.Iteration)
    public void iterationEnds(IterationParams params) {
        cpu.iterationEnds(params, messagesDone);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        System.out.println();
        System.out.println(cpu.report("PipelineBenchmark source=" + source + " cache=" + cache
                + (source == BenchData.Source.HEPGEN ? " calls=" + calls : "") + " (per message)"));
        System.out.printf("%n[pipeline] %d documents, %.0f bytes per document, %d TDR writes, %d fraud alerts, %d messages per pass%n",
                fixture.sink.documents, fixture.sink.documents == 0 ? 0.0 : (double) fixture.sink.bytes / fixture.sink.documents,
                fixture.sink.records, fixture.alerts.sum(), packets.length);
        fixture.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long messages() {
        if (next == 0) {
            stages = fixture.stages(); // fresh state for the next pass over the same calls
            newestCapture = 0;
        }
        batch.clear();
        for (int k = 0; k < BATCH; k++) {
            byte[] b = packets[next++];
            CapturedMessage m = new CapturedMessage(decoder.decode(b, 0, b.length), Transport.UDP, AGENT);
            newestCapture = Math.max(newestCapture, m.timestampMicros());
            batch.add(m);
        }
        messagesDone += BATCH;
        if (next == packets.length) {
            next = 0;
        }
        stages.process(batch);
        long now = System.nanoTime();
        if (now - lastTick >= 1_000_000_000L) {
            lastTick = now;
            stages.tick(newestCapture);
        }
        return fixture.sink.documents;
    }
}
