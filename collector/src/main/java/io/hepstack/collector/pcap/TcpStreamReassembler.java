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

    /**
     * One direction of one connection, its bytes and the capture time of its first segment.
     *
     * @param segmentEnds   for each run of bytes written from one segment, the stream offset just
     *                      past it (ascending); with {@code segmentMicros} and {@code segmentFrames},
     *                      which frame delivered the byte at a given offset
     */
    public record Stream(String key, long firstTimestampMicros, byte[] bytes, byte[] srcIp, byte[] dstIp,
                         int srcPort, int dstPort, long[] segmentEnds, long[] segmentMicros, long[] segmentFrames) {

        public Stream(String key, long firstTimestampMicros, byte[] bytes) {
            this(key, firstTimestampMicros, bytes, null, null, -1, -1,
                    new long[]{bytes.length}, new long[]{firstTimestampMicros}, new long[]{-1});
        }

        /** The key of the opposite direction of this connection. */
        public String reverseKey() {
            return srcIp == null ? null : TcpStreamReassembler.key(dstIp, dstPort, srcIp, srcPort);
        }

        /** Index of the segment that delivered the byte at {@code offset} (clamped to the last one). */
        private int segmentAt(long offset) {
            int lo = 0;
            int hi = segmentEnds.length - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (segmentEnds[mid] > offset) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            return lo;
        }

        /** Capture time of the segment that delivered the byte at {@code offset}. */
        public long microsAt(long offset) {
            return segmentEnds.length == 0 ? firstTimestampMicros : segmentMicros[segmentAt(offset)];
        }

        /** Frame number of the segment that delivered the byte at {@code offset}, or -1. */
        public long frameAt(long offset) {
            return segmentEnds.length == 0 ? -1 : segmentFrames[segmentAt(offset)];
        }
    }

    /** The stream key of a direction: {@code src:port>dst:port}. */
    public static String key(byte[] srcIp, int srcPort, byte[] dstIp, int dstPort) {
        return io.hepstack.collector.hep.HepPacket.ipText(srcIp) + ":" + srcPort + ">"
                + io.hepstack.collector.hep.HepPacket.ipText(dstIp) + ":" + dstPort;
    }

    /** The stream key of the direction a packet travels in. */
    public static String key(PcapPacket p) {
        return key(p.srcIp(), p.srcPort(), p.dstIp(), p.dstPort());
    }

    private static final class Flow {
        final String key;
        final long firstMicros;
        final PcapPacket first;
        long nextSeq = -1;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final List<PcapPacket> pending = new ArrayList<>();
        long[] ends = new long[8];
        long[] micros = new long[8];
        long[] frames = new long[8];
        int segments;

        Flow(String key, PcapPacket first) {
            this.key = key;
            this.first = first;
            this.firstMicros = first.timestampMicros();
        }

        void write(PcapPacket p, int from) {
            out.write(p.payload(), from, p.payload().length - from);
            if (segments == ends.length) {
                ends = java.util.Arrays.copyOf(ends, segments * 2);
                micros = java.util.Arrays.copyOf(micros, segments * 2);
                frames = java.util.Arrays.copyOf(frames, segments * 2);
            }
            ends[segments] = out.size();
            micros[segments] = p.timestampMicros();
            frames[segments] = p.frameNumber();
            segments++;
        }

        Stream stream() {
            return new Stream(key, firstMicros, out.toByteArray(), first.srcIp(), first.dstIp(), first.srcPort(),
                    first.dstPort(), java.util.Arrays.copyOf(ends, segments), java.util.Arrays.copyOf(micros, segments),
                    java.util.Arrays.copyOf(frames, segments));
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
            Flow f = flows.computeIfAbsent(key(p), k -> new Flow(k, p));
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
                    f.write(p, from);
                    f.nextSeq = p.tcpSeq() + p.payload().length;
                }
            }
            if (f.out.size() > 0) {
                result.add(f.stream());
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
                    f.write(p, from);
                    f.nextSeq = endSeq;
                    f.pending.remove(i--);
                    progress = true;
                }
            }
        }
    }
}
