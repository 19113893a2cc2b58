package io.hepstack.bench;

import io.hepstack.tools.hepgen.HepTrafficModel;
import io.hepstack.tools.hepgen.TrafficConfig;
import io.hepstack.collector.hep.HepDecoder;
import io.hepstack.collector.hep.HepEncoder;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.pcap.PcapPacket;
import io.hepstack.collector.pcap.PcapReader;
import io.hepstack.collector.pcap.TcpStreamReassembler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Realistic packets for the benchmarks, loaded once per trial: the HEP3 captures of the repository
 * ({@code testdata/hep/*.pcap}: Kamailio over UDP and TCP, a scanner, a REGISTER flood, hep-js
 * hepgen) and packets of our own {@link HepTrafficModel} (calls, RTCP, LOG, REGISTER; fixed seed).
 * Later benchmarks (documents, the whole pipeline) take their input from here too.
 *
 * <p>The repository is found from {@code -Dhepstack.repo=DIR}, else by walking up from the working
 * directory to the folder that holds {@code testdata/hep}.
 */
public final class BenchData {

    /** Where the packets come from. */
    public enum Source {
        /** Every HEP packet of testdata/hep/*.pcap, in file order. */
        CAPTURES,
        /** Every packet of {@link #HEPGEN_CALLS} calls and a fifth as many registrations of hepgen's default mix (seed 1). */
        HEPGEN,
        /** Both, interleaved one by one (the captures repeat to match hepgen's count). */
        MIX
    }

    /** Complete calls, so the mix holds every message of a call (RTCP, BYE, LOG), not just the setups. */
    public static final int HEPGEN_CALLS = 1_000;

    private BenchData() {
    }

    /** Encoded HEP3 packets (one per array) from the source. */
    public static List<byte[]> hepPackets(Source source) {
        switch (source) {
            case CAPTURES:
                return capturePackets();
            case HEPGEN:
                return hepgenPackets(HEPGEN_CALLS);
            default: {
                List<byte[]> a = capturePackets();
                List<byte[]> b = hepgenPackets(HEPGEN_CALLS);
                List<byte[]> out = new ArrayList<>(2 * b.size());
                for (int i = 0; i < b.size(); i++) {
                    out.add(a.get(i % a.size()));
                    out.add(b.get(i));
                }
                return out;
            }
        }
    }

    /** The decoded packets of the source. */
    public static List<HepPacket> decoded(Source source) {
        HepDecoder decoder = new HepDecoder();
        List<HepPacket> out = new ArrayList<>();
        for (byte[] b : hepPackets(source)) {
            out.add(decoder.decode(b, 0, b.length));
        }
        return out;
    }

    /** The SIP payloads (HEP type 1) of the source. */
    public static List<byte[]> sipPayloads(Source source) {
        List<byte[]> out = new ArrayList<>();
        for (HepPacket p : decoded(source)) {
            if (p.protoType == HepPacket.PROTO_SIP) {
                out.add(p.payload);
            }
        }
        return out;
    }

    /**
     * Every packet of {@code calls} calls and {@code calls / 5} registrations of hepgen's default mix
     * (100 users, 9 destinations, all outcomes, RTCP and LOG; seed 1), as HEP3 bytes in time order.
     */
    public static List<byte[]> hepgenPackets(int calls) {
        return encoded(TrafficConfig.builder().seed(1).calls(calls)
                .registrations(calls / 5).callsPerSecond(100).registrationsPerSecond(20).build());
    }

    /**
     * hepgen's default mix as {@code hepgen --rate rate --duration seconds} makes it (calls and
     * registrations in the ratio 5:1, their rates from the packets per second), encoded.
     */
    public static List<byte[]> hepgenPacketsAt(int rate, int seconds) {
        TrafficConfig probe = TrafficConfig.builder().seed(1).calls(100).registrations(20).build();
        double perCall = probe.expectedPacketsPerCall() + 0.2 * probe.expectedPacketsPerRegistration();
        double callRate = rate / perCall;
        long calls = (long) Math.ceil(callRate * seconds);
        return encoded(TrafficConfig.builder().seed(1).calls(calls).registrations(calls / 5)
                .callsPerSecond(callRate).registrationsPerSecond(callRate * 0.2).build());
    }

    /** Every packet of the traffic {@code config} describes, HEP3-encoded. */
    private static List<byte[]> encoded(TrafficConfig config) {
        HepTrafficModel model = new HepTrafficModel(config);
        HepEncoder encoder = new HepEncoder();
        List<byte[]> out = new ArrayList<>();
        while (model.hasNext()) {
            out.add(encoder.encode(model.next().hep()));
        }
        return out;
    }

    /** Every HEP packet of testdata/hep/*.pcap: UDP payloads, and TCP streams cut by the HEP3 length field. */
    public static List<byte[]> capturePackets() {
        Path dir = repository().resolve("testdata/hep");
        List<byte[]> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".pcap")).sorted().toList()) {
                List<PcapPacket> frames = PcapReader.read(f);
                for (PcapPacket p : frames) {
                    if (p.isUdp() && p.payload().length > 0) {
                        out.add(p.payload());
                    }
                }
                for (TcpStreamReassembler.Stream s : TcpStreamReassembler.reassemble(frames)) {
                    byte[] b = s.bytes();
                    for (int off = 0; off + 6 <= b.length; ) {
                        int len = ((b[off + 4] & 0xff) << 8) | (b[off + 5] & 0xff);
                        if (len < 6 || off + len > b.length) {
                            break;
                        }
                        out.add(java.util.Arrays.copyOfRange(b, off, off + len));
                        off += len;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the captures in " + dir, e);
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no HEP packets in " + dir);
        }
        return out;
    }

    /** The repository root: -Dhepstack.repo, or the nearest parent of the working directory with testdata/hep. */
    public static Path repository() {
        String prop = System.getProperty("hepstack.repo");
        if (prop != null) {
            Path p = Path.of(prop);
            if (!Files.isDirectory(p.resolve("testdata/hep"))) {
                throw new IllegalStateException("-Dhepstack.repo=" + prop + " has no testdata/hep folder");
            }
            return p;
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("testdata/hep"))) {
                return p;
            }
        }
        throw new IllegalStateException("testdata/hep not found above " + Path.of("").toAbsolutePath()
                + "; run from the repository or pass -Dhepstack.repo=DIR");
    }
}
