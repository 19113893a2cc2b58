/**
 * RTCP and media quality reports as capture agents deliver them: binary compound RTCP (RFC 3550,
 * RTCP XR RFC 3611) via {@link io.hepstack.collector.protocol.rtcp.RtcpBinaryParser}, the JSON form of
 * HEP type 5 and the agent QoS reports of HEP types 32/34/35 via
 * {@link io.hepstack.collector.protocol.rtcp.RtcpJsonParser}, and a dispatcher for type-5 payloads
 * ({@link io.hepstack.collector.protocol.rtcp.RtcpPayloadParser}). Every parser throws only
 * {@link io.hepstack.collector.protocol.rtcp.RtcpParseException} on bad input. The quality maths
 * (loss, jitter in ms, RTT, E-model) is in {@code io.hepstack.collector.correlate.qos}.
 */
package io.hepstack.collector.protocol.rtcp;
