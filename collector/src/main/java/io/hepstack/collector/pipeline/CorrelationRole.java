package io.hepstack.collector.pipeline;

/** How the correlator places a protocol's messages into calls. */
public enum CorrelationRole {
    /** SIP: dialogs and transactions by Call-ID (the correlator's fast path). */
    SIGNALLING,
    /** A media quality report (RTCP, an agent's QoS report, RTCP-XR in SIP PUBLISH): joins a call's media leg. */
    MEDIA_REPORT,
    /** Joins the call its HEP correlation id names (logs, JSON events), counted as a log. */
    LOG,
    /** Not part of any call (DNS, ...). */
    NONE
}
