package io.hepstack.tools.hepgen;

import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import io.hepstack.collector.hep.HepEncoder;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.pcap.PcapPacket;
import io.hepstack.collector.pcap.PcapReader;
import io.hepstack.collector.pcap.TcpStreamReassembler;
import io.hepstack.collector.pcap.WebSocketFrames;
import io.hepstack.collector.protocol.sip.SipStreamFramer;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code replay FILE...}: sends a capture to a HEP collector. HEP captures (UDP or TCP to the HEP
 * port) are sent as they are; raw SIP captures (UDP, TCP, SCTP on any port) are wrapped in HEP3
 * with their original addresses, ports and capture times. SIP over WebSocket (RFC 7118: TCP
 * connections that start with an HTTP Upgrade to websocket) is de-framed, one HEP packet per
 * WebSocket message (HEP ip protocol TCP: HEP3 has no mark for WebSocket); what is not imported
 * from them (control frames, other subprotocols, ...) is counted by reason and printed.
 * Optionally paced (packets per second).
 */
public final class ReplayCommand extends Command {

    public ReplayCommand() {
        super("replay", "send a pcap/pcapng capture (HEP or raw SIP) to a HEP collector");
    }

    @Override
    public void configure(Subparser p) {
        p.addArgument("files").nargs("+").help("capture files (.pcap or .pcapng)");
        p.addArgument("--host").setDefault("127.0.0.1").help("collector address (default 127.0.0.1)");
        p.addArgument("--port").type(Integer.class).setDefault(9060).help("HEP port (default 9060)");
        p.addArgument("--transport").choices("udp", "tcp").setDefault("udp").help("udp (default) or tcp");
        p.addArgument("--rate").type(Integer.class).setDefault(0).help("packets per second, 0 = as fast as possible");
        p.addArgument("--hep-port").type(Integer.class).setDefault(9060)
                .help("port that marks a capture's packets as HEP already (default 9060)");
        p.addArgument("--capture-id").type(Long.class).setDefault(2999L).help("capture id for wrapped raw SIP");
        p.addArgument("--node").setDefault("replay").help("node name (chunk 0x13) for wrapped raw SIP");
        p.addArgument("--auth-key").help("auth key (chunk 0x0e) for wrapped raw SIP");
        p.addArgument("--quiet").action(Arguments.storeTrue());
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace ns) throws Exception {
        List<byte[]> packets = new ArrayList<>();
        Map<String, Long> skipped = new TreeMap<>();
        for (String f : ns.<String>getList("files")) {
            packets.addAll(hepPackets(Path.of(f), ns.getInt("hep_port"), ns.getLong("capture_id"), ns.getString("node"),
                    ns.getString("auth_key"), skipped));
        }
        InetAddress host = InetAddress.getByName(ns.getString("host"));
        int port = ns.getInt("port");
        int rate = ns.getInt("rate");
        long gapNanos = rate > 0 ? 1_000_000_000L / rate : 0;
        long start = System.nanoTime();
        long bytes = 0;
        if ("tcp".equals(ns.getString("transport"))) {
            try (Socket s = new Socket(host, port); OutputStream out = s.getOutputStream()) {
                for (int i = 0; i < packets.size(); i++) {
                    pace(start, i, gapNanos);
                    out.write(packets.get(i));
                    bytes += packets.get(i).length;
                }
                out.flush();
            }
        } else {
            try (DatagramSocket s = new DatagramSocket()) {
                for (int i = 0; i < packets.size(); i++) {
                    pace(start, i, gapNanos);
                    byte[] b = packets.get(i);
                    s.send(new DatagramPacket(b, b.length, host, port));
                    bytes += b.length;
                }
            }
        }
        if (!ns.getBoolean("quiet")) {
            double secs = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
            System.out.printf("replayed %d HEP packets (%d bytes) to %s:%d over %s in %.2f s (%.0f packets/s)%n",
                    packets.size(), bytes, host.getHostAddress(), port, ns.getString("transport"), secs, packets.size() / secs);
            if (!skipped.isEmpty()) {
                System.out.println("not imported: " + skipText(skipped));
            }
        }
    }

    private static void pace(long start, int i, long gapNanos) {
        if (gapNanos <= 0) {
            return;
        }
        long due = start + i * gapNanos;
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    /** {@code reason=count, ...} of what a replay did not import. */
    static String skipText(Map<String, Long> skipped) {
        StringBuilder b = new StringBuilder();
        skipped.forEach((reason, n) -> b.append(b.length() == 0 ? "" : ", ").append(reason).append('=').append(n));
        return b.toString();
    }

    static List<byte[]> hepPackets(Path file, int hepPort, long captureId, String node, String authKey) throws Exception {
        return hepPackets(file, hepPort, captureId, node, authKey, new TreeMap<>());
    }

    /**
     * HEP packets of a capture: HEP payloads as they are, raw SIP wrapped in HEP3 (SIP over
     * WebSocket de-framed first); what is not imported is added to {@code skipped} by reason.
     */
    static List<byte[]> hepPackets(Path file, int hepPort, long captureId, String node, String authKey,
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
    static final String HEP_TOO_LARGE = "hep_too_large";

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
        HepPacket h = new HepPacket();
        h.version = 3;
        h.ipFamily = srcIp.length == 4 ? HepPacket.AF_INET : HepPacket.AF_INET6;
        h.ipProtocol = ipProtocol;
        h.srcIp = srcIp;
        h.dstIp = dstIp;
        h.srcPort = srcPort;
        h.dstPort = dstPort;
        h.timeSeconds = micros / 1_000_000L;
        h.timeMicros = micros % 1_000_000L;
        h.protoType = HepPacket.PROTO_SIP;
        h.captureId = captureId;
        h.nodeName = node;
        h.authKey = authKey;
        h.payload = sip;
        return h;
    }
}
