package io.hepstack.collector.pipeline;

import java.util.ArrayList;
import java.util.List;

/**
 * What goes through the stages together: the captured messages of one hand-off (none for a tick or
 * the final flush) and the events the stages emit while working on them, in order. Each event
 * remembers the message that caused it ({@link #position(int)} while a stage is at that message), so
 * a later stage can walk messages and events in the order they happened: the events of message
 * {@code i} come before message {@code i} itself ({@link #forEachInOrder}).
 *
 * <p>Not thread-safe: one batch at a time on the pipeline worker.
 */
public final class Batch {

    private final List<CapturedMessage> messages;
    private final List<PipelineEvent> events = new ArrayList<>();
    private int[] positions = new int[16];
    private int position = -1;
    private long tickMicros = -1;

    public Batch(List<CapturedMessage> messages) {
        this.messages = messages;
    }

    /** A batch with no messages yet, for a tick or a flush (a stage that holds messages may release some into it). */
    public static Batch empty() {
        return new Batch(new ArrayList<>());
    }

    public List<CapturedMessage> messages() {
        return messages;
    }

    public List<PipelineEvent> events() {
        return events;
    }

    /** Events from now on are caused by message {@code index}; {@link #endOfMessages()} after the last one. */
    public void position(int index) {
        this.position = index;
    }

    /** Events from now on belong after every message (end of batch, ticks, flush). */
    public void endOfMessages() {
        this.position = -1;
    }

    public void emit(PipelineEvent event) {
        int n = events.size();
        if (n == positions.length) {
            positions = java.util.Arrays.copyOf(positions, n * 2);
        }
        positions[n] = position < 0 ? messages.size() : position;
        events.add(event);
    }

    /** The message that caused event {@code i} ({@code messages().size()} for none). */
    public int positionOf(int eventIndex) {
        return positions[eventIndex];
    }

    /** The capture-clock time of the tick this batch carries, or -1 (messages, flush). */
    public long tickMicros() {
        return tickMicros;
    }

    void tickMicros(long micros) {
        this.tickMicros = micros;
    }

    /** Visits messages and events in the order they happened (a message's events before it). */
    public void forEachInOrder(Visitor visitor) {
        int e = 0;
        int n = events.size();
        for (int i = 0; i < messages.size(); i++) {
            while (e < n && positions[e] <= i) {
                int cause = positions[e];
                visitor.event(events.get(e++), messages.get(cause));
            }
            visitor.message(messages.get(i));
        }
        while (e < n) {
            visitor.event(events.get(e++), null);
        }
    }

    /** What {@link #forEachInOrder} calls. */
    public interface Visitor {
        void message(CapturedMessage m);

        void event(PipelineEvent e);

        /** An event with the message that caused it ({@code null} for a tick's or a flush's). */
        default void event(PipelineEvent e, CapturedMessage cause) {
            event(e);
        }
    }

    /** Resets for reuse with the same message list after it was refilled (the worker's batch). */
    void clear() {
        events.clear();
        position = -1;
        tickMicros = -1;
    }
}
