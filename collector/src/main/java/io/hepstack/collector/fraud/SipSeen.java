package io.hepstack.collector.fraud;

/**
 * One SIP message, summarised for the per-source scanner and flood checks. Send requests and
 * responses alike.
 *
 * <p><b>Attribution:</b> {@code sourceIp} is the party the checks are about, i.e. whoever sent the
 * request. For a request that is its source IP; for a response it is the response's
 * <em>destination</em> IP (the response goes back to the requester). So a 404 sent by a proxy to a
 * scanner counts against the scanner's address, not the proxy's.
 *
 * @param timeMicros capture time, microseconds since the epoch
 * @param method     request method (REGISTER, INVITE, ...) or null for a response
 * @param statusCode response status code, or 0 for a request
 * @param userAgent  User-Agent header (requests) or null
 */
public record SipSeen(long timeMicros, String sourceIp, String method, int statusCode, String userAgent,
                      String fromUser, String toUser, String callId) {

    public SipSeen {
        if (timeMicros < 0) {
            throw new IllegalArgumentException("timeMicros must be >= 0: " + timeMicros);
        }
        if (method == null && (statusCode < 100 || statusCode > 699)) {
            throw new IllegalArgumentException("a response needs a status code 100..699: " + statusCode);
        }
    }

    public boolean isRequest() {
        return method != null;
    }

    public static SipSeen request(long timeMicros, String sourceIp, String method, String userAgent,
                                  String fromUser, String toUser, String callId) {
        return new SipSeen(timeMicros, sourceIp, method, 0, userAgent, fromUser, toUser, callId);
    }

    /** A response; {@code requesterIp} is the response's destination address. */
    public static SipSeen response(long timeMicros, String requesterIp, int statusCode, String callId) {
        return new SipSeen(timeMicros, requesterIp, null, statusCode, null, null, null, callId);
    }
}
