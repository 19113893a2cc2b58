package io.hepstack.collector.protocol.rtcp;

/**
 * A media quality report an agent computed itself and sent as JSON in HEP type 32 (QoS report),
 * 34 (MOS/RTP full report) or 35 (MOS/RTP short report). Read by
 * {@link RtcpJsonParser#parseQosReport(byte[], int)}; the field mapping is documented there.
 *
 * <p>Absent values: {@code NaN} (doubles), {@code -1} (counts, ports, codes), {@code null} (text).
 * MOS values outside 1..5 and R-factors outside 0..100 are treated as absent.
 *
 * @param hepType        the HEP protocol type the report came in (32, 34, 35, ...)
 * @param correlationId  {@code CORRELATION_ID}: usually the SIP Call-ID of the leg
 * @param callId         {@code RTP_SIP_CALL_ID}: the SIP Call-ID the agent matched the stream to
 * @param type           {@code TYPE}: {@code PERIODIC}, {@code HANGUP}, {@code FINAL}, or an agent's
 *                       event name
 * @param reportName     {@code REPORT_NAME}: free text naming the stream (often "ip:port")
 * @param reportTs       {@code REPORT_TS} as sent (seconds since the epoch for rtpagent-style agents,
 *                       microseconds for hepipe-esl); not interpreted
 * @param mos            {@code MOS} (1..5)
 * @param mosMin         {@code MIN_MOS}
 * @param mosMean        {@code MEAN_MOS}
 * @param rFactor        {@code RFACTOR} (0..100)
 * @param rFactorMin     {@code MIN_RFACTOR}
 * @param rFactorMean    {@code MEAN_RFACTOR}
 * @param jitterMs       {@code JITTER}, ms
 * @param jitterMaxMs    {@code MAX_JITTER}, ms
 * @param jitterMeanMs   {@code MEAN_JITTER}, ms
 * @param packets        {@code TOTAL_PK} (or {@code TOTAL_PACKETS} in a FINAL report): packets received
 * @param expected       {@code EXPECTED_PK} (or {@code TOTAL_EXPECTED_PK}): packets expected
 * @param lost           {@code PACKET_LOSS} (or {@code TOTAL_PACKET_LOSS}, {@code CUM_PACKET_LOSS})
 * @param ssrc           {@code SSRC} (decimal or "0x..." hex text accepted)
 * @param srcIp          {@code SRC_IP} of the RTP stream
 * @param srcPort        {@code SRC_PORT}
 * @param dstIp          {@code DST_IP}
 * @param dstPort        {@code DST_PORT}
 * @param codecPt        {@code CODEC_PT}: RTP payload type
 * @param codecName      {@code CODEC_NAME}
 * @param clockRate      {@code CLOCK} (or {@code CODEC_RATE}), Hz
 * @param direction      {@code DIR}
 * @param party          {@code PARTY}
 * @param lossPct        packet loss in %, for reports that give a rate rather than counts (RTCP-XR in
 *                       SIP PUBLISH, RFC 6035 {@code NLR}); NaN otherwise
 * @param rttMs          round-trip delay in ms when the report has one (RFC 6035 {@code RTD}); NaN otherwise
 */
public record QosReport(int hepType, String correlationId, String callId, String type, String reportName,
                        double reportTs, double mos, double mosMin, double mosMean, double rFactor,
                        double rFactorMin, double rFactorMean, double jitterMs, double jitterMaxMs,
                        double jitterMeanMs, long packets, long expected, long lost, long ssrc, String srcIp,
                        int srcPort, String dstIp, int dstPort, int codecPt, String codecName, int clockRate,
                        int direction, int party, double lossPct, double rttMs) {

    /** True for a {@code FINAL} report: its counts cover the whole stream, not one interval. */
    public boolean cumulative() {
        return "FINAL".equalsIgnoreCase(type);
    }

    /** Packets expected: {@link #expected}, else received + lost, else -1. */
    public long expectedOrDerived() {
        if (expected >= 0) {
            return expected;
        }
        return packets >= 0 && lost >= 0 ? packets + lost : -1;
    }
}
