package io.hepstack.collector.fraud.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A character trie keyed by prefix; digits get an array slot, other characters a small map. */
final class PrefixTrie<V> {

    static final class Node<V> {
        private Node<V>[] digits;
        private Map<Character, Node<V>> other;
        private final List<V> values = new ArrayList<>(1);

        Node<V> child(char c) {
            if (c >= '0' && c <= '9') {
                return digits == null ? null : digits[c - '0'];
            }
            return other == null ? null : other.get(c);
        }

        @SuppressWarnings("unchecked")
        Node<V> childOrCreate(char c) {
            if (c >= '0' && c <= '9') {
                if (digits == null) {
                    digits = new Node[10];
                }
                Node<V> n = digits[c - '0'];
                if (n == null) {
                    n = new Node<>();
                    digits[c - '0'] = n;
                }
                return n;
            }
            if (other == null) {
                other = new HashMap<>(4);
            }
            return other.computeIfAbsent(c, k -> new Node<>());
        }

        List<V> values() {
            return values;
        }
    }

    private final Node<V> root = new Node<>();

    void put(String prefix, V value) {
        Node<V> n = root;
        for (int i = 0; i < prefix.length(); i++) {
            n = n.childOrCreate(prefix.charAt(i));
        }
        n.values.add(value);
    }

    Node<V> root() {
        return root;
    }
}
