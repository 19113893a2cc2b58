package io.hepstack.collector.fraud;

import io.hepstack.collector.fraud.rules.Checks;
import io.hepstack.collector.fraud.rules.FraudConfig;
import io.hepstack.collector.fraud.rules.Threshold;

import java.util.List;

import static io.hepstack.collector.fraud.CheckSupport.MICROS;
import static io.hepstack.collector.fraud.CheckSupport.fmt;

/**
 * What a {@link FraudCheck} sees of the engine: the configuration in use, the engine's clock, the
 * shared {@link FraudState}, and a way to raise an alert. It also carries what the alert being raised
 * is about (time, user, number, profile, rule, call, source), which the engine fills per event (one
 * reused instance: no allocation on the hot path). Only used under the engine's state lock.
 */
final class FraudContext {

    private final FraudState state;
    private final AlertBook alerts;
    private final List<Alert> outbox;
    private FraudConfig config;
    private long now = Long.MIN_VALUE;

    private long time;
    private String user;
    private String number;
    private int profile;
    private int ruleId;
    private String callId;
    private String sourceIp;

    FraudContext(FraudState state, AlertBook alerts, List<Alert> outbox) {
        this.state = state;
        this.alerts = alerts;
        this.outbox = outbox;
    }

    // ------------------------------------------------------------------ set by the engine

    void config(FraudConfig config) {
        this.config = config;
    }

    void now(long now) {
        this.now = now;
    }

    /** Sets what alerts raised from here on are about. */
    void about(long time, String user, String number, int profile, int ruleId, String callId, String sourceIp) {
        this.time = time;
        this.user = user;
        this.number = number;
        this.profile = profile;
        this.ruleId = ruleId;
        this.callId = callId;
        this.sourceIp = sourceIp;
    }

    void profile(int profile) {
        this.profile = profile;
    }

    void ruleId(int ruleId) {
        this.ruleId = ruleId;
    }

    // ------------------------------------------------------------------ read by the checks

    FraudConfig config() {
        return config;
    }

    Checks checks() {
        return config.checks();
    }

    /** The engine's clock: the latest capture time it was given, in microseconds. */
    long now() {
        return now;
    }

    /** The time of the event being checked, in microseconds. */
    long time() {
        return time;
    }

    /** The called number of the event being checked, or null. */
    String number() {
        return number;
    }

    FraudState state() {
        return state;
    }

    /** The source IP's state, created if new and touched at {@code t}. */
    SourceState source(String ip, long t) {
        return state.source(ip, t, config.limits().maxSources());
    }

    // ------------------------------------------------------------------ alerts

    /** Raises an alert whose de-duplication window is the alert window around {@link #time()}. */
    void raise(AlertRule rule, String parameter, Severity s, double value, Threshold th, String subject, String what) {
        long w = config.limits().alertWindowSeconds() * MICROS;
        long start = Math.floorDiv(time, w) * w;
        raise(rule, parameter, s, value, th, subject, start, start + w, what);
    }

    /** Raises an alert with its own de-duplication window. */
    void raise(AlertRule rule, String parameter, Severity s, double value, Threshold th, String subject,
               long windowStart, long windowEnd, String what) {
        double level = th.level(s);
        StringBuilder msg = new StringBuilder(what.length() + 48).append(what).append(" (")
                .append(s.code()).append(" threshold ").append(fmt(level));
        if (ruleId >= 0) {
            msg.append(", rule ").append(ruleId);
        }
        if (profile >= 0 && !rule.perSource()) {
            msg.append(", profile ").append(profile);
        }
        msg.append(')');
        Integer alertProfile = profile >= 0 && !rule.perSource() ? profile : null;
        Integer alertRuleId = ruleId >= 0 ? ruleId : null;
        Alert fresh = new Alert("-", time, time, rule, s, parameter, value, level, subject,
                user, number, alertProfile,
                alertRuleId, callId, sourceIp, windowStart, windowEnd, 1, msg.toString());
        alerts.hit(new AlertBook.Key(rule, parameter, subject, s, windowStart), fresh, outbox);
    }
}
