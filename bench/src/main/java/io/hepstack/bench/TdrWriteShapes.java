package io.hepstack.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.util.Duration;
import io.hepstack.collector.hep.HepDecoder;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.index.IndexRequest;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.Stages;
import io.hepstack.collector.pipeline.Transport;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Why Elasticsearch gets as many TDR writes as it does: hepgen's traffic through the collector's
 * stages with a tick every second of capture time (as the worker ticks), every TDR write kept, then
 * per record the sequence of its writes (type, status, {@code !} for a final one), how many writes
 * follow a record's first final write, how many repeat the status of the write before (media
 * reports, logs, a plain ACK: the {@code mediaUpdateInterval} throttle), and the average bytes of a
 * write by kind. Both throttles can be set to see what they would save:
 *
 * <pre>java -Dupdate=1s -Dmedia=10s -cp bench/target/benchmarks.jar io.hepstack.bench.TdrWriteShapes [calls, default 3000]</pre>
 */
public final class TdrWriteShapes {

    private static final InetSocketAddress AGENT = new InetSocketAddress("127.0.0.1", 40000);
    private static final int BATCH = 16;

    private TdrWriteShapes() {
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        List<byte[]> packets = BenchData.hepgenPackets(calls);
        HepDecoder decoder = new HepDecoder();
        ObjectMapper mapper = new ObjectMapper();
        try (PipelineFixture fixture = new PipelineFixture(true)) {
            fixture.sink.keptRecords = new ArrayList<>();
            if (System.getProperty("update") != null) {
                fixture.correlation.updateInterval = Duration.parse(System.getProperty("update"));
            }
            if (System.getProperty("media") != null) {
                fixture.correlation.mediaUpdateInterval = Duration.parse(System.getProperty("media"));
            }
            Stages stages = fixture.stages();
            List<CapturedMessage> batch = new ArrayList<>(BATCH);
            long nextTick = Long.MIN_VALUE;
            for (byte[] bytes : packets) {
                HepPacket p = decoder.decode(bytes, 0, bytes.length);
                batch.add(new CapturedMessage(p, Transport.UDP, AGENT));
                if (batch.size() == BATCH) {
                    stages.process(batch);
                    batch = new ArrayList<>(BATCH);
                }
                long t = p.timestampMicros();
                if (t >= nextTick) {
                    if (nextTick != Long.MIN_VALUE) {
                        stages.tick(t);
                    }
                    nextTick = t + 1_000_000;
                }
            }
            if (!batch.isEmpty()) {
                stages.process(batch);
            }
            stages.flush();
            report(fixture, mapper, packets.size());
        }
    }

    private static void report(PipelineFixture fixture, ObjectMapper mapper, int messages) throws Exception {
        Map<String, List<String>> writes = new LinkedHashMap<>();
        Map<String, long[]> bytesByKind = new TreeMap<>();
        for (IndexRequest r : fixture.sink.keptRecords) {
            JsonNode tdr = mapper.readTree(r.source(), 0, r.length()).path("tdr");
            boolean fin = tdr.path("final").asBoolean();
            writes.computeIfAbsent(r.id(), k -> new ArrayList<>())
                    .add(tdr.path("type").asText() + ":" + tdr.path("status").asText() + (fin ? "!" : ""));
            long[] b = bytesByKind.computeIfAbsent(tdr.path("type").asText() + (fin ? " final" : " live"), k -> new long[2]);
            b[0]++;
            b[1] += r.length();
        }
        int total = fixture.sink.keptRecords.size();
        System.out.printf("%d messages, %d TDR writes (%.3f per message) of %d records%n",
                messages, total, (double) total / messages, writes.size());
        bytesByKind.forEach((kind, b) -> System.out.printf("  %-20s %6d writes, %5d bytes each%n", kind, b[0], b[1] / b[0]));
        int afterFinal = 0;
        int sameStatus = 0;
        Map<String, Integer> shapes = new HashMap<>();
        for (List<String> w : writes.values()) {
            boolean ended = false;
            String before = null;
            for (String s : w) {
                if (ended) {
                    afterFinal++;
                } else if (s.equals(before)) {
                    sameStatus++;
                }
                ended |= s.endsWith("!");
                before = s;
            }
            shapes.merge(String.join(" ", w), 1, Integer::sum);
        }
        System.out.printf("writes after a record's first final write: %d; live writes with the status of the write before: %d%n",
                afterFinal, sameStatus);
        System.out.println("most frequent write sequences:");
        shapes.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(15)
                .forEach(e -> System.out.printf("  %5d  %s%n", e.getValue(), e.getKey()));
    }
}
