package io.hepstack.collector.fraud;

import java.util.Locale;

/** How bad an alert is: the level of the threshold that was reached. */
public enum Severity {
    WARNING,
    CRITICAL;

    /** Lower-case name used in documents and webhooks ("warning", "critical"). */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Severity parse(String text) {
        for (Severity s : values()) {
            if (s.name().equalsIgnoreCase(text.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown severity (warning, critical): " + text);
    }
}
