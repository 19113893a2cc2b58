package io.hepstack.collector.qos;

/**
 * Round-trip time from an RTCP report block, two ways.
 *
 * <p><b>Seen SR</b> ({@link #fromCaptureTimes}): when the same capture point saw the SR that the
 * block's LSR echoes, RTT = capture(RR) − capture(SR) − DLSR. One clock (the capture point's), the
 * method rtpengine and Wireshark use; it measures the round trip from the capture point onwards, so
 * it is exact for an agent on the SR sender and a lower bound elsewhere.
 *
 * <p><b>RFC 3550 §6.4.1</b> ({@link #fromReportBlock}), when the SR was not seen:
 *
 * <pre>
 *   RTT = A − LSR − DLSR        all in 1/65536 s, modulo 2^32
 * </pre>
 * where A is the time the report arrived at the sender of the SR it echoes, in "NTP middle 32 bits"
 * form (low 16 bits of the NTP seconds, high 16 bits of the fraction), LSR the middle 32 bits of that
 * SR's NTP timestamp and DLSR the receiver's delay between getting the SR and sending the block.
 *
 * <p>Here A is the HEP capture time of the report. That is exact when the capture agent runs on the
 * SR sender (rtpengine, an SBC) and close when it captures next to it, but only if the capture clock
 * and the SR sender's NTP clock agree: RFC 3550 computes RTT on one clock, we use two. Results that
 * are negative or above 10 s (as rtpengine also discards) and reports with LSR = 0 (no SR received
 * yet) give "unknown" ({@code NaN}).
 */
public final class RoundTripTime {

    /** Seconds from the NTP epoch (1900-01-01) to the Unix epoch (1970-01-01). */
    public static final long NTP_UNIX_OFFSET_SECONDS = 2_208_988_800L;
    /** Largest RTT believed, ms. */
    public static final double MAX_RTT_MS = 10_000.0;

    private RoundTripTime() {
    }

    /** A Unix time in microseconds as the middle 32 bits of the NTP timestamp. */
    public static long ntpMiddle32(long unixMicros) {
        long seconds = Math.floorDiv(unixMicros, 1_000_000L);
        long micros = Math.floorMod(unixMicros, 1_000_000L);
        long ntpSeconds = seconds + NTP_UNIX_OFFSET_SECONDS;
        long fraction16 = micros * 65_536L / 1_000_000L;
        return ((ntpSeconds & 0xffffL) << 16) | fraction16;
    }

    /**
     * RTT in ms from the capture times of an SR and of the report block that echoes it, or NaN when
     * negative (clock resolution on a LAN) or above {@link #MAX_RTT_MS}.
     *
     * @param dlsr delay since last SR of the block, 1/65536 s
     */
    public static double fromCaptureTimes(long srCaptureMicros, long dlsr, long rrCaptureMicros) {
        double ms = (rrCaptureMicros - srCaptureMicros) / 1000.0 - dlsr * 1000.0 / 65_536.0;
        return ms >= 0 && ms <= MAX_RTT_MS ? ms : Double.NaN;
    }

    /**
     * RTT in ms of a report block with {@code lsr}/{@code dlsr} that arrived at {@code arrivalUnixMicros}
     * (RFC 3550 A − LSR − DLSR), or NaN when unknown or implausible.
     */
    public static double fromReportBlock(long lsr, long dlsr, long arrivalUnixMicros) {
        if (lsr == 0 || arrivalUnixMicros <= 0) {
            return Double.NaN;
        }
        long units = (ntpMiddle32(arrivalUnixMicros) - lsr - dlsr) & 0xffff_ffffL;
        int signed = (int) units; // a small negative difference means clocks disagree
        double ms = signed * 1000.0 / 65_536.0;
        return ms >= 0 && ms <= MAX_RTT_MS ? ms : Double.NaN;
    }
}
