package io.hepstack.collector.fraud.rules;

import io.hepstack.enricher.reload.LoadException;

import java.nio.file.Path;

/** The columns of one rule, from a CSV row or a YAML/JSON mapping, turned into a {@link FraudRule}. */
interface RuleFields {

    /** The column's text, "" or null when empty or absent. */
    String get(String column);

    /** The line to name in an error about that column. */
    int lineOf(String column);

    static FraudRule toRule(RuleFields f, Path file) throws LoadException {
        int ruleId = (int) id(f, "ruleid", file);
        int profileId = (int) id(f, "profileid", file);
        String prefix = f.get("prefix") == null ? "" : f.get("prefix").trim();
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new LoadException(file, f.lineOf("prefix"), "prefix contains a blank: '" + prefix + "'");
            }
        }
        int start;
        int end;
        int days;
        try {
            start = FraudRule.parseTime(required(f, "start_hour", file), false);
        } catch (IllegalArgumentException e) {
            throw new LoadException(file, f.lineOf("start_hour"), "start_hour: " + e.getMessage());
        }
        try {
            end = FraudRule.parseTime(required(f, "end_hour", file), true);
        } catch (IllegalArgumentException e) {
            throw new LoadException(file, f.lineOf("end_hour"), "end_hour: " + e.getMessage());
        }
        try {
            days = DaysOfWeek.parse(f.get("daysoftheweek"));
        } catch (IllegalArgumentException e) {
            throw new LoadException(file, f.lineOf("daysoftheweek"), "daysoftheweek: " + e.getMessage());
        }
        Threshold cpm = pair(f, "cpm", file);
        Threshold dur = pair(f, "call_duration", file);
        Threshold total = pair(f, "total_calls", file);
        Threshold conc = pair(f, "concurrent_calls", file);
        Threshold seq = pair(f, "sequential_calls", file);
        try {
            return new FraudRule(ruleId, profileId, prefix, start, end, days, cpm, dur, total, conc, seq,
                    f.lineOf("ruleid"));
        } catch (IllegalArgumentException e) {
            throw new LoadException(file, f.lineOf("ruleid"), "rule " + ruleId + ": " + e.getMessage());
        }
    }

    private static String required(RuleFields f, String column, Path file) throws LoadException {
        String v = f.get(column);
        if (v == null || v.isBlank()) {
            throw new LoadException(file, f.lineOf(column), column + " is empty");
        }
        return v;
    }

    private static long id(RuleFields f, String column, Path file) throws LoadException {
        String v = required(f, column, file).trim();
        long x = unsigned(v);
        if (x < 0 || x > Integer.MAX_VALUE) {
            throw new LoadException(file, f.lineOf(column), column + " must be a whole number >= 0: '" + v + "'");
        }
        return x;
    }

    private static Threshold pair(RuleFields f, String name, Path file) throws LoadException {
        long w = threshold(f, name + "_warning", file);
        long c = threshold(f, name + "_critical", file);
        if (w > 0 && c > 0 && w > c) {
            throw new LoadException(file, f.lineOf(name + "_warning"), name + "_warning (" + w
                    + ") is above " + name + "_critical (" + c + "): the warning could never fire");
        }
        return new Threshold(w, c);
    }

    private static long threshold(RuleFields f, String column, Path file) throws LoadException {
        String v = f.get(column);
        if (v == null || v.isBlank()) {
            return 0; // OpenSIPS: 0 = parameter not checked
        }
        long x = unsigned(v.trim());
        if (x < 0) {
            throw new LoadException(file, f.lineOf(column), column + " must be a whole number >= 0 (0 = off): '" + v.trim() + "'");
        }
        return x;
    }

    /** The value of a string of digits, or -1. */
    private static long unsigned(String v) {
        if (v.isEmpty() || v.length() > 18) {
            return -1;
        }
        long x = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            x = x * 10 + (c - '0');
        }
        return x;
    }
}
