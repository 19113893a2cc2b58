package io.hepstack.collector.correlate;

import io.hepstack.collector.pipeline.PipelineEvent;
import io.hepstack.enricher.rating.RateQuery;
import io.hepstack.enricher.rating.Rating;

import java.util.function.Function;

/**
 * What the correlator says about a call, on the batch, at the message that caused it: started,
 * answered, ended (in this order per call) and each media report that joined it. {@link #call()}
 * is the call as it was at that moment (not built for media reports, which are frequent). The rate stage prices STARTED and ENDED events
 * ({@link #price}); the fraud stage consumes them with {@link #rating()}.
 */
public final class CallEvent implements PipelineEvent {

    /** What happened. */
    public enum Type {
        /** The first INVITE (or the first message of an INVITE dialog) was seen. */
        STARTED,
        /** The first 2xx to the initial INVITE was seen. */
        ANSWERED,
        /** The call reached a final status (or was evicted from memory). */
        ENDED,
        /** An RTCP or QoS report joined one of the call's media legs. */
        MEDIA_REPORT
    }

    private final Type type;
    private final CallSummary call;
    private final CallRecord record;
    /** The questions for the rate tables as they stood at the event: 0 s at the start, the billable seconds at the end. */
    private final RateQuery startQuery;
    private final RateQuery endQuery;
    private Rating rating;

    CallEvent(Type type, CallSummary call, CallRecord record, RateQuery startQuery, RateQuery endQuery) {
        this.type = type;
        this.call = call;
        this.record = record;
        this.startQuery = startQuery;
        this.endQuery = endQuery;
        this.rating = type == Type.ENDED ? record.rating : record.startRating;
    }

    public Type type() {
        return type;
    }

    /** The call as it was at the event; null for {@link Type#MEDIA_REPORT} (see {@link #callId()}). */
    public CallSummary call() {
        return call;
    }

    /** The Call-ID of the call. */
    public String callId() {
        return record.callId;
    }

    /**
     * The price: for STARTED and ANSWERED the call's rate for 0 s (its per-minute rate), for ENDED the
     * rated call; null when not rated (no rate stage, no callee number, no matching rate).
     */
    public Rating rating() {
        return rating;
    }

    /**
     * Prices the call with {@code rates} (the rate stage's): once at the start (0 s, for the per-minute
     * rate), and at the end the billable seconds; the prices stay on the call for its TDR.
     */
    public void price(Function<RateQuery, Rating> rates) {
        if (startQuery != null && record.startRating == null) {
            record.startRating = rates.apply(startQuery);
        }
        if (type == Type.ENDED) {
            if (endQuery != null) {
                record.endRating(endQuery, rates);
            }
            rating = record.rating;
        } else {
            rating = record.startRating;
        }
    }

    @Override
    public String toString() {
        return type + " " + record.callId;
    }
}
