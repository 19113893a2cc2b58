package io.hepstack.collector.api.callview;

/**
 * One stored message as the ladder needs it (no Elasticsearch types, so {@link LadderLayout} is
 * tested with plain values).
 *
 * @param id          the message document's id
 * @param index       the index it is stored in
 * @param micros      capture time, µs since the epoch
 * @param rank        the correlator's order for equal times ({@code tdr.messages.ids}); MAX_VALUE when unknown
 * @param kind        sip, rtcp, qos, log or other
 * @param callId      the Call-ID (SIP) or correlated call (others)
 * @param capturePoint the capture agent ({@code capture_id/node}); copies come from different ones
 * @param fingerprint the message's content (raw SIP text, or its identifying fields); equal for a
 *                    retransmission and a copy; null: never a duplicate
 * @param method      request method; for a response the CSeq method
 * @param code        response code, 0 for a request
 * @param reason      response reason phrase
 * @param sdp         carries SDP
 * @param summary     a one-line label for non-SIP rows (RTCP report, log line)
 * @param mos         MOS of a media report, NaN when none (also {@code jitterMs}, {@code lossPct})
 */
public record LadderMessage(String id, String index, long micros, int rank, String kind, String srcIp, int srcPort,
                            String dstIp, int dstPort, String node, String callId, String capturePoint,
                            String fingerprint, String method, int code, String reason, boolean sdp, String summary,
                            double mos, double jitterMs, double lossPct) {
}
