/**
 * Call correlation: {@link io.hepstack.collector.correlate.CorrelateStage} groups captured messages
 * into calls (INVITE dialogs) and non-INVITE transactions, links B2BUA legs, joins RTCP, QoS
 * reports and logs to their calls, measures media quality per leg (package {@code qos}), and keeps
 * one Transaction Detail Record per call or transaction. It emits onto the batch the
 * {@link io.hepstack.collector.correlate.CallEvent}s that the rate and fraud stages consume and the
 * {@link io.hepstack.collector.correlate.TdrWrite}s the index stage upserts into
 * {@code hep-tdr-YYYY.MM.DD} ({@link io.hepstack.collector.correlate.TdrDocumentWriter}). The parts:
 * {@code CallTable} (live records, expiry), {@code SipDialogs} (SIP dialogs and transactions),
 * {@code MediaAttachment} (RTCP, QoS reports, logs), {@code OrphanBuffer} (messages that name a
 * call not seen yet), {@code WriteScheduler} (when a TDR write and a call event go onto the batch).
 * The rules are documented in docs/tdr.md.
 */
package io.hepstack.collector.correlate;
