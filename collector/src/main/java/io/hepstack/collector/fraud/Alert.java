package io.hepstack.collector.fraud;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One fraud or security alert. There is one per (rule, parameter, subject, severity, window): when
 * the same thing happens again in the same window the engine publishes a new version with the same
 * {@link #id()}, a higher {@link #count()}, the latest value and a later {@link #lastSeenMicros()}.
 *
 * @param id                deterministic: {@link #idFor} of rule, parameter, subject, severity and window start
 * @param timestampMicros   when it was first seen in this window (capture time)
 * @param lastSeenMicros    when it was last seen
 * @param parameter         the OpenSIPS parameter name for the OpenSIPS rules (equal to the rule code);
 *                          for sip-flood the method (REGISTER, INVITE, OPTIONS)
 * @param value             the counter's value at the latest hit (calls, seconds, ratio, money)
 * @param threshold         the level that was reached
 * @param subject           what is counted: the user key, or the source IP for per-source rules
 * @param profileId         fraud profile of the user, or null
 * @param ruleId            OpenSIPS-style rule id that matched, or null
 * @param windowStartMicros start of the de-duplication window (for total-calls: the rule's interval)
 * @param windowEndMicros   its end (exclusive)
 * @param count             hits in this window (1 when new)
 */
public record Alert(String id, long timestampMicros, long lastSeenMicros, AlertRule rule, Severity severity,
                    String parameter, double value, double threshold, String subject, String user,
                    String calledNumber, Integer profileId, Integer ruleId, String callId, String sourceIp,
                    long windowStartMicros, long windowEndMicros, long count, String message) {

    public Alert {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(subject, "subject");
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1: " + count);
        }
    }

    public boolean isNew() {
        return count == 1;
    }

    public Instant timestamp() {
        return toInstant(timestampMicros);
    }

    public Instant lastSeen() {
        return toInstant(lastSeenMicros);
    }

    /** The next version of this alert after one more hit. */
    Alert hitAgain(long timeMicros, double newValue, String newCalledNumber, String newCallId, String newMessage) {
        return new Alert(id, timestampMicros, Math.max(lastSeenMicros, timeMicros), rule, severity, parameter,
                newValue, threshold, subject, user, newCalledNumber != null ? newCalledNumber : calledNumber,
                profileId, ruleId, newCallId != null ? newCallId : callId, sourceIp, windowStartMicros,
                windowEndMicros, count + 1, newMessage);
    }

    /**
     * Field names and values as webhooks receive them (and a document could be built from):
     * timestamps as ISO-8601 UTC with microseconds, absent values left out.
     */
    public Map<String, Object> toJsonMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("@timestamp", timestamp().toString());
        m.put("last_seen", lastSeen().toString());
        m.put("rule", rule.code());
        m.put("severity", severity.code());
        m.put("parameter", parameter);
        m.put("value", jsonNumber(value));
        m.put("threshold", jsonNumber(threshold));
        m.put("subject", subject);
        putIfPresent(m, "user", user);
        putIfPresent(m, "called_number", calledNumber);
        putIfPresent(m, "profile_id", profileId);
        putIfPresent(m, "rule_id", ruleId);
        putIfPresent(m, "call_id", callId);
        putIfPresent(m, "source_ip", sourceIp);
        m.put("window_start", toInstant(windowStartMicros).toString());
        m.put("window_end", toInstant(windowEndMicros).toString());
        m.put("count", count);
        m.put("message", message);
        return m;
    }

    /** Hex of the first 16 bytes of SHA-256 over the identifying fields. */
    public static String idFor(AlertRule rule, String parameter, String subject, Severity severity,
                               long windowStartMicros) {
        String key = rule.code() + '\u0000' + parameter + '\u0000' + subject + '\u0000' + severity.code()
                + '\u0000' + windowStartMicros;
        byte[] d = SHA_256.get().digest(key.getBytes(StandardCharsets.UTF_8)); // digest() resets it for the next
        return HexFormat.of().formatHex(d, 0, 16);
    }

    /** Each thread's SHA-256: looking one up (provider, state arrays) cost more than hashing the key. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    });

    private static Object jsonNumber(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? (Object) (long) v : (Object) v;
    }

    private static void putIfPresent(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    private static Instant toInstant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }
}
