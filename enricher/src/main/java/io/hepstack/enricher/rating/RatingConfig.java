package io.hepstack.enricher.rating;

import com.fasterxml.jackson.annotation.JsonIgnore;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@code rating:} section. */
public class RatingConfig {
    public boolean enabled = true;
    public List<@NotNull(message = "is empty") @Valid RateTableConfig> tables = new ArrayList<>();
    public List<@NotNull(message = "is empty") @Valid RatingRule> rules = new ArrayList<>();
    /** Table for calls no rule picks; null: the first table. */
    public String defaultTable;
    /** Whether failed/unanswered calls cost the connect fee (else 0). */
    public boolean chargeConnectFeeOnFailure = false;

    /** Names of the configured tables. */
    private Set<String> tableNames() {
        Set<String> names = new HashSet<>();
        if (tables != null) {
            tables.stream().filter(t -> t != null && t.name != null && !t.name.isBlank()).forEach(t -> names.add(t.name));
        }
        return names;
    }

    @JsonIgnore
    @AssertTrue(message = "are not unique: two rating.tables have the same name")
    public boolean isTableNames() {
        Set<String> seen = new HashSet<>();
        return !enabled || tables == null
                || tables.stream().filter(t -> t != null && t.name != null && !t.name.isBlank()).allMatch(t -> seen.add(t.name));
    }

    @JsonIgnore
    @AssertTrue(message = "is not a configured table: rating.defaultTable must name one of rating.tables")
    public boolean isDefaultTableConfigured() {
        return !enabled || defaultTable == null || tableNames().contains(defaultTable);
    }

    @JsonIgnore
    @AssertTrue(message = "are not all configured: every rating.rules[].table must name one of rating.tables")
    public boolean isRuleTables() {
        Set<String> names = tableNames();
        return !enabled || rules == null || rules.stream().allMatch(r -> r == null || names.contains(r.table));
    }
}
