package io.hepstack.collector.correlate;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.hepstack.collector.pipeline.HeapBudget;
import io.dropwizard.validation.MinDuration;
import io.hepstack.enricher.ConfigValidation;
import io.hepstack.collector.reorder.ReorderConfig;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code correlation:} section of the collector's YAML: how SIP, RTCP, QoS reports and logs
 * are grouped into calls and transactions, and how long their state lives. Every setting has a
 * default that works; {@link #validate()} lists what is wrong (bad values named).
 *
 * <p>Timers run on the capture clock (the newest capture time seen, advanced by the pipeline's
 * ticks), measured from the last message of a record; see docs/tdr.md.
 */
public class CorrelationConfig {

    /**
     * A live call at its largest (every text it keeps cut at 256 characters, 256 message ids, 64
     * media keys, full small sets), in bytes: the heap-derived default of {@link #maxCalls} divides
     * by it (docs/limits.md; bench/SoakBench measures it).
     */
    static final long WORST_CALL_BYTES = 12_288;
    /** The same for a non-INVITE transaction (a REGISTER of a brute-force run). */
    static final long WORST_TRANSACTION_BYTES = 8_192;

    /** Off: messages pass through untouched and no TDR is written. */
    @JsonProperty
    public boolean enabled = true;

    /**
     * Headers that link the legs of a B2BUA. {@code Name} means the value is the other leg's
     * Call-ID; {@code Name;param} means both legs carry the same token in that header parameter
     * (e.g. {@code P-Charging-Vector;icid-value}).
     */
    @JsonProperty
    @NotNull
    public List<@NotBlank @Pattern(regexp = "[^;](.*[^;])?", message = "is not a header name or Name;param") String> linkHeaders = new ArrayList<>(List.of("X-CID", "X-Call-ID", "X-Correlation-ID",
            "P-Charging-Vector;icid-value"));

    /** Suffixes agents append to a Call-ID in the HEP correlation id (heplify's B2BUA "_b2b-1"). */
    /** Link B2BUA legs whose INVITEs carry the same RFC 7989 Session-ID (the nil UUID never links). */
    @JsonProperty
    public boolean linkSessionId = true;

    @JsonProperty
    @NotNull
    public List<@NotEmpty(message = "must not be empty") String> correlationSuffixes = new ArrayList<>(List.of("_b2b-1"));

    /** Live calls kept in memory; beyond it the least recently active call is evicted (counted). */
    @JsonProperty
    @Min(value = 1, message = "must be positive")
    public int maxCalls = HeapBudget.entries(0.20, WORST_CALL_BYTES, 1_000, 200_000);

    /** Live non-INVITE transactions kept in memory; beyond it the least recently active is evicted. */
    @JsonProperty
    @Min(value = 1, message = "must be positive")
    public int maxTransactions = HeapBudget.entries(0.08, WORST_TRANSACTION_BYTES, 1_000, 200_000);

    /** A call with no final response and no message for this long ends as HARD_FAILURE (timeout). */
    @JsonProperty
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MICROSECONDS, message = "must be a positive duration")
    public Duration setupTimeout = Duration.seconds(120);

    /** An answered call with no BYE and no message for this long ends as FINISHED (timeout). */
    @JsonProperty
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MICROSECONDS, message = "must be a positive duration")
    public Duration answeredTimeout = Duration.hours(4);

    /** An ended call stays in memory this long for late messages (ACK, 200 to BYE, RTCP, logs). */
    @JsonProperty
    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.MICROSECONDS, message = "must be a duration >= 0")
    public Duration endedLinger = Duration.seconds(10);

    /** A non-INVITE transaction with no final response for this long ends as TIMEOUT (64×T1). */
    @JsonProperty
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MICROSECONDS, message = "must be a positive duration")
    public Duration transactionTimeout = Duration.seconds(32);

    /** A completed transaction stays this long for retransmissions and auth retries. */
    @JsonProperty
    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.MICROSECONDS, message = "must be a duration >= 0")
    public Duration transactionLinger = Duration.seconds(5);

    /** At most one TDR write per record per interval, the first one interval after it began (a transaction: also when it ends). */
    @JsonProperty
    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.MICROSECONDS, message = "must be a duration >= 0")
    public Duration updateInterval = Duration.seconds(1);

    /**
     * A live call whose only changes since its last write are media reports and logs (its SIP state
     * unchanged) is written at most once per this interval: its QoS and message counts in
     * Elasticsearch are at most this far behind, while a SIP change keeps {@link #updateInterval}.
     * The final write of a call always carries everything. No shorter than {@code updateInterval}
     * in effect.
     */
    @JsonProperty
    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.MICROSECONDS, message = "must be a duration >= 0")
    public Duration mediaUpdateInterval = Duration.seconds(10);

    /** Write non-INVITE transactions (REGISTER, OPTIONS, MESSAGE, ...) as TDRs. */
    @JsonProperty
    public boolean transactions = true;

    /** Feed RTCP and QoS reports to the calls' per-leg quality. */
    @JsonProperty
    public boolean qos = true;

    /** Price calls with the enricher's rate tables (when the enricher has any). */
    @JsonProperty
    public boolean rating = true;

    /** RTCP/QoS/LOG messages that name a call not seen yet wait this long for it. */
    @JsonProperty
    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.MICROSECONDS, message = "must be a duration >= 0")
    public Duration orphanTimeout = Duration.seconds(30);

    /** Waiting messages at most; beyond it the oldest is dropped (counted). */
    @JsonProperty
    @Min(value = 1, message = "must be positive")
    public int maxOrphans = HeapBudget.entries(0.04, 16_384, 100, 10_000);

    /** Ended Call-IDs remembered so late messages do not start a new record. */
    @JsonProperty
    @Min(value = 1, message = "must be positive")
    public int recentlyClosed = HeapBudget.entries(0.02, 512, 1_000, 100_000);

    /**
     * A closed call is kept this long (capture clock) for media reports, logs and SIP that arrive
     * after its final TDR was written (far out of order): such a report captured before the call's
     * end plus this grace, or SIP captured while the call was live, joins it and the TDR is written
     * again (docs/tdr.md, "Arrival order"). 0: off.
     */
    @JsonProperty
    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.MICROSECONDS, message = "must be a duration >= 0")
    public Duration lateMediaGrace = Duration.seconds(60);

    /** Closed calls kept for late media reports and SIP at most (oldest dropped first); 0: off. */
    @JsonProperty
    @Min(value = 0, message = "must be >= 0")
    public int lateMediaCalls = HeapBudget.entries(0.02, WORST_CALL_BYTES, 100, 20_000);

    /** Message ids a TDR lists in {@code tdr.messages.ids}; later ones are counted, not listed. */
    @JsonProperty
    @Min(value = 1, message = "must be positive")
    public int maxMessageIds = 256;

    /**
     * The reorder stage before the correlator: messages wait this long (capture time) to be put in
     * capture order; see docs/pipeline.md, "Arrival order". Only when correlation is on.
     */
    @JsonProperty
    @Valid
    @NotNull
    public ReorderConfig reorder = new ReorderConfig();

    /** The capture clock never runs further ahead of the wall clock than this (bogus timestamps). */
    @JsonProperty
    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.MICROSECONDS, message = "must be a duration >= 0")
    public Duration maxClockLead = Duration.seconds(10);

    /**
     * After a restart, take back the calls that were live before it from their TDRs in
     * Elasticsearch (so their BYE ends them), and close live TDRs nobody can still be updating
     * (status {@code UNKNOWN_END}); see docs/tdr.md, "Restarts".
     */
    @JsonProperty
    public boolean resumeAfterRestart = true;

    /**
     * With {@link #resumeAfterRestart}: how far back from the newest SIP message the previous run
     * stored the start looks for calls whose messages are stored but whose TDR never was (a call's
     * first TDR write comes one {@link #updateInterval} after its INVITE, and a crash loses the bulk
     * in flight). Their stored SIP messages are run through the stages again, without writing their
     * documents again, so the correlator knows those calls and their BYE after the restart ends them;
     * see docs/tdr.md, "Restarts". It must cover the update interval, the reorder window, the bulk
     * flush and a margin; 0: off.
     */
    @JsonProperty
    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.MICROSECONDS, message = "must be a duration >= 0")
    public Duration resumeTail = Duration.seconds(10);

    /** How often live TDRs left by an earlier run are looked for and closed (the start-up sweep runs too). */
    @JsonProperty
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS, message = "must be at least 1 s")
    public Duration sweepInterval = Duration.minutes(5);

    /**
     * How much longer than its idle timeout a live TDR must be idle before the sweep closes it as
     * {@code UNKNOWN_END}: the collector's lag behind the traffic (a disk-buffer backlog) must fit in it,
     * or the sweep could close a call the pipeline is still about to update.
     */
    @JsonProperty
    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.SECONDS)
    public Duration sweepMargin = Duration.minutes(10);

    /**
     * What is wrong with these settings (Bean Validation, as Dropwizard checks them at start-up with
     * the file and line), as "path message" lines; empty when they are fine. For configurations built
     * in code (tests, benchmarks).
     */
    public List<String> validate() {
        return ConfigValidation.problems(this, "");
    }

    Timers timers() {
        return new Timers(setupTimeout.toMicroseconds(), answeredTimeout.toMicroseconds(),
                endedLinger.toMicroseconds(), transactionTimeout.toMicroseconds(),
                transactionLinger.toMicroseconds(), updateInterval.toMicroseconds(),
                Math.max(updateInterval.toMicroseconds(), mediaUpdateInterval.toMicroseconds()), orphanTimeout.toMicroseconds(),
                maxClockLead.toMicroseconds());
    }

    /** {@link CorrelationConfig}'s durations in microseconds. */
    record Timers(long setup, long answered, long endedLinger, long transaction, long transactionLinger,
                  long update, long mediaUpdate, long orphan, long clockLead) {
    }
}
