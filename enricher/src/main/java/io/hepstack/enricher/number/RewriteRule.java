package io.hepstack.enricher.number;

/**
 * A dial-plan rewrite: {@code number = number.replaceFirst(match, replace)} (Java regex syntax,
 * {@code $1} for groups). Bound from YAML as {@code {match: "^9(\\d+)$", replace: "$1"}}.
 */
public class RewriteRule {
    public String match;
    public String replace = "";

    public RewriteRule() {
    }

    public RewriteRule(String match, String replace) {
        this.match = match;
        this.replace = replace;
    }
}
