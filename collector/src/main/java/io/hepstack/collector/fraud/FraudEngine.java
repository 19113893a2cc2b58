package io.hepstack.collector.fraud;

import com.codahale.metrics.MetricRegistry;
import io.hepstack.collector.fraud.rules.Checks;
import io.hepstack.collector.fraud.rules.FraudConfig;
import io.hepstack.collector.fraud.rules.FraudRule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import static io.hepstack.collector.fraud.CheckSupport.MICROS;
import static io.hepstack.collector.fraud.CheckSupport.count;

/**
 * The real-time fraud engine: OpenSIPS fraud_detection counters per user and matched rule, plus
 * hepstack's own user, destination, cost and per-source scanner/flood checks. Raises de-duplicated
 * {@link Alert}s to {@link AlertListener}s.
 *
 * <p><b>Structure:</b> each detector is a {@link FraudCheck} (one class per alert rule) over the shared
 * {@link FraudState}; the engine keeps the clock and configuration, counts calls against the matched
 * OpenSIPS rule, runs the call lifecycle (deadlines, timeouts), expires idle state, hands each event to
 * the checks in a fixed order and publishes their alerts.
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
    private static final Alert[] NONE = new Alert[0];

    private final Supplier<FraudConfig> configSource;
    private final List<AlertListener> listeners;
    private final ReentrantLock feedLock = new ReentrantLock(); // one writer at a time, alerts published in order
    private final Object lock = new Object();                  // guards all state below

    private FraudConfig config;
    private long configVersion;
    private ZoneClock clock;
    private final FraudState state = new FraudState();
    private final AlertBook alerts = new AlertBook();
    private final ArrayList<Alert> outbox = new ArrayList<>();
    private final FraudContext ctx = new FraudContext(state, alerts, outbox);
    private final FraudCheck[] checks = {  // the order in which a single event raises its alerts
            new CallsPerMinuteCheck(),
            new TotalCallsCheck(),
            new ConcurrentCallsCheck(),
            new SequentialCallsCheck(),
            new CallDurationCheck(),
            new UserAgentChangeCheck(),
            new NewCountryCheck(),
            new HighRiskDestinationCheck(),
            new IrsfShortCallsCheck(),
            new CostBurnCheck(),
            new BlacklistedSourceCheck(),
            new SipFloodCheck(),
            new ScannerUserAgentCheck(),
            new AuthFailureRatioCheck(),
    };
    private long now = Long.MIN_VALUE;

    private long callsStarted;
    private long callsAnswered;
    private long callsEnded;
    private long sipSeen;
    private long ticks;
    private long unknownCalls;
    private long duplicateStarts;
    private final AtomicLong alertsPublished = new AtomicLong();
    private final AtomicLong listenerErrors = new AtomicLong();

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
                for (FraudCheck check : checks) {
                    check.tick(ctx);
                }
                alerts.closeUpTo(now, outbox);
                state.expireUsers(now, config.limits().userIdleSeconds() * MICROS);
                state.expireSources(now, config.limits().sourceIdleSeconds() * MICROS);
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
            UserState u = state.users.get(user);
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
                    alerts.updates(), alertsPublished.get(), state.users.size(), state.sources.size(),
                    state.calls.size(), alerts.openCount(), state.expiredUsers, state.evictedUsers,
                    state.expiredSources, state.evictedSources, state.expiredCalls, unknownCalls, duplicateStarts,
                    state.costSkipped, listenerErrors.get(), configVersion);
        }
    }

    /**
     * Publishes the engine's counters ({@link #metrics()}) in {@code registry} as gauges named
     * {@code prefix.*}: {@code calls.started}, {@code alerts.raised} (also per rule, e.g.
     * {@code alerts.raised.calls-per-minute}, and per rule and severity), {@code users.live}, ... one
     * for each {@link FraudMetrics} component. They are read on scrape from a snapshot (thread-safe,
     * no cost per event). Metrics of the same names already in the registry (e.g. of an engine this
     * one replaces) are replaced.
     *
     * @param prefix first part of the names, e.g. {@code "fraud"} (empty: none)
     * @return the names registered
     */
    public List<String> registerMetrics(MetricRegistry registry, String prefix) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(prefix, "prefix");
        return FraudEngineMetrics.register(registry, prefix, this::metrics);
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

    // ------------------------------------------------------------------ checkpoint

    /** The live state as it is now, for {@link FraudCheckpoint} to save at a clean stop. */
    FraudSnapshot checkpoint() {
        synchronized (lock) {
            return FraudSnapshot.of(state, alerts, now);
        }
    }

    /**
     * Takes back the state a clean stop saved: counters, windows, live calls and open alerts go on as
     * if there had been no restart (what is older than its window drops out as the clock moves on).
     * Only into an engine that has seen nothing yet; all or nothing.
     *
     * @throws IllegalStateException    when this engine has already seen events
     * @throws IllegalArgumentException when the snapshot does not hold together (a damaged checkpoint)
     */
    void restore(FraudSnapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        feedLock.lock();
        try {
            synchronized (lock) {
                if (now != Long.MIN_VALUE || !state.users.isEmpty() || !state.calls.isEmpty()) {
                    throw new IllegalStateException("a checkpoint is restored only into an engine that has seen nothing");
                }
                refreshConfig();
                List<LiveCall> live = snapshot.restoreInto(state, alerts, config, configVersion);
                now = snapshot.nowMicros();
                ctx.now(now);
                for (LiveCall c : live) {
                    boolean rated = c.rated && c.user != null;
                    c.rated = false;
                    if (rated) {
                        state.rate(c); // the user's running-cost sums
                    }
                    schedule(c);
                }
            }
        } finally {
            feedLock.unlock();
        }
    }

    // ------------------------------------------------------------------ call lifecycle

    private void callStarted(CallStarted e) {
        callsStarted++;
        if (state.calls.containsKey(e.callId())) {
            duplicateStarts++;
            return;
        }
        long t = e.timeMicros();
        long sec = Math.floorDiv(t, MICROS);
        String key = userKey(e.user(), e.domain());
        UserState u = key == null ? null : state.user(key, t, config.limits().maxUsers());
        RuleCounters rc = null;
        FraudRule rule = null;
        ctx.about(t, key, e.calledNumber(), -1, -1, e.callId(), e.sourceIp());
        if (u != null) {
            int profile = profileOf(u, e.user(), e.domain(), e.sourceIp());
            ctx.profile(profile);
            if (profile >= 0) {
                long local = clock.toLocal(sec);
                rule = config.rules().match(profile, e.calledNumber(), local);
                if (rule != null) {
                    ctx.ruleId(rule.ruleId());
                    rc = u.counters(rule.prefix());
                    rc.count(rule, local, sec, e.calledNumber(), clock);
                }
            }
        }
        Checks.CostBurn cb = config.checks().costBurn();
        double rate = e.ratePerMinute() != null ? e.ratePerMinute().doubleValue()
                : cb.ratePerMinute() != null ? cb.ratePerMinute().doubleValue() : Double.NaN;
        LiveCall c = new LiveCall(e.callId(), u, rc, rule, t, e.calledNumber(), e.calledCountry(),
                e.calledNumberType(), e.sourceIp(), rate);
        state.calls.put(e.callId(), c);
        if (u != null) {
            u.liveCalls++;
        }
        schedule(c);
        for (FraudCheck check : checks) {
            check.callStarted(e, c, ctx);
        }
    }

    private void callAnswered(CallAnswered e) {
        callsAnswered++;
        LiveCall c = state.calls.get(e.callId());
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
        }
        for (FraudCheck check : checks) {
            check.callAnswered(c, ctx);
        }
        schedule(c);
    }

    private void callEnded(CallEnded e) {
        callsEnded++;
        LiveCall c = state.end(e.callId());
        if (c == null) {
            unknownCalls++;
            return;
        }
        long t = Math.max(e.timeMicros(), c.startedMicros);
        UserState u = c.user;
        ctx.about(t, u == null ? null : u.key, c.calledNumber, u == null ? -1 : u.profile,
                c.rule == null ? -1 : c.rule.ruleId(), c.callId, c.sourceIp);
        if (u == null) {
            return;
        }
        u.lastActivityMicros = Math.max(u.lastActivityMicros, t);
        long duration = 0;
        if (e.answered()) {
            long onClock = (t - (c.answered() ? c.answeredMicros : c.startedMicros)) / MICROS;
            // the capture times' duration, but never longer than the engine's clock saw the call
            // (+1 s of rounding): a spoofed BYE dated 2106 must not make an 80-year call
            duration = e.durationSeconds() >= 0 ? Math.min(e.durationSeconds(), onClock + 1)
                    : c.answered() ? onClock : 0;
        }
        for (FraudCheck check : checks) {
            check.callEnded(e, c, duration, ctx);
        }
    }

    /** Next moment the call needs attention: a check's deadline (e.g. a duration threshold) or its timeout. */
    private void schedule(LiveCall c) {
        long d;
        if (!c.answered()) {
            d = c.startedMicros + config.limits().setupTimeoutSeconds() * MICROS;
        } else {
            d = c.answeredMicros + config.limits().callTimeoutSeconds() * MICROS;
            for (FraudCheck check : checks) {
                d = Math.min(d, check.nextCheckMicros(c));
            }
        }
        c.deadlineMicros = d;
        state.deadlines.update(c);
    }

    private void processDeadlines() {
        LiveCall c;
        while ((c = state.deadlines.peek()) != null && c.deadlineMicros <= now) {
            if (!c.answered()) {
                state.expire(c); // never answered, never ended: a lost CANCEL/final response
                continue;
            }
            UserState u = c.user;
            ctx.about(now, u == null ? null : u.key, c.calledNumber, u == null ? -1 : u.profile,
                    c.rule == null ? -1 : c.rule.ruleId(), c.callId, c.sourceIp);
            long seconds = (now - c.answeredMicros) / MICROS;
            for (FraudCheck check : checks) {
                check.callUp(c, seconds, ctx);
            }
            if (now >= c.answeredMicros + config.limits().callTimeoutSeconds() * MICROS) {
                state.expire(c); // a lost BYE: OpenSIPS' dialog expiry
                continue;
            }
            schedule(c);
        }
    }

    // ------------------------------------------------------------------ per source IP

    private void sip(SipSeen e) {
        sipSeen++;
        String ip = e.sourceIp();
        if (ip == null || ip.isEmpty()) {
            return;
        }
        long t = e.timeMicros();
        SourceState s = ctx.source(ip, t);
        ctx.about(t, e.fromUser(), e.toUser(), -1, -1, e.callId(), ip);
        for (FraudCheck check : checks) {
            check.sipSeen(e, s, ctx);
        }
    }

    /** The first configured pattern the User-Agent contains, case-insensitively, or null. */
    static String scannerPattern(String ua, List<String> patterns) {
        return ScannerUserAgentCheck.pattern(ua, patterns);
    }

    // ------------------------------------------------------------------ alerts

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
            ctx.now(t);
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
            ctx.config(c);
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

    private int profileOf(UserState u, String user, String domain, String sourceIp) {
        if (u.profileGeneration != configVersion || !Objects.equals(u.profileSourceIp, sourceIp)) {
            u.profile = config.profiles().resolve(user, domain, sourceIp);
            u.profileGeneration = configVersion;
            u.profileSourceIp = sourceIp;
        }
        return u.profile;
    }
}
