package io.hepstack.collector.security;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** The {@code security:} section of the collector's config (docs/security.md). */
public class SecurityConfig {

    /** Users and API tokens; created with an {@code admin} account on first start. Hot-reloaded. */
    @JsonProperty
    @NotNull
    public String usersFile = "./data/users.yml";

    /** How often the users file is checked for changes. */
    @JsonProperty
    @NotNull
    public Duration reloadInterval = Duration.seconds(5);

    /** A browser session ends after this long without a request ... */
    @JsonProperty
    @NotNull
    public Duration sessionIdleTimeout = Duration.minutes(30);

    /** ... and after this long in any case. */
    @JsonProperty
    @NotNull
    public Duration sessionMaxAge = Duration.hours(12);

    @JsonProperty
    @Min(1)
    public int maxSessions = 10_000;

    /** Cookies get the Secure flag: {@code auto} when the request came over HTTPS. */
    @JsonProperty
    @NotNull
    public SecureCookies secureCookies = SecureCookies.auto;

    @JsonProperty
    @Valid
    @NotNull
    public LoginLimits login = new LoginLimits();

    @JsonProperty
    @Valid
    @NotNull
    public LdapConfig ldap = new LdapConfig();

    /** Audit documents (hep-audit-*) and log lines (logger {@code hepstack.audit}). */
    @JsonProperty
    public boolean audit = true;

    /** bcrypt cost of hashes this collector makes (the initial admin). */
    @JsonProperty
    @Min(4)
    public int bcryptCost = 12;

    public enum SecureCookies { auto, always, never }
}
