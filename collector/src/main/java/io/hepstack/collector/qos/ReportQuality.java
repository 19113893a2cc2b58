package io.hepstack.collector.qos;

/**
 * What one report says about one media stream, after {@link QosAccumulator} turned it into plain
 * units. Unknown values are {@code -1} (counts) or {@code NaN}.
 *
 * @param captureMicros   HEP capture time of the report, µs since the epoch
 * @param kind            what kind of report it was
 * @param reporterSsrc    SSRC of the receiver that reported (-1 for agent QoS reports)
 * @param sourceSsrc      SSRC of the stream reported on (-1 when the report did not say)
 * @param expected        packets expected in the interval this report covers (see {@link QosAccumulator})
 * @param lost            packets lost in that interval
 * @param countsEstimated true when {@code expected} is the reporter's own sent-packet count (first
 *                        RTCP report of a stream; see {@link QosAccumulator})
 * @param lossPct         packet loss of the interval, %: RTCP fraction lost × 100/256, XR loss rate,
 *                        or lost/expected of an agent report
 * @param jitterMs        interarrival jitter, ms
 * @param rttMs           round-trip time, ms
 * @param rFactor         R (0..100)
 * @param mos             MOS (1..5)
 * @param qualitySource   where {@code mos} came from ({@code rFactor} is likewise taken from the
 *                        report when it carries one, else computed, independently of the MOS)
 */
public record ReportQuality(long captureMicros, Kind kind, long reporterSsrc, long sourceSsrc, long expected,
                            long lost, boolean countsEstimated, double lossPct, double jitterMs, double rttMs,
                            double rFactor, double mos, QualitySource qualitySource) {

    /** The report a quality came from. */
    public enum Kind {
        /** An RTCP SR/RR report block (binary or JSON), possibly with an XR VoIP Metrics block. */
        RTCP,
        /** An XR VoIP Metrics block without a report block for the same stream. */
        RTCP_XR,
        /** An agent QoS report (HEP 32/34/35). */
        QOS_REPORT
    }

    /** Origin of the MOS. */
    public enum QualitySource {
        /** RFC 3611 VoIP Metrics block: passed through unchanged. */
        XR,
        /** The agent's own MOS/R-factor in a QoS report: passed through unchanged. */
        AGENT,
        /** Computed by the {@link EModel} from loss, jitter, RTT and codec. */
        E_MODEL
    }

    /** Packets received in the interval, or -1. */
    public long received() {
        return expected >= 0 && lost >= 0 ? expected - lost : -1;
    }
}
