package io.hepstack.collector.fraud.rules;

import java.util.Collection;
import java.util.List;

/** A set of number prefixes; {@link #matches} is true when any of them starts the number. */
public final class PrefixSet {

    public static final PrefixSet EMPTY = new PrefixSet(List.of());

    private final PrefixTrie<Boolean> trie = new PrefixTrie<>();
    private final List<String> prefixes;

    public PrefixSet(Collection<String> prefixes) {
        this.prefixes = List.copyOf(prefixes);
        for (String p : this.prefixes) {
            if (p.isEmpty()) {
                throw new IllegalArgumentException("empty prefix would match every number");
            }
            trie.put(p, Boolean.TRUE);
        }
    }

    public boolean matches(CharSequence number) {
        if (number == null || prefixes.isEmpty()) {
            return false;
        }
        PrefixTrie.Node<Boolean> n = trie.root();
        for (int i = 0; i < number.length(); i++) {
            n = n.child(number.charAt(i));
            if (n == null) {
                return false;
            }
            if (!n.values().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return prefixes.isEmpty();
    }

    public List<String> prefixes() {
        return prefixes;
    }
}
