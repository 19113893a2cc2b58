package io.hepstack.collector.protocol.rtcp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One RTCP report: everything read from one compound RTCP packet (RFC 3550 §6.1), or from the JSON
 * summary of one that a capture agent sent as HEP type 5.
 *
 * <p>SSRCs, timestamps and counters are unsigned 32-bit values held in {@code long}s. Absent
 * single values are {@code null} (objects) or {@code -1} ({@link #senderSsrc}); absent lists are
 * empty.
 *
 * @param format       where the report came from
 * @param senderSsrc   SSRC of the first packet of the compound that names its sender (SR, RR, XR,
 *                     APP, feedback; else the first SDES chunk or BYE source); JSON: {@code "ssrc"};
 *                     -1 when none
 * @param packetTypes  RTCP packet types in wire order (200 SR, 201 RR, 202 SDES, 203 BYE, 204 APP,
 *                     205 RTPFB, 206 PSFB, 207 XR, ...). JSON: the single {@code "type"} the agent sent
 *                     (heplify sends the type of the <em>last</em> packet of the compound), or empty
 * @param senderInfo   sender information of the SR, or {@code null} when the report has no SR (JSON:
 *                     when {@code sender_information} is absent or all zero, as heplify sends it for RR)
 * @param reportBlocks reception report blocks of every SR and RR, in wire order
 * @param cname        the first SDES CNAME item, or {@code null}
 * @param bye          the BYE packet, or {@code null}
 * @param apps         APP packets
 * @param xrBlocks     RTCP XR report blocks (RFC 3611), in wire order
 */
public record RtcpReport(Format format, long senderSsrc, List<Integer> packetTypes, SenderInfo senderInfo,
                         List<ReportBlock> reportBlocks, String cname, Bye bye, List<App> apps,
                         List<XrBlock> xrBlocks) {

    /** RTCP packet types (RFC 3550 §12.1, RFC 4585, RFC 3611). */
    public static final int PT_SR = 200;
    public static final int PT_RR = 201;
    public static final int PT_SDES = 202;
    public static final int PT_BYE = 203;
    public static final int PT_APP = 204;
    public static final int PT_RTPFB = 205;
    public static final int PT_PSFB = 206;
    public static final int PT_XR = 207;

    /** How the report reached us. */
    public enum Format {
        /** RTCP bytes as sent on the wire. */
        BINARY,
        /** The JSON summary heplify, captagent, rtpengine, Asterisk or FreeSWITCH send as HEP type 5. */
        JSON
    }

    public RtcpReport {
        Objects.requireNonNull(format, "format");
        packetTypes = List.copyOf(packetTypes);
        reportBlocks = List.copyOf(reportBlocks);
        apps = List.copyOf(apps);
        xrBlocks = List.copyOf(xrBlocks);
    }

    /** True when the report contains an SR (sender information). */
    public boolean hasSenderInfo() {
        return senderInfo != null;
    }

    /** The RFC 3611 VoIP Metrics blocks among {@link #xrBlocks}. */
    public List<XrBlock.VoipMetrics> voipMetrics() {
        List<XrBlock.VoipMetrics> out = new ArrayList<>(1);
        for (XrBlock b : xrBlocks) {
            if (b instanceof XrBlock.VoipMetrics vm) {
                out.add(vm);
            }
        }
        return out;
    }

    /**
     * Sender information of an SR (RFC 3550 §6.4.1).
     *
     * @param ntpSeconds   NTP timestamp, most significant word: seconds since 1900-01-01 (JSON:
     *                     {@code ntp_timestamp_sec} as sent; Asterisk sends Unix seconds there)
     * @param ntpFraction  NTP timestamp, least significant word: fraction of a second in 1/2^32 s
     *                     (JSON: {@code ntp_timestamp_usec} as sent; heplify/captagent/rtpengine send the
     *                     NTP fraction despite the name, Asterisk sends microseconds)
     * @param rtpTimestamp RTP timestamp matching the NTP time, in RTP clock units
     * @param packetCount  RTP data packets the sender sent since it started
     * @param octetCount   RTP payload octets the sender sent since it started
     */
    public record SenderInfo(long ntpSeconds, long ntpFraction, long rtpTimestamp, long packetCount,
                             long octetCount) {

        /**
         * The middle 32 bits of the NTP timestamp, the form in which a receiver echoes it as LSR
         * (RFC 3550 §6.4.1): low 16 bits of the seconds, high 16 bits of the fraction.
         */
        public long ntpMiddle32() {
            return ((ntpSeconds & 0xffffL) << 16) | ((ntpFraction >>> 16) & 0xffffL);
        }
    }

    /**
     * One reception report block of an SR or RR (RFC 3550 §6.4.1).
     *
     * @param reporterSsrc   SSRC of the SR/RR that carries the block (the receiver that reports)
     * @param sourceSsrc     SSRC of the stream the block reports on
     * @param fractionLost   packets lost since the previous report divided by packets expected, as
     *                       a fixed-point fraction in 1/256 (0..255)
     * @param cumulativeLost packets lost since reception began: expected minus received, a signed
     *                       24-bit value (-8388608..8388607; negative when duplicates arrived)
     * @param extHighestSeq  extended highest sequence number received: cycles in the high 16 bits,
     *                       highest sequence number in the low 16 bits
     * @param jitter         interarrival jitter estimate, in RTP timestamp units (divide by the clock
     *                       rate of the payload format for seconds)
     * @param lsr            middle 32 bits of the NTP timestamp of the last SR received from the
     *                       source, 0 when none yet
     * @param dlsr           delay between receiving that SR and sending this block, in 1/65536 s
     */
    public record ReportBlock(long reporterSsrc, long sourceSsrc, int fractionLost, int cumulativeLost,
                              long extHighestSeq, long jitter, long lsr, long dlsr) {

        /** {@link #fractionLost} as a percentage (0..99.6). */
        public double fractionLostPct() {
            return fractionLost * 100.0 / 256.0;
        }

        /** Highest sequence number received (low 16 bits of {@link #extHighestSeq}). */
        public int highestSeq() {
            return (int) (extHighestSeq & 0xffff);
        }

        /** Sequence number cycles (high 16 bits of {@link #extHighestSeq}). */
        public int seqCycles() {
            return (int) (extHighestSeq >>> 16);
        }
    }

    /**
     * A BYE packet (RFC 3550 §6.6).
     *
     * @param ssrcs  the sources that leave
     * @param reason the optional reason for leaving, or {@code null}
     */
    public record Bye(List<Long> ssrcs, String reason) {
        public Bye {
            ssrcs = List.copyOf(ssrcs);
        }
    }

    /**
     * An APP packet (RFC 3550 §6.7); its data is not kept.
     *
     * @param ssrc       SSRC/CSRC of the sender
     * @param subtype    the 5-bit subtype
     * @param name       the 4-character ASCII name
     * @param dataLength bytes of application-dependent data
     */
    public record App(long ssrc, int subtype, String name, int dataLength) {
    }
}
