package io.hepstack.collector.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Optional: import hepstack's dashboards into this Kibana at start-up. */
public class KibanaConfig {
    /** e.g. http://kibana:5601; empty = do nothing. */
    @JsonProperty
    public String url;
    @JsonProperty
    public String space;
    @JsonProperty
    public String username;
    @JsonProperty
    public String password;
    @JsonProperty
    public String apiKey;
}
