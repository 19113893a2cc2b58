package io.hepstack.collector.correlate;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.collector.hep.HepDecoder;
import io.hepstack.collector.hep.HepEncoder;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.pcap.PcapPacket;
import io.hepstack.collector.pcap.PcapReader;
import io.hepstack.collector.pcap.TcpStreamReassembler;
import io.hepstack.collector.pcap.WebSocketFrames;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.parse.ParseStage;
import io.hepstack.collector.pipeline.Transport;
import io.hepstack.collector.protocol.sip.SipParseException;
import io.hepstack.collector.protocol.sip.SipStreamFramer;
import io.hepstack.enricher.Enricher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Replays capture files through parse + correlate (enrichment off unless given), in the order the
 * packets were captured, as the pipeline would: batches of {@value #BATCH}, and optionally a tick
 * with the newest capture time after a batch that moved it on by a second or more (so timers run as
 * they would live).
 *
 * <p>HEP captures are decoded by the real {@link HepDecoder} (UDP datagrams; TCP streams cut by the
 * HEP length). Raw SIP captures are wrapped as HEP, as a capture agent would: one packet per UDP
 * datagram (IP fragments skipped: tshark does not dissect them either), and per TCP/SCTP direction
 * every complete SIP message (framed by Content-Length) stamped with the time of the segment that
 * completed it; TCP retransmissions (sequence numbers already seen) are dropped. SIP over WebSocket
 * (RFC 7118) is de-framed by {@link WebSocketFrames}: one packet per WebSocket message, as a
 * capture agent sends it.
 *
 * <p>Public for the tools module's tests, which replay hepgen's traffic through it.
 */
public final class CaptureReplay {

    static final int BATCH = 64;

    /** What a replay produced. */
    public record Result(RecordingSink sink, List<CapturedMessage> messages, MetricRegistry metrics, CorrelateStage stage) {
        long parsedSip() {
            return messages.stream().filter(m -> m.parsed instanceof io.hepstack.collector.protocol.sip.SipMessage).count();
        }
    }

    private CaptureReplay() {
    }

    public static Path repo(String relative) {
        Path p = Path.of("..", "testdata").resolve(relative);
        if (!Files.isRegularFile(p)) {
            fail("repository test data missing: " + p.toAbsolutePath());
        }
        return p;
    }

    /** AGPL/GPL captures, never copied into the repository: -Dhepstack.testdata, else /work/shared/testdata. */
    static Path shared(String relative) {
        String prop = System.getProperty("hepstack.testdata");
        Path dir = prop != null && Files.isDirectory(Path.of(prop)) ? Path.of(prop) : Path.of("/work/shared/testdata");
        if (!Files.isDirectory(dir)) {
            fail("shared test data not found: -Dhepstack.testdata=" + prop + " is not a folder and /work/shared/testdata is "
                    + "missing; the AGPL/GPL captures are not in the repository");
        }
        Path f = dir.resolve(relative);
        if (!Files.isRegularFile(f)) {
            fail("shared test data file missing: " + f);
        }
        return f;
    }

    /** Replays {@code packets} in batches of {@value #BATCH}, ticking about once per capture second when {@code ticks}. */
    public static Result replay(List<HepPacket> packets, CorrelationConfig config, Enricher enricher, boolean ticks) {
        return replay(packets, new Harness(config, enricher, null), ticks);
    }

    /**
     * As above through the given harness. The result's messages are those that left the stages, in
     * the order they left (a reorder window hands on new message objects, in capture order, some at
     * a tick or the flush).
     */
    static Result replay(List<HepPacket> packets, Harness h, boolean ticks) {
        long newest = Long.MIN_VALUE;
        long lastTick = Long.MIN_VALUE / 2;
        for (int i = 0; i < packets.size(); i += BATCH) {
            List<CapturedMessage> batch = new ArrayList<>(BATCH);
            for (HepPacket p : packets.subList(i, Math.min(packets.size(), i + BATCH))) {
                batch.add(new CapturedMessage(p, Transport.FILE, null));
                newest = Math.max(newest, p.timestampMicros());
            }
            h.stages.process(batch);
            if (ticks && newest - lastTick >= 1_000_000) {
                h.tick(newest); // about once per second of capture time, as the pipeline ticks live
                lastTick = newest;
            }
        }
        h.flush();
        return new Result(h.sink, h.seen, h.metrics, h.stage);
    }

    // ------------------------------------------------------------------ HEP captures

    public static List<HepPacket> hep(Path file) {
        HepDecoder decoder = new HepDecoder();
        List<HepPacket> out = new ArrayList<>();
        List<PcapPacket> packets = read(file);
        for (PcapPacket p : packets) {
            if (p.isUdp() && p.payload().length > 0) {
                out.add(decoder.decode(p.payload(), 0, p.payload().length));
            }
        }
        for (TcpStreamReassembler.Stream s : TcpStreamReassembler.reassemble(packets)) {
            byte[] b = s.bytes();
            int off = 0;
            while (off + 6 <= b.length) {
                int len = ((b[off + 4] & 0xff) << 8) | (b[off + 5] & 0xff);
                if (len < 6 || off + len > b.length) {
                    fail(file + ": HEP length " + len + " at " + off + " of a " + b.length + "-byte TCP stream");
                }
                out.add(decoder.decode(b, off, len));
                off += len;
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ raw SIP captures

    static List<HepPacket> raw(Path file) {
        HepEncoder encoder = new HepEncoder();
        HepDecoder decoder = new HepDecoder();
        List<HepPacket> out = new ArrayList<>();
        Map<String, Flow> flows = new HashMap<>();
        List<PcapPacket> packets = read(file);
        // SIP over WebSocket (RFC 7118): de-framed out of its TCP streams, one packet per WebSocket
        // message, placed at the frame that completed it
        List<PcapPacket> tcp = packets.stream().filter(PcapPacket::isTcp).toList();
        WebSocketFrames.Result ws = WebSocketFrames.extract(TcpStreamReassembler.reassemble(tcp));
        java.util.ArrayDeque<WebSocketFrames.Message> wsMessages = new java.util.ArrayDeque<>(ws.messages());
        for (PcapPacket p : packets) {
            while (!wsMessages.isEmpty() && wsMessages.peekFirst().frameNumber() <= p.frameNumber()) {
                WebSocketFrames.Message m = wsMessages.pollFirst();
                out.add(roundTrip(encoder, decoder, wrap(m.srcIp(), m.dstIp(), m.srcPort(), m.dstPort(), 6, m.payload(),
                        m.timestampMicros())));
            }
            if (p.isTcp() && ws.streamKeys().contains(TcpStreamReassembler.key(p))) {
                continue;
            }
            if (p.payload().length == 0 || p.fragment()) {
                continue;
            }
            if (p.isUdp()) {
                out.add(roundTrip(encoder, decoder, wrap(p, p.payload(), p.timestampMicros())));
                continue;
            }
            if (!p.isTcp() && p.ipProtocol() != 132) {
                continue;
            }
            String key = io.hepstack.collector.hep.HepPacket.ipText(p.srcIp()) + ":" + p.srcPort() + ">"
                    + io.hepstack.collector.hep.HepPacket.ipText(p.dstIp()) + ":" + p.dstPort();
            Flow f = flows.computeIfAbsent(key, k -> new Flow());
            if (p.isTcp()) {
                long seq = p.tcpSeq();
                if (f.next >= 0 && seq != f.next) {
                    continue; // retransmission or out of order: dropped (enough for these captures)
                }
                f.next = (seq + p.payload().length) & 0xffffffffL;
            }
            f.buf.writeBytes(p.payload());
            byte[] b = f.buf.toByteArray();
            SipStreamFramer.Frames frames;
            try {
                frames = new SipStreamFramer().split(b, 0, b.length);
            } catch (SipParseException e) {
                f.buf.reset(); // not SIP: forget the stream
                continue;
            }
            int consumed = 0;
            for (SipStreamFramer.Frame fr : frames.frames()) {
                byte[] msg = Arrays.copyOfRange(b, fr.offset(), fr.offset() + fr.length());
                out.add(roundTrip(encoder, decoder, wrap(p, msg, p.timestampMicros())));
                consumed = fr.offset() + fr.length();
            }
            if (consumed > 0) {
                f.buf.reset();
                f.buf.write(b, consumed, b.length - consumed);
            }
        }
        return out;
    }

    private static final class Flow {
        long next = -1;
        final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    }

    private static HepPacket wrap(PcapPacket p, byte[] payload, long micros) {
        return wrap(p.srcIp(), p.dstIp(), p.srcPort(), p.dstPort(), p.ipProtocol(), payload, micros);
    }

    private static HepPacket wrap(byte[] srcIp, byte[] dstIp, int srcPort, int dstPort, int ipProtocol, byte[] payload,
                                  long micros) {
        HepPacket h = HepPacket.sip(srcIp, dstIp, srcPort, dstPort, ipProtocol, micros, payload);
        h.captureId = 3001;
        return h;
    }

    private static HepPacket roundTrip(HepEncoder encoder, HepDecoder decoder, HepPacket p) {
        byte[] wire = encoder.encode(p);
        return decoder.decode(wire, 0, wire.length);
    }

    private static List<PcapPacket> read(Path file) {
        try {
            return PcapReader.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
