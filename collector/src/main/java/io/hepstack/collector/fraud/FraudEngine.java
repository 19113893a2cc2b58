package io.hepstack.collector.fraud;

import io.hepstack.collector.fraud.rules.Checks;
import io.hepstack.collector.fraud.rules.FraudConfig;
import io.hepstack.collector.fraud.rules.FraudRule;
import io.hepstack.collector.fraud.rules.Threshold;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The real-time fraud engine: OpenSIPS fraud_detection counters per user and matched rule, plus
 * hepstack's own user, destination, cost and per-source scanner/flood checks. Raises de-duplicated
 * {@link Alert}s to {@link AlertListener}s.
 *
 * <p><b>Time</b> comes only from the events (capture time) and {@link #tick(long)}; the engine's
 * clock is the latest time it was given, so a replay gives the same alerts as the live run.
 *
 * <p><b>Threads:</b> feed events and ticks from one pipeline thread (calls from several threads are
 * serialised, but their order is then up to the caller). {@link #statsFor}, {@link #recentAlerts}
 * and {@link #metrics} may be called from any thread at any time; they take a short lock and return
 * snapshots. Listeners run on the feeding thread, after the state lock is released.
 *
 * <p><b>Configuration</b> comes from a supplier (e.g. {@code reloadableFile::current}) read at every
 * event, so a hot reload applies from the next event on; counters are kept across reloads.
 */
public final class FraudEngine {

    private static final Logger LOG = LoggerFactory.getLogger(FraudEngine.class);
    private static final long MICROS = 1_000_000L;
    private static final Alert[] NONE = new Alert[0];

    private final Supplier<FraudConfig> configSource;
    private final List<AlertListener> listeners;
    private final ReentrantLock feedLock = new ReentrantLock(); // one writer at a time, alerts published in order
    private final Object lock = new Object();                  // guards all state below

    private FraudConfig config;
    private long configVersion;
    private ZoneClock clock;
    private final LinkedHashMap<String, UserState> users = new LinkedHashMap<>(1024, 0.75f, true);
    private final LinkedHashMap<String, SourceState> sources = new LinkedHashMap<>(1024, 0.75f, true);
    private final HashMap<String, LiveCall> calls = new HashMap<>();
    private final CallHeap deadlines = new CallHeap();
    private final LinkedHashSet<UserState> ratedUsers = new LinkedHashSet<>();
    private final AlertBook alerts = new AlertBook();
    private final ArrayList<Alert> outbox = new ArrayList<>();
    private final Ctx ctx = new Ctx();
    private long now = Long.MIN_VALUE;
    private long nextEstimateMicros = Long.MIN_VALUE;

    private long callsStarted;
    private long callsAnswered;
    private long callsEnded;
    private long sipSeen;
    private long ticks;
    private long expiredUsers;
    private long evictedUsers;
    private long expiredSources;
    private long evictedSources;
    private long expiredCalls;
    private long unknownCalls;
    private long duplicateStarts;
    private long costSkipped;
    private final AtomicLong alertsPublished = new AtomicLong();
    private final AtomicLong listenerErrors = new AtomicLong();

    /** What the alert being raised is about; filled per event (no allocation on the hot path). */
    private static final class Ctx {
        long time;
        String user;
        String number;
        int profile;
        int ruleId;
        String callId;
        String sourceIp;

        void set(long time, String user, String number, int profile, int ruleId, String callId, String sourceIp) {
            this.time = time;
            this.user = user;
            this.number = number;
            this.profile = profile;
            this.ruleId = ruleId;
            this.callId = callId;
            this.sourceIp = sourceIp;
        }
    }

    public FraudEngine(Supplier<FraudConfig> configSource, List<AlertListener> listeners) {
        this.configSource = Objects.requireNonNull(configSource, "configSource");
        this.listeners = List.copyOf(listeners);
        synchronized (lock) {
            refreshConfig();
        }
    }

    public FraudEngine(FraudConfig config, AlertListener... listeners) {
        this(() -> config, List.of(listeners));
    }

    // ------------------------------------------------------------------ events

    public void onCallStarted(CallStarted e) {
        feedLock.lock();
        try {
            Alert[] out;
            synchronized (lock) {
                advance(e.timeMicros());
                callStarted(e);
                out = drain();
            }
            publish(out);
        } finally {
            feedLock.unlock();
        }
    }

    public void onCallAnswered(CallAnswered e) {
        feedLock.lock();
        try {
            Alert[] out;
            synchronized (lock) {
                advance(e.timeMicros());
                callAnswered(e);
                out = drain();
            }
            publish(out);
        } finally {
            feedLock.unlock();
        }
    }

    public void onCallEnded(CallEnded e) {
        feedLock.lock();
        try {
            Alert[] out;
            synchronized (lock) {
                advance(e.timeMicros());
                callEnded(e);
                out = drain();
            }
            publish(out);
        } finally {
            feedLock.unlock();
        }
    }

    public void onSip(SipSeen e) {
        feedLock.lock();
        try {
            Alert[] out;
            synchronized (lock) {
                advance(e.timeMicros());
                sip(e);
                out = drain();
            }
            publish(out);
        } finally {
            feedLock.unlock();
        }
    }

    /**
     * Moves the engine's clock to {@code nowMicros} (never backwards): call-duration thresholds of
     * calls still up, call timeouts, running-cost estimates, closing alert windows and expiry of idle
     * users and sources. Call it about once a second with the pipeline's current capture time.
     */
    public void tick(long nowMicros) {
        feedLock.lock();
        try {
            Alert[] out;
            synchronized (lock) {
                ticks++;
                advance(nowMicros);
                checkEstimates();
                alerts.closeUpTo(now, outbox);
                expireUsers();
                expireSources();
                out = drain();
            }
            publish(out);
        } finally {
            feedLock.unlock();
        }
    }

    // ------------------------------------------------------------------ read API

    /** The user's live counters (key as in alerts: user, or user@domain), or null when not tracked. */
    public UserFraudStats statsFor(String user) {
        synchronized (lock) {
            UserState u = users.get(user);
            if (u == null) {
                return null;
            }
            long sec = Math.floorDiv(now, MICROS);
            List<UserFraudStats.RuleStats> rules = new ArrayList<>();
            for (RuleCounters rc : u.counters.values()) {
                FraudRule r = rc.rule;
                rules.add(new UserFraudStats.RuleStats(r.ruleId(), r.profileId(), rc.prefix, r.startHour(),
                        r.endHour(), r.daysOfWeek(), rc.intervalStartMicros, rc.intervalEndMicros, rc.cpm.count(sec),
                        rc.totalCalls, rc.concurrentCalls, rc.sequentialCalls, rc.lastNumber, r.cpm(), r.totalCalls(),
                        r.concurrentCalls(), r.sequentialCalls(), r.callDuration()));
            }
            rules.sort(Comparator.comparing(UserFraudStats.RuleStats::prefix));
            List<String> countries = new ArrayList<>();
            if (u.countries != null) {
                int len = u.countries.length;
                for (int i = 0; i < u.countryCount; i++) {
                    countries.add(u.countries[Math.floorMod(u.countryNext - u.countryCount + i, len)]);
                }
            }
            double cost = (u.cost == null ? 0 : u.cost.sum(sec) / (double) MICROS) + u.liveEstimate(now / (double) MICROS);
            int profile = u.profileGeneration == configVersion ? u.profile : -1;
            return new UserFraudStats(u.key, profile, config.profileNames().get(profile), u.lastActivityMicros,
                    u.liveCalls, rules, u.lastUserAgent, count(u.userAgentChanges), countries,
                    count(u.newCountries), count(u.highRisk), count(u.irsf), cost);
        }
    }

    /** The latest alerts, newest first (each alert once, in its latest version). */
    public List<Alert> recentAlerts(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0: " + limit);
        }
        synchronized (lock) {
            return alerts.recent(limit);
        }
    }

    public FraudMetrics metrics() {
        synchronized (lock) {
            return new FraudMetrics(callsStarted, callsAnswered, callsEnded, sipSeen, ticks, alerts.createdByRule(),
                    alerts.updates(), alertsPublished.get(), users.size(), sources.size(), calls.size(),
                    alerts.openCount(), expiredUsers, evictedUsers, expiredSources, evictedSources, expiredCalls,
                    unknownCalls, duplicateStarts, costSkipped, listenerErrors.get(), configVersion);
        }
    }

    /** The configuration in use (the one the last event saw). */
    public FraudConfig config() {
        synchronized (lock) {
            return config;
        }
    }

    /** The engine's clock: the latest capture time it was given, in microseconds. */
    public long nowMicros() {
        synchronized (lock) {
            return now;
        }
    }

    // ------------------------------------------------------------------ call lifecycle

    private void callStarted(CallStarted e) {
        callsStarted++;
        if (calls.containsKey(e.callId())) {
            duplicateStarts++;
            return;
        }
        long t = e.timeMicros();
        long sec = Math.floorDiv(t, MICROS);
        Checks ck = config.checks();
        String key = userKey(e.user(), e.domain());
        UserState u = key == null ? null : user(key, t);
        RuleCounters rc = null;
        FraudRule rule = null;
        int profile = -1;
        ctx.set(t, key, e.calledNumber(), -1, -1, e.callId(), e.sourceIp());
        if (u != null) {
            profile = profileOf(u, e.user(), e.domain(), e.sourceIp());
            ctx.profile = profile;
            if (profile >= 0) {
                long local = clock.toLocal(sec);
                rule = config.rules().match(profile, e.calledNumber(), local);
                if (rule != null) {
                    ctx.ruleId = rule.ruleId();
                    rc = countCall(u, rule, local, sec, e.calledNumber());
                }
            }
        }
        double rate = e.ratePerMinute() != null ? e.ratePerMinute().doubleValue()
                : ck.costBurn().ratePerMinute() != null ? ck.costBurn().ratePerMinute().doubleValue() : Double.NaN;
        LiveCall c = new LiveCall(e.callId(), u, rc, rule, t, e.calledNumber(), e.calledCountry(),
                e.calledNumberType(), e.sourceIp(), rate);
        calls.put(e.callId(), c);
        if (u != null) {
            u.liveCalls++;
            userAgentCheck(u, e.userAgent(), ck);
            newCountryCheck(u, e.calledCountry(), ck);
            highRiskCheck(u, e, ck);
        }
        schedule(c);
        if (e.sourceBlacklisted() && e.sourceIp() != null && ck.blacklistedSource().active()) {
            SourceState s = source(e.sourceIp(), t);
            Checks.Count bc = ck.blacklistedSource();
            s.blacklisted = window(s.blacklisted, bc);
            int n = s.blacklisted.add(t);
            Severity sev = bc.threshold().reached(n);
            if (sev != null) {
                raise(AlertRule.BLACKLISTED_SOURCE, AlertRule.BLACKLISTED_SOURCE.code(), sev, n, bc.threshold(),
                        e.sourceIp(), aligned(t), n + " calls in " + span(bc.windowSeconds()) + " from blacklisted "
                                + e.sourceIp() + " " + e.blacklists() + ", latest by user " + key + " to "
                                + e.calledNumber());
            }
        }
    }

    /** The OpenSIPS part of check_fraud: update the user+prefix counters and test four thresholds. */
    private RuleCounters countCall(UserState u, FraudRule rule, long local, long sec, String calledNumber) {
        RuleCounters rc = u.counters.get(rule.prefix());
        if (rc == null) {
            rc = new RuleCounters(rule.prefix());
            u.counters.put(rule.prefix(), rc);
        }
        long start = rule.intervalStart(local);
        if (rc.rule == null || rc.rule.ruleId() != rule.ruleId() || rc.intervalStartLocal != start) {
            rc.totalCalls = 0; // a new rule or a new interval (day): OpenSIPS starts over
            rc.sequentialCalls = 0;
            rc.lastNumber = null;
            rc.intervalStartLocal = start;
            rc.intervalStartMicros = clock.toUtc(start, sec) * MICROS;
            rc.intervalEndMicros = rc.intervalStartMicros + rule.intervalSeconds() * MICROS;
        }
        rc.rule = rule;
        String number = calledNumber == null ? "" : calledNumber;
        if (number.equals(rc.lastNumber)) {
            rc.sequentialCalls++;
        } else {
            rc.lastNumber = number;
            rc.sequentialCalls = 1;
        }
        rc.totalCalls++;
        long cpm = rc.cpm.add(sec);
        rc.concurrentCalls++;

        long t = ctx.time;
        Severity s = rule.cpm().reached(cpm);
        if (s != null) {
            raise(AlertRule.CALLS_PER_MINUTE, AlertRule.CALLS_PER_MINUTE.code(), s, cpm, rule.cpm(), u.key, aligned(t),
                    "user " + u.key + " made " + cpm + " calls in the last 60 s to prefix '" + rule.prefix() + "'");
        }
        s = rule.totalCalls().reached(rc.totalCalls);
        if (s != null) {
            raise(AlertRule.TOTAL_CALLS, AlertRule.TOTAL_CALLS.code(), s, rc.totalCalls, rule.totalCalls(), u.key,
                    new long[]{rc.intervalStartMicros, rc.intervalEndMicros},
                    "user " + u.key + " made " + rc.totalCalls + " calls to prefix '" + rule.prefix() + "' in "
                            + rule.startHour() + "-" + rule.endHour() + " " + rule.daysOfWeek());
        }
        s = rule.concurrentCalls().reached(rc.concurrentCalls);
        if (s != null) {
            raise(AlertRule.CONCURRENT_CALLS, AlertRule.CONCURRENT_CALLS.code(), s, rc.concurrentCalls,
                    rule.concurrentCalls(), u.key, aligned(t),
                    "user " + u.key + " has " + rc.concurrentCalls + " concurrent calls to prefix '" + rule.prefix() + "'");
        }
        s = rule.sequentialCalls().reached(rc.sequentialCalls);
        if (s != null) {
            raise(AlertRule.SEQUENTIAL_CALLS, AlertRule.SEQUENTIAL_CALLS.code(), s, rc.sequentialCalls,
                    rule.sequentialCalls(), u.key, aligned(t),
                    "user " + u.key + " called " + number + " " + rc.sequentialCalls + " times in a row");
        }
        return rc;
    }

    private void callAnswered(CallAnswered e) {
        callsAnswered++;
        LiveCall c = calls.get(e.callId());
        if (c == null) {
            unknownCalls++;
            return;
        }
        if (c.answered()) {
            return; // a retransmitted or forked 200
        }
        c.answeredMicros = Math.max(e.timeMicros(), c.startedMicros);
        UserState u = c.user;
        if (u != null) {
            u.lastActivityMicros = Math.max(u.lastActivityMicros, e.timeMicros());
            if (c.ratePerMinute > 0 && config.checks().costBurn().active()) {
                u.rateSum += c.ratePerMinute;
                u.rateStartSum += c.ratePerMinute * (c.answeredMicros / (double) MICROS);
                u.ratedCalls++;
                c.rated = true;
                ratedUsers.add(u);
            }
        }
        schedule(c);
    }

    private void callEnded(CallEnded e) {
        callsEnded++;
        LiveCall c = calls.remove(e.callId());
        if (c == null) {
            unknownCalls++;
            return;
        }
        deadlines.remove(c);
        release(c);
        long t = Math.max(e.timeMicros(), c.startedMicros);
        UserState u = c.user;
        ctx.set(t, u == null ? null : u.key, c.calledNumber, u == null ? -1 : u.profile,
                c.rule == null ? -1 : c.rule.ruleId(), c.callId, c.sourceIp);
        if (u == null) {
            return;
        }
        u.lastActivityMicros = Math.max(u.lastActivityMicros, t);
        Checks ck = config.checks();
        long duration = 0;
        if (e.answered()) {
            duration = e.durationSeconds() >= 0 ? e.durationSeconds()
                    : c.answered() ? (t - c.answeredMicros) / MICROS : 0;
            durationCheck(c, duration, t);
            irsfCheck(u, c, duration, t, ck);
        }
        Checks.CostBurn cb = ck.costBurn();
        if (cb.active()) {
            long micros = -1;
            if (e.cost() != null) {
                if (cb.currency() == null || cb.currency().equalsIgnoreCase(e.currency())) {
                    micros = e.cost().movePointRight(6).setScale(0, RoundingMode.HALF_UP).longValueExact();
                } else {
                    costSkipped++;
                }
            } else if (e.answered() && c.ratePerMinute > 0) {
                micros = Math.round(c.ratePerMinute * duration / 60.0 * MICROS);
            }
            if (micros >= 0) {
                if (u.cost == null || u.cost.windowSeconds() != cb.windowSeconds()) {
                    u.cost = new SlidingSum(cb.windowSeconds());
                }
                u.cost.add(Math.floorDiv(t, MICROS), micros);
                costCheck(u, t);
            }
        }
    }

    /** A call leaves the live set: one concurrent call less (OpenSIPS: on end, failure or expiry). */
    private void release(LiveCall c) {
        if (c.counters != null && c.counters.concurrentCalls > 0) {
            c.counters.concurrentCalls--;
        }
        UserState u = c.user;
        if (u != null) {
            u.liveCalls--;
            if (c.rated) {
                c.rated = false;
                u.ratedCalls--;
                if (u.ratedCalls <= 0) {
                    u.ratedCalls = 0;
                    u.rateSum = 0; // no floating-point residue
                    u.rateStartSum = 0;
                    ratedUsers.remove(u);
                } else {
                    u.rateSum -= c.ratePerMinute;
                    u.rateStartSum -= c.ratePerMinute * (c.answeredMicros / (double) MICROS);
                }
            }
        }
    }

    private void expire(LiveCall c) {
        calls.remove(c.callId);
        deadlines.remove(c);
        release(c);
        expiredCalls++;
    }

    /** Next moment the call needs attention: a duration threshold or its timeout. */
    private void schedule(LiveCall c) {
        long d;
        if (!c.answered()) {
            d = c.startedMicros + config.limits().setupTimeoutSeconds() * MICROS;
        } else {
            d = c.answeredMicros + config.limits().callTimeoutSeconds() * MICROS;
            if (c.rule != null) { // only thresholds not yet checked: every deadline is later than the last
                Threshold th = c.rule.callDuration();
                long w = c.answeredMicros + (long) th.warning() * MICROS;
                long k = c.answeredMicros + (long) th.critical() * MICROS;
                if (th.warning() > 0 && c.durationRaised == null && w > c.durationCheckedMicros) {
                    d = Math.min(d, w);
                }
                if (th.critical() > 0 && c.durationRaised != Severity.CRITICAL && k > c.durationCheckedMicros) {
                    d = Math.min(d, k);
                }
            }
        }
        c.deadlineMicros = d;
        deadlines.update(c);
    }

    private void processDeadlines() {
        LiveCall c;
        while ((c = deadlines.peek()) != null && c.deadlineMicros <= now) {
            if (!c.answered()) {
                expire(c); // never answered, never ended: a lost CANCEL/final response
                continue;
            }
            UserState u = c.user;
            ctx.set(now, u == null ? null : u.key, c.calledNumber, u == null ? -1 : u.profile,
                    c.rule == null ? -1 : c.rule.ruleId(), c.callId, c.sourceIp);
            durationCheck(c, (now - c.answeredMicros) / MICROS, now);
            c.durationCheckedMicros = now;
            if (now >= c.answeredMicros + config.limits().callTimeoutSeconds() * MICROS) {
                expire(c); // a lost BYE: OpenSIPS' dialog expiry
                continue;
            }
            schedule(c);
        }
    }

    private void durationCheck(LiveCall c, long seconds, long t) {
        if (c.rule == null || c.user == null) {
            return;
        }
        Threshold th = c.rule.callDuration();
        Severity s = th.reached(seconds);
        if (s == null || (c.durationRaised != null && c.durationRaised.compareTo(s) >= 0)) {
            return; // each call raises each level once, whether seen live by tick() or at its end
        }
        c.durationRaised = s;
        raise(AlertRule.CALL_DURATION, AlertRule.CALL_DURATION.code(), s, seconds, th, c.user.key, aligned(t),
                "call " + c.callId + " of user " + c.user.key + " to " + c.calledNumber + " has lasted " + seconds + " s");
    }

    // ------------------------------------------------------------------ beyond OpenSIPS: user checks

    private void userAgentCheck(UserState u, String ua, Checks ck) {
        if (ua == null || ua.isEmpty()) {
            return;
        }
        Checks.Count c = ck.userAgentChange().count();
        if (c.active() && u.lastUserAgent != null && !u.lastUserAgent.equals(ua)) {
            u.userAgentChanges = window(u.userAgentChanges, c);
            int n = u.userAgentChanges.add(ctx.time);
            Severity s = c.threshold().reached(n);
            if (s != null) {
                raise(AlertRule.USER_AGENT_CHANGE, AlertRule.USER_AGENT_CHANGE.code(), s, n, c.threshold(), u.key,
                        aligned(ctx.time), "user " + u.key + " changed User-Agent " + n + " times in "
                                + span(c.windowSeconds()) + ", from '" + u.lastUserAgent + "' to '" + ua + "'");
            }
        }
        u.lastUserAgent = ua;
    }

    private void newCountryCheck(UserState u, String country, Checks ck) {
        if (country == null || country.isEmpty()) {
            return;
        }
        Checks.NewCountry nc = ck.newCountry();
        if (u.countries == null || u.countries.length != nc.lastCalls()) {
            u.countries = new String[nc.lastCalls()];
            u.countryNext = 0;
            u.countryCount = 0;
        }
        boolean seen = false;
        for (int i = 0; i < u.countryCount && !seen; i++) {
            seen = country.equalsIgnoreCase(u.countries[i]);
        }
        if (!seen && u.countryCount >= nc.minHistory() && nc.count().active()) {
            u.newCountries = window(u.newCountries, nc.count());
            int n = u.newCountries.add(ctx.time);
            Severity s = nc.count().threshold().reached(n);
            if (s != null) {
                raise(AlertRule.NEW_COUNTRY, AlertRule.NEW_COUNTRY.code(), s, n, nc.count().threshold(), u.key,
                        aligned(ctx.time), "user " + u.key + " called " + n + " new destination countries in "
                                + span(nc.count().windowSeconds()) + ", latest " + country + " (" + ctx.number
                                + ") not among the last " + u.countryCount + " calls");
            }
        }
        u.countries[u.countryNext] = country;
        u.countryNext = (u.countryNext + 1) % u.countries.length;
        if (u.countryCount < u.countries.length) {
            u.countryCount++;
        }
    }

    private void highRiskCheck(UserState u, CallStarted e, Checks ck) {
        Checks.HighRisk hr = ck.highRiskDestination();
        if (!hr.count().active() || !hr.destinations().matches(e.calledCountry(), e.calledNumber(), e.calledNumberType())) {
            return;
        }
        u.highRisk = window(u.highRisk, hr.count());
        int n = u.highRisk.add(ctx.time);
        Severity s = hr.count().threshold().reached(n);
        if (s != null) {
            raise(AlertRule.HIGH_RISK_DESTINATION, AlertRule.HIGH_RISK_DESTINATION.code(), s, n, hr.count().threshold(),
                    u.key, aligned(ctx.time), "user " + u.key + " made " + n + " calls to high-risk destinations in "
                            + span(hr.count().windowSeconds()) + ", latest " + e.calledNumber() + " ("
                            + e.calledCountry() + ", " + e.calledNumberType() + ")");
        }
    }

    private void irsfCheck(UserState u, LiveCall c, long duration, long t, Checks ck) {
        Checks.Irsf ir = ck.irsfShortCalls();
        if (!ir.count().active() || duration > ir.maxDurationSeconds()) {
            return;
        }
        Checks.Destinations d = ir.destinations().isEmpty() ? ck.highRiskDestination().destinations() : ir.destinations();
        if (!d.matches(c.calledCountry, c.calledNumber, c.calledNumberType)) {
            return;
        }
        u.irsf = window(u.irsf, ir.count());
        int n = u.irsf.add(t);
        Severity s = ir.count().threshold().reached(n);
        if (s != null) {
            raise(AlertRule.IRSF_SHORT_CALLS, AlertRule.IRSF_SHORT_CALLS.code(), s, n, ir.count().threshold(), u.key,
                    aligned(t), "user " + u.key + " made " + n + " answered calls of at most "
                            + ir.maxDurationSeconds() + " s to premium/high-risk destinations in "
                            + span(ir.count().windowSeconds()) + ", latest " + c.calledNumber + " (" + duration + " s)");
        }
    }

    private void costCheck(UserState u, long t) {
        Checks.CostBurn cb = config.checks().costBurn();
        long sec = Math.floorDiv(t, MICROS);
        double burned = (u.cost == null ? 0 : u.cost.sum(sec) / (double) MICROS) + u.liveEstimate(t / (double) MICROS);
        Severity s = cb.threshold().reached(burned);
        if (s != null) {
            String cur = cb.currency() == null ? "" : " " + cb.currency();
            raise(AlertRule.COST_BURN, AlertRule.COST_BURN.code(), s, round(burned), cb.threshold(), u.key, aligned(t),
                    "user " + u.key + " burned " + fmt(round(burned)) + cur + " in " + span(cb.windowSeconds())
                            + (u.ratedCalls > 0 ? " (" + u.ratedCalls + " rated calls still up, estimated)" : ""));
        }
    }

    private void checkEstimates() {
        Checks.CostBurn cb = config.checks().costBurn();
        if (!cb.active() || ratedUsers.isEmpty() || now < nextEstimateMicros) {
            return;
        }
        nextEstimateMicros = now + cb.estimateIntervalSeconds() * MICROS;
        for (UserState u : ratedUsers) {
            ctx.set(now, u.key, null, u.profile, -1, null, null);
            costCheck(u, now);
        }
    }

    // ------------------------------------------------------------------ beyond OpenSIPS: per source IP

    private void sip(SipSeen e) {
        sipSeen++;
        String ip = e.sourceIp();
        if (ip == null || ip.isEmpty()) {
            return;
        }
        long t = e.timeMicros();
        long sec = Math.floorDiv(t, MICROS);
        Checks ck = config.checks();
        SourceState s = source(ip, t);
        ctx.set(t, e.fromUser(), e.toUser(), -1, -1, e.callId(), ip);
        if (e.isRequest()) {
            Checks.Flood fl = ck.sipFlood();
            if (fl.enabled()) {
                String m = e.method();
                if ("REGISTER".equalsIgnoreCase(m) && fl.register().enabled()) {
                    s.register = counter(s.register, fl.windowSeconds());
                    flood(s, "REGISTER", s.register.add(sec), fl.register(), fl.windowSeconds());
                } else if ("INVITE".equalsIgnoreCase(m) && fl.invite().enabled()) {
                    s.invite = counter(s.invite, fl.windowSeconds());
                    flood(s, "INVITE", s.invite.add(sec), fl.invite(), fl.windowSeconds());
                } else if ("OPTIONS".equalsIgnoreCase(m) && fl.options().enabled()) {
                    s.options = counter(s.options, fl.windowSeconds());
                    flood(s, "OPTIONS", s.options.add(sec), fl.options(), fl.windowSeconds());
                }
            }
            Checks.Scanner sc = ck.scannerUserAgent();
            String pattern;
            if (sc.count().active() && (pattern = scannerPattern(e.userAgent(), sc.patterns())) != null) {
                s.scanner = window(s.scanner, sc.count());
                int n = s.scanner.add(t);
                Severity sev = sc.count().threshold().reached(n);
                if (sev != null) {
                    raise(AlertRule.SCANNER_USER_AGENT, AlertRule.SCANNER_USER_AGENT.code(), sev, n,
                            sc.count().threshold(), ip, aligned(t), ip + " sent " + n + " requests with the scanner User-Agent '"
                                    + e.userAgent() + "' (matches '" + pattern + "') in " + span(sc.count().windowSeconds())
                                    + ", latest " + e.method() + " from " + e.fromUser() + " to " + e.toUser());
                }
            }
        } else if (e.statusCode() >= 200) {
            Checks.AuthFailure af = ck.authFailureRatio();
            if (af.enabled() && af.threshold().enabled()) {
                s.finals = counter(s.finals, af.windowSeconds());
                s.failures = counter(s.failures, af.windowSeconds());
                long total = s.finals.add(sec);
                long failed = af.codes().contains(e.statusCode()) ? s.failures.add(sec) : s.failures.count(sec);
                if (total >= af.minSamples()) {
                    double ratio = failed / (double) total;
                    Severity sev = af.threshold().reached(ratio);
                    if (sev != null) {
                        raise(AlertRule.AUTH_FAILURE_RATIO, AlertRule.AUTH_FAILURE_RATIO.code(), sev, round(ratio),
                                af.threshold(), ip, aligned(t), fmt(Math.round(ratio * 1000) / 10.0)
                                        + "% of the final responses to " + ip + " in " + span(af.windowSeconds())
                                        + " are failures " + af.codes().stream().sorted().toList() + " (" + failed
                                        + " of " + total + ", latest " + e.statusCode() + ")");
                    }
                }
            }
        }
    }

    private void flood(SourceState s, String method, long n, Threshold th, long window) {
        Severity sev = th.reached(n);
        if (sev != null) {
            raise(AlertRule.SIP_FLOOD, method, sev, n, th, s.ip, aligned(ctx.time),
                    s.ip + " sent " + n + " " + method + " requests in " + span(window));
        }
    }

    /** The first configured pattern the User-Agent contains, case-insensitively, or null. */
    static String scannerPattern(String ua, List<String> patterns) {
        if (ua == null || ua.isEmpty()) {
            return null;
        }
        for (int p = 0; p < patterns.size(); p++) {
            String pat = patterns.get(p);
            int max = ua.length() - pat.length();
            for (int i = 0; i <= max; i++) {
                if (ua.regionMatches(true, i, pat, 0, pat.length())) {
                    return pat;
                }
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ alerts

    private long[] aligned(long t) {
        long w = config.limits().alertWindowSeconds() * MICROS;
        long start = Math.floorDiv(t, w) * w;
        return new long[]{start, start + w};
    }

    private void raise(AlertRule rule, String parameter, Severity s, double value, Threshold th, String subject,
                       long[] window, String what) {
        double level = th.level(s);
        StringBuilder msg = new StringBuilder(what.length() + 48).append(what).append(" (")
                .append(s.code()).append(" threshold ").append(fmt(level));
        if (ctx.ruleId >= 0) {
            msg.append(", rule ").append(ctx.ruleId);
        }
        if (ctx.profile >= 0 && !rule.perSource()) {
            msg.append(", profile ").append(ctx.profile);
        }
        msg.append(')');
        Integer profile = ctx.profile >= 0 && !rule.perSource() ? ctx.profile : null;
        Integer ruleId = ctx.ruleId >= 0 ? ctx.ruleId : null;
        Alert fresh = new Alert("-", ctx.time, ctx.time, rule, s, parameter, value, level, subject,
                ctx.user, ctx.number, profile,
                ruleId, ctx.callId, ctx.sourceIp, window[0], window[1], 1, msg.toString());
        alerts.hit(new AlertBook.Key(rule, parameter, subject, s, window[0]), fresh, outbox);
    }

    private Alert[] drain() {
        if (outbox.isEmpty()) {
            return NONE;
        }
        Alert[] out = outbox.toArray(NONE);
        outbox.clear();
        return out;
    }

    private void publish(Alert[] out) {
        for (Alert a : out) {
            alertsPublished.incrementAndGet();
            for (AlertListener l : listeners) {
                try {
                    l.onAlert(a);
                } catch (RuntimeException ex) {
                    long n = listenerErrors.incrementAndGet();
                    if (n <= 10 || Long.bitCount(n) == 1) { // don't flood the log
                        LOG.warn("alert listener {} failed ({} failures so far)", l, n, ex);
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ state housekeeping

    private void advance(long t) {
        refreshConfig();
        if (t > now) {
            now = t;
        }
        processDeadlines();
    }

    private void refreshConfig() {
        FraudConfig c = configSource.get();
        if (c == null) {
            c = config != null ? config : FraudConfig.defaults(); // nothing loaded yet
        }
        if (c != config) {
            config = c;
            configVersion++;
            if (clock == null || !clock.zone().equals(c.zone())) {
                clock = new ZoneClock(c.zone());
            }
            alerts.configure(c.limits().recentAlerts(), c.limits().maxOpenAlerts(),
                    c.limits().alertUpdateSeconds() * MICROS);
        }
    }

    private String userKey(String user, String domain) {
        if (user == null || user.isEmpty()) {
            return null;
        }
        return config.userAtDomain() && domain != null && !domain.isEmpty() ? user + '@' + domain : user;
    }

    private UserState user(String key, long t) {
        UserState u = users.get(key);
        if (u == null) {
            if (users.size() >= config.limits().maxUsers()) {
                Iterator<UserState> it = users.values().iterator();
                UserState eldest = it.next();
                it.remove();
                ratedUsers.remove(eldest);
                evictedUsers++;
            }
            u = new UserState(key);
            users.put(key, u);
        }
        u.lastActivityMicros = Math.max(u.lastActivityMicros, t);
        return u;
    }

    private int profileOf(UserState u, String user, String domain, String sourceIp) {
        if (u.profileGeneration != configVersion || !Objects.equals(u.profileSourceIp, sourceIp)) {
            u.profile = config.profiles().resolve(user, domain, sourceIp);
            u.profileGeneration = configVersion;
            u.profileSourceIp = sourceIp;
        }
        return u.profile;
    }

    private SourceState source(String ip, long t) {
        SourceState s = sources.get(ip);
        if (s == null) {
            if (sources.size() >= config.limits().maxSources()) {
                Iterator<SourceState> it = sources.values().iterator();
                it.next();
                it.remove();
                evictedSources++;
            }
            s = new SourceState(ip);
            sources.put(ip, s);
        }
        s.lastActivityMicros = Math.max(s.lastActivityMicros, t);
        return s;
    }

    /** Drops idle users, oldest activity first; users with a live call stay (moved to the back). */
    private void expireUsers() {
        long idle = config.limits().userIdleSeconds() * MICROS;
        for (int budget = users.size(); budget > 0 && !users.isEmpty(); budget--) {
            Map.Entry<String, UserState> eldest = users.entrySet().iterator().next();
            UserState u = eldest.getValue();
            if (now - u.lastActivityMicros < idle) {
                break;
            }
            if (u.liveCalls > 0) {
                users.get(u.key); // touch: to the back of the access order
                continue;
            }
            users.remove(u.key);
            expiredUsers++;
        }
    }

    private void expireSources() {
        long idle = config.limits().sourceIdleSeconds() * MICROS;
        while (!sources.isEmpty()) {
            SourceState s = sources.values().iterator().next();
            if (now - s.lastActivityMicros < idle) {
                break;
            }
            sources.remove(s.ip);
            expiredSources++;
        }
    }

    private static EventWindow window(EventWindow w, Checks.Count c) {
        int capacity = (int) Math.max(1, Math.ceil(c.threshold().max()));
        return w != null && w.fits(c.windowSeconds(), capacity) ? w : new EventWindow(c.windowSeconds(), capacity);
    }

    private static SlidingCounter counter(SlidingCounter c, long windowSeconds) {
        return c != null && c.windowSeconds() == windowSeconds ? c : new SlidingCounter(windowSeconds);
    }

    private static int count(EventWindow w) {
        return w == null ? 0 : w.size();
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }

    static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return BigDecimal.valueOf(v).setScale(4, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    static String span(long seconds) {
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + " d";
        }
        if (seconds % 3600 == 0) {
            return seconds / 3600 + " h";
        }
        if (seconds % 60 == 0 && seconds >= 120) {
            return seconds / 60 + " min";
        }
        return seconds + " s";
    }
}
