package io.hepstack.collector.correlate;

import io.hepstack.enricher.IpInfo;
import io.hepstack.enricher.number.NumberInfo;

/**
 * A call as the TDR shows it at the moment of a {@link CallEvent}. Absent values are
 * null (objects) or -1 (times, durations).
 *
 * @param callId          SIP Call-ID
 * @param status          TDR status now
 * @param startMicros     capture time of the INVITE (else of the first message), µs since the epoch
 * @param answerMicros    first 2xx, or -1
 * @param endMicros       end (BYE, final response, timeout), or -1 while live
 * @param durationSeconds billable seconds (answer → end, truncated), or -1
 * @param callerUser      From user
 * @param callerDomain    From host
 * @param callerUserAgent User-Agent of the INVITE
 * @param sourceIp        address the INVITE came from (caller side)
 * @param source          enrichment of {@code sourceIp} (blacklists, geo), or null
 * @param calleeUser      Request-URI user (else To user)
 * @param callee          e.164 analysis of the callee (Request-URI, else To), or null
 * @param node            capture node name (else capture id) of the first capture point, or null
 */
public record CallSummary(String callId, TdrStatus status, long startMicros, long answerMicros, long endMicros,
                          long durationSeconds, String callerUser, String callerDomain, String callerUserAgent,
                          String sourceIp, IpInfo source, String calleeUser, NumberInfo callee, String node) {

    public boolean answered() {
        return answerMicros >= 0;
    }
}
