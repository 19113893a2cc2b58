package io.hepstack.collector.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** The web UI's API ({@code api:} in the collector's YAML). */
public class ApiConfig {

    /** What one Elasticsearch search may take before the API answers 504 (sent as the search's {@code timeout}). */
    @JsonProperty
    @NotNull
    public Duration searchTimeout = Duration.seconds(10);

    /** The most messages a search-result PCAP export writes. */
    @JsonProperty
    @Min(1)
    @Max(100_000)
    public int exportLimit = 10_000;

    /** The largest capture {@code POST /api/v1/imports} accepts. */
    @JsonProperty
    @NotNull
    public DataSize importMaxSize = DataSize.megabytes(100);

    /** Where uploaded captures wait while they are imported (deleted afterwards); empty = the system's temp dir. */
    @JsonProperty
    public String importDir = "";

    /** Imports kept for their progress to be read (the oldest finished ones are forgotten first). */
    @JsonProperty
    @Min(1)
    public int importsKept = 50;
}
