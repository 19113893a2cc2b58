package io.hepstack.collector.pipeline;

/**
 * Something a stage learned and later stages consume, carried on the {@link Batch}: the correlator's
 * call events (started, answered, ended, media report) and TDR writes. Stages that do not care
 * about an event type skip it.
 */
public interface PipelineEvent {
}
