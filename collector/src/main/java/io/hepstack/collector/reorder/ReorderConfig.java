package io.hepstack.collector.reorder;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import io.hepstack.enricher.ConfigValidation;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code correlation.reorder:} section: how long (capture time) the {@link ReorderStage} holds
 * messages so the correlator sees each call's messages in capture order, and how much it may hold.
 * A window of 0 turns the stage off (messages reach the correlator in arrival order).
 */
public class ReorderConfig {

    /**
     * How far behind the newest capture time a message may arrive and still be put in its place:
     * messages wait until the capture clock is this far past their own capture time. It is also
     * the delay every message (and so every document and TDR write) gets.
     */
    @JsonProperty
    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.MICROSECONDS, message = "must be a duration >= 0")
    public Duration window = Duration.seconds(2);

    /** Messages held at most; beyond it the earliest are let go before their time (counted). */
    @JsonProperty
    @Min(value = 1, message = "must be positive")
    public int maxMessages = 100_000;

    /** Payload bytes held at most; beyond it the earliest are let go before their time (counted). */
    @JsonProperty
    @Min(value = 1, message = "must be positive")
    public long maxBytes = 64L << 20;

    /**
     * A capture time further ahead of the wall clock than this is not believed: the message goes on
     * at once (counted) and does not move the capture clock, so it cannot hold back or flush out the rest.
     */
    @JsonProperty
    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.MICROSECONDS, message = "must be a duration >= 0")
    public Duration maxClockLead = Duration.seconds(10);

    /** Whether the stage is wanted at all. */
    public boolean enabled() {
        return window.toMicroseconds() > 0;
    }

    /** What is wrong with these settings, as "path message" lines; empty when fine. */
    public List<String> validate() {
        return ConfigValidation.problems(this, "");
    }
}
