package io.hepstack.enricher.blacklist;

import com.fasterxml.jackson.annotation.JsonIgnore;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@code blacklists:} section. */
public class BlacklistConfig {
    public boolean enabled = true;
    public List<@NotNull(message = "is empty") @Valid BlacklistListConfig> lists = new ArrayList<>();

    /** Each list's name is its own (hits name it). */
    @JsonIgnore
    @AssertTrue(message = "are not unique: two blacklists.lists have the same name")
    public boolean isNames() {
        Set<String> seen = new HashSet<>();
        return lists == null || lists.stream().filter(l -> l != null && l.name != null).allMatch(l -> seen.add(l.name));
    }
}
