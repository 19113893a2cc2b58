package io.hepstack.collector.protocol.sip;

import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.pcap.PcapPacket;
import io.hepstack.collector.pcap.PcapReader;
import io.hepstack.collector.pcap.TcpStreamReassembler;
import io.hepstack.collector.pcap.WebSocketFrames;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Finds the test captures and pulls candidate SIP payloads out of them: one per UDP/SCTP frame,
 * the frames of each reassembled TCP direction (cut by {@link SipStreamFramer}), and the SIP
 * payloads (chunk 0x000f of HEP3 packets of type 1) of the HEP captures, walked here with a
 * tiny chunk walker so these tests do not depend on the HEP decoder.
 */
public final class SipCaptures {

    /** One payload to parse, and where it came from. */
    record Payload(String capture, long frame, String flow, int ipProtocol, boolean fragment, byte[] data) {
        @Override
        public String toString() {
            return capture + (frame > 0 ? " frame " + frame : " flow " + flow);
        }
    }

    private SipCaptures() {
    }

    static Path repoTestdata() {
        Path p = Path.of("..", "testdata");
        if (!Files.isDirectory(p.resolve("pcap"))) {
            throw new IllegalStateException("repo test data not found at " + p.toAbsolutePath());
        }
        return p;
    }

    /** The shared folder with the AGPL/GPL captures; a missing folder fails the test. */
    static Path sharedTestdata() {
        String prop = System.getProperty("hepstack.testdata");
        if (prop != null && Files.isDirectory(Path.of(prop, "pcap"))) {
            return Path.of(prop);
        }
        Path fallback = Path.of("/work/shared/testdata");
        if (Files.isDirectory(fallback.resolve("pcap"))) {
            return fallback;
        }
        throw new IllegalStateException("shared test data (heplify-*, sngrep-* captures) not found: set -Dhepstack.testdata"
                + " (was " + prop + ") or provide " + fallback);
    }

    /** Raw SIP captures: the repo copies and the AGPL/GPL ones of the shared folder. */
    public static List<Path> rawCaptures() {
        List<Path> out = new ArrayList<>(list(repoTestdata().resolve("pcap"), ""));
        out.addAll(list(sharedTestdata().resolve("pcap"), "heplify-"));
        out.addAll(list(sharedTestdata().resolve("pcap"), "sngrep-"));
        if (out.size() < 17) {
            throw new IllegalStateException("expected 17 raw captures, found " + out);
        }
        return out;
    }

    /** The generated referee scenarios of testdata/scenarios (scripts/make-scenarios.py). */
    public static List<Path> scenarios() {
        List<Path> out = list(repoTestdata().resolve("scenarios"), "scenario-");
        if (out.size() < 6) {
            throw new IllegalStateException("expected 6 generated scenarios, found " + out);
        }
        return out;
    }

    public static List<Path> hepCaptures() {
        List<Path> out = list(repoTestdata().resolve("hep"), "");
        if (out.size() < 5) {
            throw new IllegalStateException("expected 5 HEP captures, found " + out);
        }
        return out;
    }

