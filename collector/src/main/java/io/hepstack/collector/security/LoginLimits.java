package io.hepstack.collector.security;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** Login rate limits (see {@link LoginLimiter}). */
public class LoginLimits {
    /** Failures after which each attempt must wait (1 s, doubling). */
    @JsonProperty
    @Min(1)
    public int slowAfter = 3;
    /** Failures for one user name within the window that lock it. */
    @JsonProperty
    @Min(1)
    public int maxFailuresPerUser = 10;
    /** Failures from one address within the window that lock it. */
    @JsonProperty
    @Min(1)
    public int maxFailuresPerAddress = 30;
    @JsonProperty
    @NotNull
    public Duration window = Duration.minutes(15);
    @JsonProperty
    @NotNull
    public Duration lockout = Duration.minutes(15);
    /** User names and addresses tracked at most (least recently used evicted). */
    @JsonProperty
    @Min(100)
    public int maxTracked = 100_000;
}
