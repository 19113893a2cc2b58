package io.hepstack.collector.reorder;

import com.codahale.metrics.Meter;
import io.hepstack.collector.pipeline.Batch;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.Stage;
import io.hepstack.collector.pipeline.StageContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Hands the later stages their messages in capture-time order. Each message is held until the
 * capture clock (the newest believable capture time seen, moved on by ticks) is {@code window} past
 * its own capture time; then it goes, in order of capture time, ties by message id (a hash of its
 * content, so the order does not depend on arrival either). A message that is at most
 * {@code window} late therefore takes its place among the others, whatever order the capture
 * agents, the network or a reconnecting agent's backlog delivered them in.
 *
 * <p>What cannot be put in its place is still let through, never dropped, and counted:
 * <ul>
 * <li>{@code reorder.late}: it arrived when the clock was already more than the window past its
 *     capture time, so messages captured after it may have gone on before it;
 *     the correlator's own rules still join it (docs/tdr.md, "Arrival order");</li>
 * <li>{@code reorder.future}: its capture time is more than {@code maxClockLead} ahead of the wall
 *     clock; it goes on at once and does not move the clock (a hostile time cannot hold the others
 *     back, nor release them early for longer than the lead);</li>
 * <li>{@code reorder.untimed}: it has no capture time; it goes on at once;</li>
 * <li>{@code reorder.overflow}: more than {@code maxMessages} or {@code maxBytes} were held, so the
 *     earliest went before their time.</li>
 * </ul>
 * {@code reorder.out_of_order} counts messages that arrived after one captured later (what the
 * stage repaired or could not), {@code reorder.held} and {@code reorder.held_bytes} what it holds.
 *
 * <p>It sits after the identify stage (the message's protocol, index and id) and before parse,
 * enrich (which emit no events) and correlate, so that it holds raw packets, kept as bytes
 * ({@link HeldMessages}): what leaves it is a new message object carrying what the stages before
 * it set. It replaces the batch's messages: a batch carries on with the messages released, a tick's or the flush's batch
 * with those whose time came. The flush lets everything go. Live, every message is delayed by about
 * the window (plus up to a tick when traffic pauses). Not thread-safe: the pipeline worker owns it.
 */
public final class ReorderStage implements Stage {

    private final long window;
    private final long lead;
    private final int maxMessages;
    private final long maxBytes;
    private final LongSupplier wallMicros;

    private final HeldMessages held = new HeldMessages();
    private long clock = Long.MIN_VALUE;
    private long newestArrived = Long.MIN_VALUE;
    private long seq;

    private final Meter late;
    private final Meter future;
    private final Meter untimed;
    private final Meter overflow;
    private final Meter outOfOrder;
    private volatile int heldGauge;
    private volatile long heldBytesGauge;

    /**
     * @param context the stage's id ("reorder"), metrics and logger
     * @param config  window and bounds (validated here)
     */
    public ReorderStage(StageContext context, ReorderConfig config) {
        this(context, config, () -> System.currentTimeMillis() * 1000);
    }

    /** As above, with the wall clock given (tests). */
    public ReorderStage(StageContext context, ReorderConfig config, LongSupplier wallMicros) {
        Objects.requireNonNull(config, "config");
        List<String> problems = config.validate();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("reorder config: " + String.join("; ", problems));
        }
        this.window = config.window.toMicroseconds();
        this.lead = config.maxClockLead.toMicroseconds();
        this.maxMessages = config.maxMessages;
        this.maxBytes = config.maxBytes;
        this.wallMicros = Objects.requireNonNull(wallMicros, "wallMicros");
        this.late = context.meter("late");
        this.future = context.meter("future");
        this.untimed = context.meter("untimed");
        this.overflow = context.meter("overflow");
        this.outOfOrder = context.meter("out_of_order");
        context.gauge("held", () -> heldGauge);
        context.gauge("held_bytes", () -> heldBytesGauge);
    }

    @Override
    public void process(Batch batch) {
        List<CapturedMessage> messages = batch.messages();
        if (messages.isEmpty()) {
            return;
        }
        long limit = wallMicros.getAsLong() + lead;
        long gone = clock == Long.MIN_VALUE ? Long.MIN_VALUE : clock - window; // what was due before this batch went on
        List<CapturedMessage> out = new ArrayList<>(messages.size());
        List<CapturedMessage> unbelievable = null;
        for (CapturedMessage m : messages) {
            long t = m.stateMicros(); // the capture clock's time: a claimed time far off cannot hold the window
            if (t <= 0 || t > limit) {
                (t <= 0 ? untimed : future).mark();
                if (unbelievable == null) {
                    unbelievable = new ArrayList<>(1);
                }
                unbelievable.add(m);
                continue;
            }
            if (t < gone) {
                late.mark(); // its place is gone: messages captured up to a window after it may have gone on
            }
            if (t < newestArrived) {
                outOfOrder.mark();
            } else {
                newestArrived = t;
            }
            hold(m, t);
            if (t > clock) {
                clock = t;
            }
        }
        releaseDue(out);
        releaseOverflow(out);
        if (unbelievable != null) {
            out.addAll(unbelievable);
        }
        replace(messages, out);
        publish();
    }

    /** Moves the clock to {@code nowMicros} (never past the wall clock plus the lead) and lets go what is due. */
    @Override
    public void tick(long nowMicros, Batch batch) {
        long now = Math.min(nowMicros, wallMicros.getAsLong() + lead);
        if (now > clock) {
            clock = now;
        }
        List<CapturedMessage> out = new ArrayList<>();
        releaseDue(out);
        batch.messages().addAll(out);
        publish();
    }

    /** Lets everything go, in capture order. */
    @Override
    public void flush(Batch batch) {
        List<CapturedMessage> out = new ArrayList<>(held.size());
        while (held.size() > 0) {
            out.add(release());
        }
        batch.messages().addAll(out);
        publish();
    }

    /** Scans what is held: called about once a second, not per message. */
    @Override
    public long heldFrom() {
        return held.oldestSegment();
    }

    /** Messages held now. */
    public int held() {
        return held.size();
    }

    private void hold(CapturedMessage m, long t) {
        held.add(m, t, seq++);
    }

    private void releaseDue(List<CapturedMessage> out) {
        if (clock == Long.MIN_VALUE) {
            return;
        }
        long due = clock - window;
        while (held.size() > 0 && held.firstMicros() <= due) {
            out.add(release());
        }
    }

    private void releaseOverflow(List<CapturedMessage> out) {
        while (held.size() > 0 && (held.size() > maxMessages || held.bytes() > maxBytes)) {
            overflow.mark();
            out.add(release());
        }
    }

    private CapturedMessage release() {
        return held.poll();
    }

    private static void replace(List<CapturedMessage> messages, List<CapturedMessage> out) {
        messages.clear();
        messages.addAll(out);
    }

    private void publish() {
        heldGauge = held.size();
        heldBytesGauge = held.bytes();
    }
}
