package io.hepstack.collector.correlate;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code correlation:} section of the collector's YAML: how SIP, RTCP, QoS reports and logs
 * are grouped into calls and transactions, and how long their state lives. Every setting has a
 * default that works; {@link #validate()} lists what is wrong (bad values named).
 *
 * <p>Timers run on the capture clock (the newest capture time seen, advanced by the pipeline's
 * ticks), measured from the last message of a record; see docs/tdr.md.
 */
public class CorrelationConfig {

    /** Off: messages pass through untouched and no TDR is written. */
    @JsonProperty
    public boolean enabled = true;

    /**
     * Headers that link the legs of a B2BUA. {@code Name} means the value is the other leg's
     * Call-ID; {@code Name;param} means both legs carry the same token in that header parameter
     * (e.g. {@code P-Charging-Vector;icid-value}).
     */
    @JsonProperty
    public List<String> linkHeaders = new ArrayList<>(List.of("X-CID", "X-Call-ID", "X-Correlation-ID",
            "P-Charging-Vector;icid-value"));

    /** Suffixes agents append to a Call-ID in the HEP correlation id (heplify's B2BUA "_b2b-1"). */
    @JsonProperty
    public List<String> correlationSuffixes = new ArrayList<>(List.of("_b2b-1"));

    /** Live calls kept in memory; beyond it the least recently active call is evicted (counted). */
    @JsonProperty
    public int maxCalls = 200_000;

    /** Live non-INVITE transactions kept in memory; beyond it the least recently active is evicted. */
    @JsonProperty
    public int maxTransactions = 200_000;

    /** A call with no final response and no message for this long ends as HARD_FAILURE (timeout). */
    @JsonProperty
    public Duration setupTimeout = Duration.seconds(120);

    /** An answered call with no BYE and no message for this long ends as FINISHED (timeout). */
    @JsonProperty
    public Duration answeredTimeout = Duration.hours(4);

    /** An ended call stays in memory this long for late messages (ACK, 200 to BYE, RTCP, logs). */
    @JsonProperty
    public Duration endedLinger = Duration.seconds(10);

    /** A non-INVITE transaction with no final response for this long ends as TIMEOUT (64×T1). */
    @JsonProperty
    public Duration transactionTimeout = Duration.seconds(32);

    /** A completed transaction stays this long for retransmissions and auth retries. */
    @JsonProperty
    public Duration transactionLinger = Duration.seconds(5);

    /** At most one TDR write per record per interval, the first one interval after it began (a transaction: also when it ends). */
    @JsonProperty
    public Duration updateInterval = Duration.seconds(1);

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
    public Duration orphanTimeout = Duration.seconds(30);

    /** Waiting messages at most; beyond it the oldest is dropped (counted). */
    @JsonProperty
    public int maxOrphans = 10_000;

    /** Ended Call-IDs remembered so late messages do not start a new record. */
    @JsonProperty
    public int recentlyClosed = 100_000;

    /** Message ids a TDR lists in {@code tdr.messages.ids}; later ones are counted, not listed. */
    @JsonProperty
    public int maxMessageIds = 1_000;

    /** The capture clock never runs further ahead of the wall clock than this (bogus timestamps). */
    @JsonProperty
    public Duration maxClockLead = Duration.seconds(10);

    public List<String> validate() {
        List<String> problems = new ArrayList<>();
        positive(problems, "maxCalls", maxCalls);
        positive(problems, "maxTransactions", maxTransactions);
        positive(problems, "maxOrphans", maxOrphans);
        positive(problems, "recentlyClosed", recentlyClosed);
        positive(problems, "maxMessageIds", maxMessageIds);
        positive(problems, "setupTimeout", setupTimeout);
        positive(problems, "answeredTimeout", answeredTimeout);
        nonNegative(problems, "endedLinger", endedLinger);
        positive(problems, "transactionTimeout", transactionTimeout);
        nonNegative(problems, "transactionLinger", transactionLinger);
        nonNegative(problems, "updateInterval", updateInterval);
        nonNegative(problems, "orphanTimeout", orphanTimeout);
        nonNegative(problems, "maxClockLead", maxClockLead);
        if (linkHeaders == null) {
            problems.add("linkHeaders must not be null");
        } else {
            for (String h : linkHeaders) {
                if (h == null || h.isBlank() || h.startsWith(";") || h.endsWith(";")) {
                    problems.add("linkHeaders: not a header name or Name;param: '" + h + "'");
                }
            }
        }
        if (correlationSuffixes == null) {
            problems.add("correlationSuffixes must not be null");
        } else if (correlationSuffixes.stream().anyMatch(s -> s == null || s.isEmpty())) {
            problems.add("correlationSuffixes must not contain empty values: " + correlationSuffixes);
        }
        return problems;
    }

    /** The durations in capture-clock microseconds, for the correlator's hot path. */
    Timers timers() {
        return new Timers(setupTimeout.toMicroseconds(), answeredTimeout.toMicroseconds(),
                endedLinger.toMicroseconds(), transactionTimeout.toMicroseconds(),
                transactionLinger.toMicroseconds(), updateInterval.toMicroseconds(), orphanTimeout.toMicroseconds(),
                maxClockLead.toMicroseconds());
    }

    /** {@link CorrelationConfig}'s durations in microseconds. */
    record Timers(long setup, long answered, long endedLinger, long transaction, long transactionLinger,
                  long update, long orphan, long clockLead) {
    }

    private static void positive(List<String> problems, String name, long v) {
        if (v <= 0) {
            problems.add(name + " must be positive: " + v);
        }
    }

    private static void positive(List<String> problems, String name, Duration d) {
        if (d == null || d.toMicroseconds() <= 0) {
            problems.add(name + " must be a positive duration: " + d);
        }
    }

    private static void nonNegative(List<String> problems, String name, Duration d) {
        if (d == null || d.toMicroseconds() < 0) {
            problems.add(name + " must be a duration >= 0: " + d);
        }
    }
}
