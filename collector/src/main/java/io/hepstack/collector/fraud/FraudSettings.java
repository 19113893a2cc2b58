package io.hepstack.collector.fraud;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

/** The fraud engine: rules file (hot-reloaded), alert webhooks, and its state across a clean restart. */
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

    /** The engine's live counters saved at a clean stop and restored at the next start ({@link FraudCheckpoint}). */
    @JsonProperty
    @Valid
    @NotNull
    public Checkpoint checkpoint = new Checkpoint();

    public static class Checkpoint {
        /** Off: the fraud counters start empty after every restart. */
        @JsonProperty
        public boolean enabled = true;

        /** Where the state is written (its folder is created owner-only). */
        @JsonProperty
        @NotEmpty
        public String file = "./data/fraud/state.json";
    }
}
