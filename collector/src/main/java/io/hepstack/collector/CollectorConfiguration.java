package io.hepstack.collector;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.hepstack.collector.api.ApiConfig;
import io.hepstack.collector.es.ElasticsearchConfig;
import io.hepstack.collector.correlate.CorrelationConfig;
import io.hepstack.collector.fraud.FraudSettings;
import io.hepstack.collector.ingest.HepListenerConfig;
import io.hepstack.collector.pipeline.PipelineConfig;
import io.hepstack.collector.kibana.KibanaSettings;
import io.hepstack.enricher.EnricherConfig;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/**
 * The collector's one YAML file (default {@code collector/config.yml}). Every setting has a default
 * that works on a laptop; each can be overridden with {@code -Ddw.<path>=value}.
 */
public class CollectorConfiguration extends Configuration {

    @JsonProperty
    @Valid
    @NotNull
    public HepListenerConfig hep = new HepListenerConfig();

    @JsonProperty
    @Valid
    @NotNull
    public PipelineConfig pipeline = new PipelineConfig();

    @JsonProperty
    @Valid
    @NotNull
    public ElasticsearchConfig elasticsearch = new ElasticsearchConfig();

    /** Calls and transactions (TDRs); see docs/tdr.md. */
    @JsonProperty
    @Valid
    @NotNull
    public CorrelationConfig correlation = new CorrelationConfig();

    /** GeoIP, e.164, rating, blacklists; see enricher/README.md. */
    @JsonProperty
    @Valid
    @NotNull
    public EnricherConfig enricher = new EnricherConfig();

    @JsonProperty
    @Valid
    @NotNull
    public FraudSettings fraud = new FraudSettings();

    @JsonProperty
    @Valid
    @NotNull
    public KibanaSettings kibana = new KibanaSettings();

    /** The web UI's API: search timeout, export limit, pcap import size. */
    @JsonProperty
    @Valid
    @NotNull
    public ApiConfig api = new ApiConfig();
}
