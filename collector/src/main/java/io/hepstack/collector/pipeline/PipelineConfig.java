package io.hepstack.collector.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Min;

/** The hand-off between listeners and the processing worker. */
public class PipelineConfig {

    /** Messages waiting for the worker; beyond it UDP packets are dropped (and counted). */
    @JsonProperty
    @Min(1)
    public int queueCapacity = 65_536;

    @JsonProperty
    @Min(1)
    public int batchSize = 512;

    /** How long a TCP connection waits for queue space before its packet is dropped (and counted). */
    @JsonProperty
    @Min(0)
    public long tcpBackpressureMillis = 5_000;

    /** Keep the raw SIP text in event.original (the call API shows it). */
    @JsonProperty
    public boolean storeRawSip = true;

    /**
     * Mask the credentials of SIP Authorization / Proxy-Authorization headers (digest response,
     * Basic/Bearer credentials) before the message is parsed or stored (docs/security.md).
     */
    @JsonProperty
    public boolean redactCredentials = true;
}
