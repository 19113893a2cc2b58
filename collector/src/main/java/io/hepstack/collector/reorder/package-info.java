/**
 * Puts messages back in capture order before correlation: {@link io.hepstack.collector.reorder.ReorderStage}
 * holds each message until the capture clock is a window past its capture time and lets them go
 * ordered by capture time, so several capture agents, UDP reordering or a reconnecting agent's
 * backlog do not change the calls the correlator builds. See docs/pipeline.md, "Arrival order".
 */
package io.hepstack.collector.reorder;
