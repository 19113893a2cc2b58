package io.hepstack.collector.pcap;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts the TCP segments of a capture back into per-direction byte streams, in sequence
 * order, with retransmitted and overlapping bytes written once. Enough for replaying
 * captures and for tests; not a general TCP state machine (no wrap-around beyond 2^32).
 */
public final class TcpStreamReassembler {

    /** One direction of one connection, its bytes and the capture time of its first segment. */
    public record Stream(String key, long firstTimestampMicros, byte[] bytes) {
    }

    private static final class Flow {
        final String key;
        final long firstMicros;
        long nextSeq = -1;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final List<PcapPacket> pending = new ArrayList<>();

        Flow(String key, long firstMicros) {
            this.key = key;
            this.firstMicros = firstMicros;
        }
    }

    private TcpStreamReassembler() {
    }

    public static List<Stream> reassemble(List<PcapPacket> packets) {
        Map<String, Flow> flows = new LinkedHashMap<>();
        for (PcapPacket p : packets) {
            if (!p.isTcp()) {
                continue;
            }
            String key = io.hepstack.collector.hep.HepPacket.ipText(p.srcIp()) + ":" + p.srcPort() + ">"
                    + io.hepstack.collector.hep.HepPacket.ipText(p.dstIp()) + ":" + p.dstPort();
            Flow f = flows.computeIfAbsent(key, k -> new Flow(k, p.timestampMicros()));
            boolean syn = (p.tcpFlags() & 0x02) != 0;
            if (syn) {
                f.nextSeq = (p.tcpSeq() + 1) & 0xffffffffL;
                continue;
            }
            if (p.payload().length == 0) {
                continue;
            }
            if (f.nextSeq < 0) {
                f.nextSeq = p.tcpSeq(); // capture started mid-connection
            }
            f.pending.add(p);
            drain(f);
        }
        List<Stream> result = new ArrayList<>();
        for (Flow f : flows.values()) {
            // whatever could not be ordered (a gap in the capture) is appended in arrival order
            for (PcapPacket p : f.pending) {
                long skip = f.nextSeq - p.tcpSeq();
                if (skip < p.payload().length) {
                    int from = (int) Math.max(0, skip);
                    f.out.write(p.payload(), from, p.payload().length - from);
                    f.nextSeq = p.tcpSeq() + p.payload().length;
                }
            }
            if (f.out.size() > 0) {
                result.add(new Stream(f.key, f.firstMicros, f.out.toByteArray()));
            }
        }
        return result;
    }

    private static void drain(Flow f) {
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int i = 0; i < f.pending.size(); i++) {
                PcapPacket p = f.pending.get(i);
                long start = p.tcpSeq();
                long endSeq = start + p.payload().length;
                if (endSeq <= f.nextSeq) { // entirely old: a retransmission
                    f.pending.remove(i--);
                    continue;
                }
                if (start <= f.nextSeq) {
                    int from = (int) (f.nextSeq - start);
                    f.out.write(p.payload(), from, p.payload().length - from);
                    f.nextSeq = endSeq;
                    f.pending.remove(i--);
                    progress = true;
                }
            }
        }
    }
}
