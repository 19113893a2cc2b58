package io.hepstack.collector.fraud;

import io.hepstack.collector.pipeline.PipelineEvent;

/** A fraud alert (new, or a later version of one) on the batch, for the index stage to store. */
public record AlertEvent(Alert alert) implements PipelineEvent {
}
