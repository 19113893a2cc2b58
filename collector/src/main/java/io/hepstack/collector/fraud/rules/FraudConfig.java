package io.hepstack.collector.fraud.rules;

import io.hepstack.enricher.reload.Sized;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the fraud engine is configured with, loaded from one file by {@link FraudConfigLoader}.
 * Immutable: a reload builds a new one and the engine picks it up at its next event.
 *
 * @param zone         time zone of the rules' hours and days (OpenSIPS: local time or use_utc_time)
 * @param userAtDomain when true users are told apart by user@domain, else by user alone (as OpenSIPS)
 * @param profileNames optional names of profile ids, for display
 */
public record FraudConfig(ZoneId zone, boolean userAtDomain, Map<Integer, String> profileNames, RuleSet rules,
                          ProfileResolver profiles, Limits limits, Checks checks) implements Sized {

    public FraudConfig {
        Objects.requireNonNull(zone, "zone");
        profileNames = Map.copyOf(profileNames);
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(profiles, "profiles");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(checks, "checks");
    }

    /** No rules, no assignments, default checks and limits, UTC. */
    public static FraudConfig defaults() {
        return new FraudConfig(ZoneId.of("UTC"), false, Map.of(), RuleSet.EMPTY,
                new ProfileResolver(List.of(), ProfileResolver.NONE), Limits.defaults(), Checks.defaults());
    }

    public FraudConfig withRules(RuleSet newRules, ProfileResolver newProfiles) {
        return new FraudConfig(zone, userAtDomain, profileNames, newRules, newProfiles, limits, checks);
    }

    public FraudConfig withChecks(Checks newChecks) {
        return new FraudConfig(zone, userAtDomain, profileNames, rules, profiles, limits, newChecks);
    }

    public FraudConfig withLimits(Limits newLimits) {
        return new FraudConfig(zone, userAtDomain, profileNames, rules, profiles, newLimits, checks);
    }

    public FraudConfig withZone(ZoneId newZone) {
        return new FraudConfig(newZone, userAtDomain, profileNames, rules, profiles, limits, checks);
    }

    @Override
    public long size() {
        return rules.size() + profiles.assignments().size();
    }
}
