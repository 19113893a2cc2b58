package io.hepstack.collector.fraud.rules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fraud rules grouped by profile, matched like OpenSIPS does through drouting: the rule with the
 * longest prefix of the dialled number whose hour interval and day cover the call; when the longest
 * prefix has no rule for that time, shorter prefixes are tried, down to the empty prefix. Rules with
 * the same prefix are tried in file order.
 */
public final class RuleSet {

    public static final RuleSet EMPTY = new RuleSet(List.of());

    private final List<FraudRule> rules;
    private final Map<Integer, PrefixTrie<FraudRule>> byProfile = new HashMap<>();

    /** @throws IllegalArgumentException on a duplicate rule id, naming both lines */
    public RuleSet(List<FraudRule> rules) {
        this.rules = List.copyOf(rules);
        Map<Integer, FraudRule> ids = new HashMap<>();
        for (FraudRule r : this.rules) {
            FraudRule dup = ids.putIfAbsent(r.ruleId(), r);
            if (dup != null) {
                throw new IllegalArgumentException("duplicate ruleid " + r.ruleId()
                        + (dup.line() > 0 ? " (first on line " + dup.line() + ")" : ""));
            }
            byProfile.computeIfAbsent(r.profileId(), k -> new PrefixTrie<>()).put(r.prefix(), r);
        }
    }

    /** The matching rule, or null. {@code number} null is treated as empty (only "" prefixes match). */
    public FraudRule match(int profileId, CharSequence number, long localEpochSecond) {
        PrefixTrie<FraudRule> trie = byProfile.get(profileId);
        if (trie == null) {
            return null;
        }
        return find(trie.root(), number == null ? "" : number, 0, localEpochSecond);
    }

    private static FraudRule find(PrefixTrie.Node<FraudRule> node, CharSequence number, int depth, long local) {
        if (depth < number.length()) {
            PrefixTrie.Node<FraudRule> child = node.child(number.charAt(depth));
            if (child != null) {
                FraudRule deeper = find(child, number, depth + 1, local);
                if (deeper != null) {
                    return deeper;
                }
            }
        }
        List<FraudRule> here = node.values();
        for (int i = 0; i < here.size(); i++) {
            FraudRule r = here.get(i);
            if (r.intervalStart(local) != FraudRule.NO_MATCH) {
                return r;
            }
        }
        return null;
    }

    public List<FraudRule> rules() {
        return rules;
    }

    public Set<Integer> profiles() {
        return Collections.unmodifiableSet(new HashSet<>(byProfile.keySet()));
    }

    public List<FraudRule> rulesOf(int profileId) {
        List<FraudRule> out = new ArrayList<>();
        for (FraudRule r : rules) {
            if (r.profileId() == profileId) {
                out.add(r);
            }
        }
        return out;
    }

    public int size() {
        return rules.size();
    }
}
