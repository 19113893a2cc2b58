/**
 * Call correlation: {@link io.hepstack.collector.correlate.CorrelateStage} groups captured messages
 * into calls (INVITE dialogs) and non-INVITE transactions, links B2BUA legs, joins RTCP, QoS
 * reports and logs to their calls, measures media quality per leg (subpackage {@code qos}), and
 * keeps one Transaction Detail Record per call or transaction upserted into
 * {@code hep-tdr-YYYY.MM.DD} ({@link io.hepstack.collector.correlate.TdrDocumentWriter}).
 * {@link io.hepstack.collector.correlate.CallListener} and
 * {@link io.hepstack.collector.correlate.FraudBridge} pass calls on to the fraud engine. The rules
 * are documented in docs/tdr.md.
 */
package io.hepstack.collector.correlate;
