package io.hepstack.tools.hepgen;

import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import io.hepstack.collector.ingest.CaptureHep;
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
 * Optionally paced (packets per second). Shows its progress on stderr ({@link ReplayProgress}).
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
        ReplayProgress progress = ns.getBoolean("quiet") ? ReplayProgress.silent() : ReplayProgress.onStderr(packets.size());
        if ("tcp".equals(ns.getString("transport"))) {
            try (Socket s = new Socket(host, port); OutputStream out = s.getOutputStream()) {
                for (int i = 0; i < packets.size(); i++) {
                    pace(start, i, gapNanos);
                    out.write(packets.get(i));
                    bytes += packets.get(i).length;
                    progress.sent(i + 1);
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
                    progress.sent(i + 1);
                }
            }
        }
        progress.done();
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

    /** The HEP packets of a capture; see {@link CaptureHep}. */
    static List<byte[]> hepPackets(Path file, int hepPort, long captureId, String node, String authKey,
                                   Map<String, Long> skipped) throws Exception {
        return CaptureHep.hepPackets(file, hepPort, captureId, node, authKey, skipped);
    }

    static final String HEP_TOO_LARGE = CaptureHep.HEP_TOO_LARGE;
}
