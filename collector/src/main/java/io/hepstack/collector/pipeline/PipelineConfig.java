package io.hepstack.collector.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import io.hepstack.collector.document.MessageFields;
import io.hepstack.collector.journal.Durability;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

/** The hand-off between listeners and the processing worker. */
public class PipelineConfig {

    /** Messages waiting in memory for the worker; beyond it they spill to the disk buffer (or, without one, UDP drops and counts). */
    @JsonProperty
    @Min(1)
    public int queueCapacity = 65_536;

    @JsonProperty
    @Min(1)
    public int batchSize = 512;

    /**
     * How long the worker waits for more after taking a small batch (an eighth of {@code batchSize}
     * or less): fewer, fuller batches at moderate rates, for at most this much latency (against the
     * reorder window's seconds). 0: none. 10 ms: at 6,000 messages/s the worker's batches grow from a
     * handful to about 60 and its CPU per message falls by a fifth (bench/README.md, "Small batches").
     */
    @JsonProperty
    @NotNull
    public Duration linger = Duration.milliseconds(10);

    /**
     * Bytes of payload the queue holds at most (whatever the count): 0 means a tenth of the heap.
     * Beyond it messages spill to the disk buffer, as with a full queue (without one: UDP packets are dropped, TCP senders wait).
     */
    @JsonProperty
    @Min(0)
    public long queueBytes = 0;

    /** Without a disk buffer: how long a TCP connection waits for queue space before its packet is dropped (and counted). */
    @JsonProperty
    @Min(0)
    public long tcpBackpressureMillis = 5_000;

    /** Keep the raw SIP text in event.original (the call API shows it). */
    @JsonProperty
    public boolean storeRawSip = true;

    /**
     * How much each message document carries: {@code lean} (the default) the fields searches,
     * dashboards, watches and views use plus the keys to join the call's TDR, where the per-call
     * enrichment is; {@code full} every parsed and enriched field (docs/documents.md).
     */
    @JsonProperty
    @NotNull
    public MessageFields messageFields = MessageFields.LEAN;

    /**
     * Mask the credentials of SIP Authorization / Proxy-Authorization headers (digest response,
     * Basic/Bearer credentials) before the message is parsed or stored (docs/security.md).
     */
    @JsonProperty
    public boolean redactCredentials = true;

    @JsonProperty
    @Valid
    @NotNull
    public Spill spill = new Spill();

    /** The disk buffer behind the memory queue: overload becomes lag, not loss. */
    public static class Spill {
        @JsonProperty
        public boolean enabled = true;
        @JsonProperty
        @NotEmpty
        public String dir = "./data/buffer";
        /** The disk budget: beyond it messages are lost (counted, logged, the health check fails). */
        @JsonProperty
        @NotNull
        public DataSize maxSize = DataSize.gigabytes(4);
        /** With write-ahead, what a crash makes the restart read again is at most about a segment more than it must. */
        @JsonProperty
        @NotNull
        public DataSize segmentSize = DataSize.megabytes(4);
        /** always | interval | never; see Durability. */
        @JsonProperty
        @NotNull
        public Durability.Mode fsync = Durability.Mode.INTERVAL;
        /** With fsync: interval, at most this much spilled data is at risk in a machine crash. */
        @JsonProperty
        @NotNull
        public Duration fsyncInterval = Duration.seconds(1);
        /**
         * Every accepted message goes to the disk buffer before the worker takes it, and stays there
         * until its document is stored: a crash ({@code kill -9}, OOM) loses nothing the listeners
         * accepted. Off: only what does not fit in memory goes to disk (a crash loses the memory queue).
         */
        @JsonProperty
        public boolean writeAhead = true;
        /** A clean stop processes what waits in memory and on disk for at most this long; the rest stays on disk for the next start. */
        @JsonProperty
        @NotNull
        public Duration drainTimeout = Duration.seconds(120);

        public Durability durability() {
            return new Durability(fsync, java.time.Duration.ofMillis(fsyncInterval.toMilliseconds()));
        }
    }
}