    private static List<Path> list(Path dir, String prefix) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix))
                    .filter(p -> p.getFileName().toString().endsWith(".pcap") || p.getFileName().toString().endsWith(".pcapng"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String name(Path capture) {
        String n = capture.getFileName().toString();
        return n.substring(0, n.lastIndexOf('.'));
    }

    static List<PcapPacket> packets(Path capture) {
        try {
            return PcapReader.read(capture);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every UDP payload, one per frame (SIP or not: the parser decides). */
    static List<Payload> datagrams(Path capture) {
        List<Payload> out = new ArrayList<>();
        for (PcapPacket p : packets(capture)) {
            if (p.isUdp() && p.payload().length > 0) {
                out.add(new Payload(name(capture), p.frameNumber(), flow(p), p.ipProtocol(), p.fragment(), p.payload()));
            }
        }
        return out;
    }

    /**
     * Each SCTP direction's user data, concatenated in frame order and cut into messages: a SIP
     * message may span several DATA chunks in several frames (the reader does not reassemble
     * SCTP), and the framer puts it back together by its Content-Length.
     */
    static List<Payload> sctpMessages(Path capture) {
        Map<String, java.io.ByteArrayOutputStream> flows = new LinkedHashMap<>();
        for (PcapPacket p : packets(capture)) {
            if (p.ipProtocol() == 132 && p.payload().length > 0) {
                flows.computeIfAbsent(flow(p), k -> new java.io.ByteArrayOutputStream()).writeBytes(p.payload());
            }
        }
        List<Payload> out = new ArrayList<>();
        for (Map.Entry<String, java.io.ByteArrayOutputStream> f : flows.entrySet()) {
            out.addAll(frame(name(capture), f.getKey(), 132, f.getValue().toByteArray()));
        }
        return out;
    }

    /**
     * Each TCP direction's byte stream, cut into messages; the remainder, if any, last. Streams that
     * carry SIP over WebSocket (RFC 7118) give their WebSocket messages instead, one SIP message each.
     */
    static List<Payload> tcpMessages(Path capture) {
        List<Payload> out = new ArrayList<>();
        List<TcpStreamReassembler.Stream> streams = TcpStreamReassembler.reassemble(packets(capture));
        WebSocketFrames.Result ws = WebSocketFrames.extract(streams);
        for (WebSocketFrames.Message m : ws.messages()) {
            String flow = TcpStreamReassembler.key(m.srcIp(), m.srcPort(), m.dstIp(), m.dstPort());
            out.add(new Payload(name(capture), m.frameNumber(), flow, 6, false, m.payload()));
        }
        for (TcpStreamReassembler.Stream s : streams) {
            if (!ws.streamKeys().contains(s.key())) {
                out.addAll(frame(name(capture), s.key(), 6, s.bytes()));
            }
        }
        return out;
    }

    private static List<Payload> frame(String capture, String flow, int proto, byte[] bytes) {
        List<Payload> out = new ArrayList<>();
        SipStreamFramer.Frames frames;
        try {
            frames = new SipStreamFramer().split(bytes, 0, bytes.length);
        } catch (SipParseException e) {
            // not SIP (HTTP, TLS, ...) or beyond repair: hand the whole stream to the parser
            out.add(new Payload(capture, -1, flow, proto, true, bytes));
            return out;
        }
        for (SipStreamFramer.Frame f : frames.frames()) {
            byte[] m = java.util.Arrays.copyOfRange(bytes, f.offset(), f.offset() + f.length());
            out.add(new Payload(capture, 0, flow, proto, false, m));
        }
        if (frames.remainderLength() > 0) {
            byte[] rest = java.util.Arrays.copyOfRange(bytes, frames.remainderOffset(), bytes.length);
            out.add(new Payload(capture, -1, flow, proto, true, rest));
        }
        return out;
    }

    /** SIP payloads of the HEP3 packets, per frame (UDP datagrams or TCP segments). */
    static List<Payload> hepSip(Path capture) {
        List<Payload> out = new ArrayList<>();
        for (PcapPacket p : packets(capture)) {
            if (p.payload().length == 0) {
                continue;
            }
            for (byte[] sip : hepSipPayloads(p.payload())) {
                out.add(new Payload(name(capture), p.frameNumber(), flow(p), p.ipProtocol(), false, sip));
            }
        }
        return out;
    }

    /** Walks the HEP3 packets in {@code data}; returns the payloads of those of type 1 (SIP). */
    static List<byte[]> hepSipPayloads(byte[] data) {
        List<byte[]> out = new ArrayList<>(1);
        int off = 0;
        while (off + 6 <= data.length) {
            if (data[off] != 'H' || data[off + 1] != 'E' || data[off + 2] != 'P' || data[off + 3] != '3') {
                throw new IllegalStateException("not HEP3 at " + off);
            }
            int total = u16(data, off + 4);
            if (total < 6 || off + total > data.length) {
                throw new IllegalStateException("HEP3 length " + total + " at " + off + " of " + data.length);
            }
            int protoType = -1;
            byte[] payload = null;
            int c = off + 6;
            while (c + 6 <= off + total) {
                int type = u16(data, c + 2);
                int len = u16(data, c + 4);
                if (len < 6 || c + len > off + total) {
                    throw new IllegalStateException("bad chunk length " + len + " at " + c);
                }
                if (type == 0x0b && len == 7) {
                    protoType = data[c + 6] & 0xff;
                } else if (type == 0x0f) {
                    payload = java.util.Arrays.copyOfRange(data, c + 6, c + len);
                }
                c += len;
            }
            if (protoType == 1 && payload != null) {
                out.add(payload);
            }
            off += total;
        }
        if (off != data.length) {
            throw new IllegalStateException((data.length - off) + " bytes after the last HEP3 packet");
        }
        return out;
    }

    private static int u16(byte[] b, int i) {
        return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }

    static String flow(PcapPacket p) {
        return HepPacket.ipText(p.srcIp()) + ":" + p.srcPort() + ">" + HepPacket.ipText(p.dstIp()) + ":" + p.dstPort();
    }
}
