package io.hepstack.collector.pipeline;

import java.time.Duration;

/**
 * One step of the pipeline: {@code parse → enrich → correlate → rate → fraud → index}. Each stage is
 * built with its id, its typed config and a {@link StageContext} (metric namespace, logger), and
 * works on {@link Batch}es on the pipeline's worker thread, in order. A stage reads what earlier
 * stages put on the batch (parsed payloads, enrichment, call events) and adds its own; nothing
 * flows backwards.
 *
 * <p>Stateful stages opt in to the capture-clock {@link #tick} (about once a second) and to
 * {@link #flush} at shutdown; both may emit events into the batch they are given, which the later
 * stages then consume like any other. {@link #stop()} releases the stage's own threads or files and
 * {@link #awaitStop} waits for them, after the last batch.
 */
public interface Stage {

    /** Works on one batch: its messages and the events the earlier stages emitted into it. */
    void process(Batch batch);

    /**
     * Called about once a second with "now" on the capture clock (newest capture time seen plus the
     * wall time since), on a batch with no messages that then goes through the later stages.
     */
    default void tick(long nowMicros, Batch batch) {
    }

    /**
     * Called when the pipeline stops, after the last batch: emit what is pending into {@code batch}.
     * Also at the end of a restart's replay of stored messages, before the pipeline starts
     * ({@link Pipeline#endReplay}): a stage's flush must leave it working.
     */
    default void flush(Batch batch) {
    }

    /**
     * The oldest {@link CapturedMessage#writeAheadSegment} of the messages this stage holds to hand
     * on in a later batch ({@link CapturedMessage#NOT_JOURNALED} when it holds none): the write-ahead
     * segment stays on disk until no stage holds a message read from it. Called about once a second.
     */
    default long heldFrom() {
        return CapturedMessage.NOT_JOURNALED;
    }

    /** Begins releasing resources (threads, files); called once, after {@link #flush}. */
    default void stop() {
    }

    /** Waits until {@link #stop()} has finished; false when the timeout passed first. */
    default boolean awaitStop(Duration timeout) throws InterruptedException {
        return true;
    }
}
