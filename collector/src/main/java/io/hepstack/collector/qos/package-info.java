/**
 * Media quality per call leg: {@link io.hepstack.collector.qos.QosAccumulator} takes RTCP
 * reports and agent QoS reports with their capture times and keeps the aggregates that
 * {@link io.hepstack.collector.qos.LegQuality} hands to the TDR ({@code qos.a_leg.*},
 * {@code qos.b_leg.*}); {@link io.hepstack.collector.qos.EModel} (ITU-T G.107, simplified)
 * computes R and MOS when a report carries none, for the
 * {@link io.hepstack.collector.qos.Codec} taken from the SDP rtpmap;
 * {@link io.hepstack.collector.qos.RoundTripTime} derives the RTT.
 */
package io.hepstack.collector.correlate.qos;
