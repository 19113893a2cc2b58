package io.hepstack.tools.hepgen;

import io.hepstack.collector.hep.HepPacket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One call or registration: its steps (what is sent when) are fixed when it starts, from its
 * own random stream; each step's packet is made only when the model reaches it, so a run with
 * many calls in progress holds small objects, not packets.
 */
abstract class Scenario {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    final long seq;
    final Context ctx;
    final SplittableRandom rng;
    private long[] times = new long[12];
    private byte[] kinds = new byte[12];
    private int size;
    private int next;

    /** What every scenario shares: the configuration, the cast, and the HEP fields of the agent. */
    static final class Context {
        final TrafficConfig config;
        final TrafficDirectory directory;
        final byte[] sbcIp;
        private final byte[] sbcIp6;
        private final String sbcHost;
        private final String sbcHost6;

        Context(TrafficConfig config) {
            this.config = config;
            this.directory = new TrafficDirectory(config);
            this.sbcIp = TrafficDirectory.ipv4(config.sbcIp(), "SBC ip");
            this.sbcIp6 = TrafficDirectory.address(config.sbcIp6(), "SBC IPv6 address");
            this.sbcHost = config.sbcIp() + ":" + config.sbcPort();
            this.sbcHost6 = "[" + config.sbcIp6() + "]:" + config.sbcPort();
        }

        /** The SBC's address in the user's family (a HEP packet has one family for both ends). */
        byte[] sbcIp(TrafficDirectory.User user) {
            return user.ipv6() ? sbcIp6 : sbcIp;
        }

        /** The SBC's address as text (no brackets) in the user's family. */
        String sbcIpText(TrafficDirectory.User user) {
            return user.ipv6() ? config.sbcIp6() : config.sbcIp();
        }

        /** The SBC's host:port as a SIP URI or Via writes it, in the user's family. */
        String sbcHost(TrafficDirectory.User user) {
            return user.ipv6() ? sbcHost6 : sbcHost;
        }
    }

    Scenario(long seq, Context ctx, SplittableRandom rng) {
        this.seq = seq;
        this.ctx = ctx;
        this.rng = rng;
    }

    /** Adds a step; steps are sorted by time (stably) by {@link #seal()}. */
    final void step(long timeMicros, int kind) {
        if (size == times.length) {
            times = Arrays.copyOf(times, size * 2);
            kinds = Arrays.copyOf(kinds, size * 2);
        }
        times[size] = timeMicros;
        kinds[size] = (byte) kind;
        size++;
    }

    /** Sorts the steps by time, keeping the order of equal times (insertion sort: a few dozen steps). */
    final void seal() {
        for (int i = 1; i < size; i++) {
            long t = times[i];
            byte k = kinds[i];
            int j = i - 1;
            while (j >= 0 && times[j] > t) {
                times[j + 1] = times[j];
                kinds[j + 1] = kinds[j];
                j--;
            }
            times[j + 1] = t;
            kinds[j + 1] = k;
        }
    }

    final long nextTime() {
        return times[next];
    }

    final boolean done() {
        return next == size;
    }

    final int stepCount() {
        return size;
    }

    /** Makes the packet of the next step and moves on. */
    final TrafficPacket emit() {
        int i = next++;
        return render(kinds[i], times[i], i == 0);
    }

    abstract TrafficPacket render(int kind, long timeMicros, boolean first);

    // ------------------------------------------------------------------ helpers

    final HepPacket hep(byte[] src, int srcPort, byte[] dst, int dstPort, long timeMicros, int type,
                        String payload, String correlationId) {
        TrafficConfig c = ctx.config;
        HepPacket p = new HepPacket();
        p.version = 3;
        p.ipFamily = src.length == 16 ? HepPacket.AF_INET6 : HepPacket.AF_INET;
        p.ipProtocol = 17;
        p.srcIp = src;
        p.dstIp = dst;
        p.srcPort = srcPort;
        p.dstPort = dstPort;
        p.timeSeconds = timeMicros / 1_000_000L;
        p.timeMicros = timeMicros % 1_000_000L;
        p.protoType = type;
        p.captureId = c.captureId();
        p.nodeName = c.nodeName();
        p.authKey = c.authKey();
        p.correlationId = correlationId;
        p.payload = payload.getBytes(StandardCharsets.UTF_8);
        return p;
    }

    /** {@code n} random lower-case hex digits. */
    final String hex(int n) {
        char[] out = new char[n];
        long bits = 0;
        for (int i = 0; i < n; i++) {
            if ((i & 15) == 0) {
                bits = rng.nextLong();
            }
            out[i] = HEX[(int) (bits & 15)];
            bits >>>= 4;
        }
        return new String(out);
    }

    final String branch() {
        return "z9hG4bK" + hex(12);
    }

    /** Milliseconds in [lo, hi] as microseconds. */
    final long ms(int lo, int hi) {
        return rng.nextInt(lo, hi + 1) * 1000L;
    }

    /** The LOG line (HEP type 100) the SBC writes about a finished scenario, Kamailio style. */
    final TrafficPacket log(long timeMicros, String callId, String text) {
        StringBuilder sb = new StringBuilder(200);
        isoMillis(sb, timeMicros);
        sb.append(" sbc-01 kamailio[2154]: NOTICE: <script>: ").append(text);
        HepPacket p = hep(ctx.sbcIp, ctx.config.sbcPort(), ctx.sbcIp, ctx.config.sbcPort(), timeMicros,
                HepPacket.PROTO_LOG, sb.toString(), callId);
        return new TrafficPacket(p, "LOG", seq, null, null);
    }

    /** Appends {@code 2026-01-01T00:00:00.000Z}. */
    static void isoMillis(StringBuilder sb, long micros) {
        long secs = Math.floorDiv(micros, 1_000_000L);
        java.time.LocalDateTime t = java.time.LocalDateTime.ofEpochSecond(secs, 0, java.time.ZoneOffset.UTC);
        sb.append(t.getYear()).append('-');
        two(sb, t.getMonthValue()).append('-');
        two(sb, t.getDayOfMonth()).append('T');
        two(sb, t.getHour()).append(':');
        two(sb, t.getMinute()).append(':');
        two(sb, t.getSecond()).append('.');
        int millis = (int) (Math.floorMod(micros, 1_000_000L) / 1000);
        if (millis < 100) {
            sb.append('0');
        }
        two(sb, millis).append('Z');
    }

    private static StringBuilder two(StringBuilder sb, int v) {
        return (v < 10 ? sb.append('0') : sb).append(v);
    }
}
