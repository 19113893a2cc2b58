package io.hepstack.collector.ingest;

import io.hepstack.collector.hep.HepEncoder;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.pcap.PcapPacket;
import io.hepstack.collector.pcap.PcapReader;
import io.hepstack.collector.pcap.TcpStreamReassembler;
import io.hepstack.collector.pcap.WebSocketFrames;
import io.hepstack.collector.protocol.sip.SipStreamFramer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The HEP packets of a capture file (pcap or pcapng), shared by the {@code replay} command (which
 * sends them to a collector) and the web UI's pcap import (which hands them to the running
 * pipeline). HEP captures (UDP or TCP to the HEP port) give their packets as they are; raw SIP
 * (UDP, TCP, SCTP on any port) is wrapped in HEP3 with its original addresses, ports and capture
 * time. SIP over WebSocket (RFC 7118: TCP connections that start with an HTTP Upgrade to websocket)
 * is de-framed, one HEP packet per WebSocket message (HEP ip protocol TCP: HEP3 has no mark for
 * WebSocket); what is not imported is counted by reason.
 */
public final class CaptureHep {

    private CaptureHep() {
    }

    /**
     * HEP packets of a capture: HEP payloads as they are, raw SIP wrapped in HEP3 (SIP over
     * WebSocket de-framed first); what is not imported is added to {@code skipped} by reason.
     */
    public static List<byte[]> hepPackets(Path file, int hepPort, long captureId, String node, String authKey,
                                   Map<String, Long> skipped) throws Exception {
        List<PcapPacket> all = PcapReader.read(file);
        List<byte[]> out = new ArrayList<>();
        HepEncoder encoder = new HepEncoder();
        List<PcapPacket> rawTcp = new ArrayList<>();
        List<PcapPacket> hepTcp = new ArrayList<>();
        // SIP over WebSocket first: a segment in the middle of a WebSocket stream may look like HEP
        List<PcapPacket> wsCandidates = new ArrayList<>();
        for (PcapPacket p : all) {
            if (p.isTcp() && p.dstPort() != hepPort && p.srcPort() != hepPort) {
                wsCandidates.add(p);
            }
        }
        WebSocketFrames.Result ws = WebSocketFrames.extract(TcpStreamReassembler.reassemble(wsCandidates));
        ws.skipped().forEach((reason, n) -> skipped.merge(reason, n, Long::sum));
        for (PcapPacket p : all) {
            if (p.isTcp() && ws.streamKeys().contains(TcpStreamReassembler.key(p))) {
                continue;
            }
            boolean hep = p.dstPort() == hepPort || looksLikeHep(p.payload());
            if (p.isTcp()) {
                (hep ? hepTcp : rawTcp).add(p);
            } else if (hep && p.isUdp()) {
                out.add(p.payload());
            } else if (p.payload().length > 0) {
                for (byte[] sip : sipMessages(p.payload())) {
                    byte[] h = encode(encoder, wrap(p, sip, captureId, node, authKey), skipped);
                    if (h != null) {
                        out.add(h);
                    }
                }
            }
        }
        for (TcpStreamReassembler.Stream s : TcpStreamReassembler.reassemble(hepTcp)) {
            out.addAll(splitHepStream(s.bytes()));
        }
        // SIP over WebSocket: one HEP packet per WebSocket message, with the segment that completed it
        List<Map.Entry<Long, byte[]>> tcpOut = new ArrayList<>();
        for (WebSocketFrames.Message m : ws.messages()) {
            byte[] h = encode(encoder, wrap(m.srcIp(), m.dstIp(), m.srcPort(), m.dstPort(), 6, m.timestampMicros(),
                    m.payload(), captureId, node, authKey), skipped);
            if (h != null) {
                tcpOut.add(Map.entry(m.frameNumber(), h));
            }
        }
        // raw SIP over TCP: one HEP packet per SIP message, with the segment that completed it
        for (PcapPacket p : rawTcp) {
            if (p.payload().length == 0) {
                continue;
            }
            for (byte[] sip : sipMessages(p.payload())) {
                byte[] h = encode(encoder, wrap(p, sip, captureId, node, authKey), skipped);
                if (h != null) {
                    tcpOut.add(Map.entry(p.frameNumber(), h));
                }
            }
        }
        tcpOut.sort(Map.Entry.comparingByKey()); // stable: a segment's messages keep their order
        for (Map.Entry<Long, byte[]> e : tcpOut) {
            out.add(e.getValue());
        }
        return out;
    }

    /** Reason counted for a SIP message too large for HEP3 (65535 bytes) even gzipped. */
    public static final String HEP_TOO_LARGE = "hep_too_large";

    /**
     * {@code h} as HEP3; gzipped (chunk 0x0010) when too large as it is (a SIP message of over
     * 64 KiB, as WebSocket or TCP can carry); null, counted as {@value #HEP_TOO_LARGE}, when
     * still too large.
     */
    private static byte[] encode(HepEncoder encoder, HepPacket h, Map<String, Long> skipped) {
        try {
            return encoder.encode(h);
        } catch (IllegalArgumentException tooLarge) {
            try {
                return new HepEncoder(HepEncoder.Compression.GZIP).encode(h);
            } catch (IllegalArgumentException stillTooLarge) {
                skipped.merge(HEP_TOO_LARGE, 1L, Long::sum);
                return null;
            }
        }
    }

    private static boolean looksLikeHep(byte[] b) {
        return b.length >= 4 && ((b[0] == 'H' && b[1] == 'E' && b[2] == 'P' && b[3] == '3')
                || ((b[0] == 1 || b[0] == 2) && b.length > 16 && (b[2] == 2 || b[2] == 10)));
    }

    private static List<byte[]> sipMessages(byte[] payload) {
        List<byte[]> out = new ArrayList<>();
        try {
            SipStreamFramer.Frames frames = new SipStreamFramer().split(payload, 0, payload.length);
            for (SipStreamFramer.Frame f : frames.frames()) {
                out.add(Arrays.copyOfRange(payload, f.offset(), f.offset() + f.length()));
            }
        } catch (Exception e) {
            out.clear();
        }
        if (out.isEmpty() && payload.length > 0) {
            out.add(payload); // not framable as SIP: send it whole, the collector marks it unparsed
        }
        return out;
    }

    private static List<byte[]> splitHepStream(byte[] stream) {
        List<byte[]> out = new ArrayList<>();
        int off = 0;
        while (off + 6 <= stream.length) {
            int len = ((stream[off + 4] & 0xff) << 8) | (stream[off + 5] & 0xff);
            if (len < 6 || off + len > stream.length) {
                break;
            }
            out.add(Arrays.copyOfRange(stream, off, off + len));
            off += len;
        }
        return out;
    }

    private static HepPacket wrap(PcapPacket p, byte[] sip, long captureId, String node, String authKey) {
        return wrap(p.srcIp(), p.dstIp(), p.srcPort(), p.dstPort(), p.ipProtocol(), p.timestampMicros(), sip, captureId,
                node, authKey);
    }

    private static HepPacket wrap(byte[] srcIp, byte[] dstIp, int srcPort, int dstPort, int ipProtocol, long micros,
                                  byte[] sip, long captureId, String node, String authKey) {
        HepPacket h = HepPacket.sip(srcIp, dstIp, srcPort, dstPort, ipProtocol, micros, sip);
        h.captureId = captureId;
        h.nodeName = node;
        h.authKey = authKey;
        return h;
    }
}
