package io.hepstack.enricher.number;

import com.fasterxml.jackson.annotation.JsonIgnore;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotEmpty;

import java.util.regex.PatternSyntaxException;

/**
 * A dial-plan rewrite: {@code number = number.replaceFirst(match, replace)} (Java regex syntax,
 * {@code $1} for groups). Bound from YAML as {@code {match: "^9(\\d+)$", replace: "$1"}}.
 */
public class RewriteRule {
    @NotEmpty(message = "is empty")
    public String match;
    public String replace = "";

    @JsonIgnore
    @AssertTrue(message = "is false: match is not a valid regular expression")
    public boolean isMatchARegex() {
        if (match == null || match.isEmpty()) {
            return true; // @NotEmpty says so
        }
        try {
            java.util.regex.Pattern.compile(match);
            return true;
        } catch (PatternSyntaxException e) {
            return false;
        }
    }

    public RewriteRule() {
    }

    public RewriteRule(String match, String replace) {
        this.match = match;
        this.replace = replace;
    }
}
