package io.hepstack.bench;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import io.hepstack.collector.correlate.CorrelationConfig;
import io.hepstack.collector.fraud.rules.Limits;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.HeapBudget;
import io.hepstack.collector.pipeline.Stages;
import io.hepstack.collector.pipeline.Transport;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Soak: a hostile stream through the collector's stateful stages ({@link PipelineFixture}: parse,
 * enrich, correlate, rate, fraud, index into a counting sink), then the heap after full GCs against
 * the caps docs/limits.md documents. Every packet is as expensive to remember as a sender can make
 * it: a unique Call-ID of the longest length the correlator tracks, unique users, user agents and
 * display names of 1,000 characters, a unique media address, a unique B2BUA link header; one packet
 * in five re-sends an earlier INVITE with a new media port (retransmissions, media keys past 64 per
 * call), one in five is a REGISTER of a brute-force run (same Call-ID, a new CSeq each: a new
 * transaction each). Capture time runs at 10,000 packets a second, so nothing times out: the caps
 * and their eviction are what keep the heap bounded.
 *
 * <pre>java -Xmx512m -cp bench/target/benchmarks.jar io.hepstack.bench.SoakBench [packets=1000000 [reportEvery=250000]]</pre>
 */
public final class SoakBench {

    private static final InetSocketAddress AGENT = new InetSocketAddress("127.0.0.1", 40000);
    private static final int BATCH = 256;
    private static final String LONG = "x".repeat(990);

    private SoakBench() {
    }

    public static void main(String[] args) {
        int packets = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int every = args.length > 1 ? Integer.parseInt(args[1]) : 250_000;
        long max = Runtime.getRuntime().maxMemory();
        CorrelationConfig defaults = new CorrelationConfig();
        Limits fraud = Limits.defaults();
        System.out.printf("[soak] max heap %d MB; caps derived from it: maxCalls %d, maxTransactions %d, recentlyClosed %d,"
                        + " maxOrphans %d, fraud maxUsers %d, maxSources %d%n", max >> 20, defaults.maxCalls,
                defaults.maxTransactions, defaults.recentlyClosed, defaults.maxOrphans, fraud.maxUsers(), fraud.maxSources());
        try (PipelineFixture fixture = new PipelineFixture(true)) {
            fixture.correlation.maxCalls = defaults.maxCalls; // the heap-derived default, not config.yml's
            fixture.correlation.maxTransactions = defaults.maxTransactions;
            long base = usedAfterGc();
            Stages stages = fixture.stages();
            long t0 = System.currentTimeMillis() * 1000;
            long start = System.nanoTime();
            List<CapturedMessage> batch = new ArrayList<>(BATCH);
            long lastTick = t0;
            for (int i = 0; i < packets; i++) {
                long t = t0 + i * 100L;
                batch.add(new CapturedMessage(packet(i, t), Transport.UDP, AGENT));
                if (batch.size() == BATCH) {
                    stages.process(new ArrayList<>(batch));
                    batch.clear();
                    if (t - lastTick >= 1_000_000L) {
                        stages.tick(t);
                        lastTick = t;
                    }
                }
                if ((i + 1) % every == 0) {
                    report(fixture, i + 1, base, start);
                }
            }
            stages.process(batch);
            report(fixture, packets, base, start);
            if (stages.ids().isEmpty()) {
                throw new AssertionError(); // keeps the stages reachable until after the measurement
            }
        }
    }

    private static void report(PipelineFixture f, int fed, long base, long start) {
        long used = usedAfterGc();
        Map<String, Object> state = new TreeMap<>();
        for (Map.Entry<String, Gauge> g : f.metrics.getGauges().entrySet()) {
            String k = g.getKey();
            if (k.endsWith(".live") || k.contains("users") || k.contains("sources") || k.contains("orphans.waiting")) {
                state.put(k, g.getValue().getValue());
            }
        }
        for (Map.Entry<String, Meter> m : f.metrics.getMeters().entrySet()) {
            String k = m.getKey();
            if (m.getValue().getCount() > 0 && (k.contains("evict") || k.contains("dropped") || k.contains("oversized"))) {
                state.put(k, m.getValue().getCount());
            }
        }
        System.out.printf("[soak] %,d packets in %.0f s: heap after GC %.1f MB (%.1f MB above the baseline) of %d MB max%n",
                fed, (System.nanoTime() - start) / 1e9, used / 1e6, (used - base) / 1e6, Runtime.getRuntime().maxMemory() >> 20);
        System.out.println("[soak]   " + state);
    }

    /** Packet {@code i}: an INVITE (3 in 5), a re-sent INVITE with a new media port, or a brute-force REGISTER. */
    static HepPacket packet(int i, long micros) {
        String sip;
        switch (i % 5) {
            case 3 -> sip = invite(i - 3 - 5 * ((i / 5) % 20), 20_000 + i % 40_000);
            case 4 -> sip = "REGISTER sip:example.com SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 203.0.113.9:5060;branch=z9hG4bK-" + i + "\r\n"
                    + "From: <sip:brute" + LONG + "@example.com>;tag=" + i + "\r\n"
                    + "To: <sip:brute@example.com>\r\n"
                    + "Call-ID: brute-force-run\r\n"
                    + "CSeq: " + (i / 5 + 1) + " REGISTER\r\n"
                    + "User-Agent: friendly-" + i + LONG + "\r\n"
                    + "Content-Length: 0\r\n\r\n";
            default -> sip = invite(i, 10_000 + i % 50_000);
        }
        HepPacket p = new HepPacket();
        p.version = 3;
        p.ipFamily = HepPacket.AF_INET;
        p.ipProtocol = 17;
        p.srcIp = new byte[] {(byte) 198, 51, (byte) (i >> 8), (byte) i};
        p.dstIp = new byte[] {(byte) 203, 0, 113, 10};
        p.srcPort = 5060;
        p.dstPort = 5060;
        p.timeSeconds = micros / 1_000_000;
        p.timeMicros = micros % 1_000_000;
        p.protoType = HepPacket.PROTO_SIP;
        p.captureId = 1;
        p.payload = sip.getBytes(StandardCharsets.UTF_8);
        return p;
    }

    private static String callId(int call) {
        String id = "soak-" + call + "-";
        return id + "c".repeat(256 - id.length()); // the longest Call-ID the correlator tracks
    }

    private static String invite(int call, int mediaPort) {
        String sdp = "v=0\r\no=- 1 1 IN IP4 10.9.0.1\r\ns=-\r\nc=IN IP4 10." + ((call >> 16) & 255) + "." + ((call >> 8) & 255)
                + "." + (call & 255) + "\r\nt=0 0\r\nm=audio " + mediaPort + " RTP/AVP 0\r\n";
        return "INVITE sip:+4930" + call + "@example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bK-" + call + "\r\n"
                + "From: \"" + call + LONG + "\" <sip:user" + call + LONG + "@example.com>;tag=f" + call + "\r\n"
                + "To: <sip:+4930" + call + "@example.com>\r\n"
                + "Call-ID: " + callId(call) + "\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "X-CID: other-leg-" + call + LONG + "\r\n"
                + "User-Agent: phone-" + call + LONG + "\r\n"
                + "Content-Type: application/sdp\r\n"
                + "Content-Length: " + sdp.length() + "\r\n\r\n" + sdp;
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
