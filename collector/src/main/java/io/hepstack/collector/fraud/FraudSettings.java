package io.hepstack.collector.fraud;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.hepstack.collector.fraud.WebhookConfig;
import jakarta.validation.Valid;

/** The fraud engine: rules file (hot-reloaded) and alert webhooks. */
public class FraudSettings {

    @JsonProperty
    public boolean enabled = true;

    /** YAML, JSON or OpenSIPS-layout CSV (docs/fraud.md); empty = built-in defaults. */
    @JsonProperty
    public String rules;

    /** Where alerts are POSTed as JSON; empty = nowhere. */
    @JsonProperty
    @Valid
    public WebhookConfig webhooks;
}
