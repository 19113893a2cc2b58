package io.hepstack.collector.fraud;

import io.hepstack.collector.fraud.rules.FraudConfig;
import io.hepstack.collector.fraud.rules.FraudRule;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fraud engine's live state as plain values, so that a clean stop can save it and the next start
 * take it back ({@link FraudCheckpoint} writes it as JSON): every user's counters (OpenSIPS counters
 * per prefix with their 60 s window, User-Agent, destination-country history, windows of the
 * beyond-OpenSIPS checks, money burned), every source's flood and scanner windows, the live calls,
 * the open alerts (so an alert raised before the restart is updated after it, not raised again) and
 * the recent ones, and the engine's clock. Windows keep their times: after a restart what is older
 * than its window drops out as the capture clock moves on, exactly as without the restart.
 *
 * <p>Not kept: what follows from the rest (call deadlines, the running-cost sums of rated calls —
 * recomputed on restore) and the engine's event counters (metrics start at zero
 * with the process). Rules are referred to by id: a counter whose rule is gone, or now has another
 * prefix, starts its interval over at its next call, as after a rules reload.
 *
 * @param nowMicros the engine's clock when saved
 * @param users     users in least-recently-active order; {@code tracked == false} for users a live
 *                  call still refers to after they were evicted
 */
record FraudSnapshot(long nowMicros, List<User> users, List<Source> sources, List<Call> calls,
                     List<AlertBook.Saved> openAlerts, List<Alert> recentAlerts) {

    /** A {@link SlidingSum}: its newest bucket and the buckets in ring order. */
    record Sum(long windowSeconds, long head, long[] buckets) {
        static Sum of(SlidingSum s) {
            return s == null ? null : new Sum(s.windowSeconds(), s.head(), s.buckets());
        }

        static Sum of(SlidingCounter c) {
            return c == null ? null : of(c.sum());
        }

        SlidingSum sum() {
            return SlidingSum.restore(windowSeconds, head, buckets);
        }

        static SlidingCounter counter(Sum s) {
            return s == null ? null : new SlidingCounter(s.sum());
        }

        static SlidingSum sum(Sum s) {
            return s == null ? null : s.sum();
        }
    }

    /** An {@link EventWindow}: its event times, oldest first. */
    record Window(long windowSeconds, int capacity, long newest, long[] times) {
        static Window of(EventWindow w) {
            return w == null ? null : new Window(w.windowSeconds(), w.capacity(), w.newest(), w.times());
        }

        static EventWindow window(Window w) {
            return w == null ? null : EventWindow.restore(w.windowSeconds, w.capacity, w.newest, w.times);
        }
    }

    /** {@link RuleCounters} of one prefix; {@code ruleId} null before the first counted call. */
    record Rule(String prefix, Integer ruleId, long intervalStartLocal, long intervalStartMicros,
                long intervalEndMicros, long callsPerMinute, long totalCalls, int concurrentCalls,
                int sequentialCalls, String lastNumber, Sum cpm) {
    }

    /** A {@link UserState}; countries oldest first, {@code countrySlots} the ring's size (0: none yet). */
    record User(String key, boolean tracked, long lastActivityMicros, int liveCalls, int profile,
                String profileSourceIp, List<Rule> rules,
                String lastUserAgent, Window userAgentChanges, int countrySlots, List<String> countries,
                Window newCountries, Window highRisk, Window irsf, Sum cost) {
    }

    /** A {@link SourceState}. */
    record Source(String ip, long lastActivityMicros, Sum register, Sum invite, Sum options, Sum finals,
                  Sum failures, Window scanner, Window blacklisted) {
    }

    /**
     * A {@link LiveCall}; {@code user} and {@code prefix} name its user and rule counters (null: none),
     * {@code userTracked} whether that user is the tracked one of that key or one evicted meanwhile.
     */
    record Call(String callId, String user, boolean userTracked, String prefix, Integer ruleId, long startedMicros,
                String calledNumber, String calledCountry, String calledNumberType, String sourceIp, Double ratePerMinute,
                long answeredMicros, Severity durationRaised, long durationCheckedMicros, boolean rated) {
    }

    // ------------------------------------------------------------------ save

    /** The state as it is; call under the engine's state lock. */
    static FraudSnapshot of(FraudState state, AlertBook alerts, long nowMicros) {
        Map<UserState, Boolean> users = new LinkedHashMap<>();
        for (UserState u : state.users.values()) {
            users.put(u, true);
        }
        List<Call> calls = new ArrayList<>(state.calls.size());
        for (LiveCall c : state.calls.values()) {
            if (c.user != null) {
                users.putIfAbsent(c.user, false); // evicted while its call is up
            }
            calls.add(new Call(c.callId, c.user == null ? null : c.user.key, users.get(c.user) == Boolean.TRUE,
                    c.counters == null ? null : c.counters.prefix, c.rule == null ? null : c.rule.ruleId(),
                    c.startedMicros, c.calledNumber, c.calledCountry, c.calledNumberType, c.sourceIp, Double.isNaN(c.ratePerMinute) ? null : c.ratePerMinute,
                    c.answeredMicros, c.durationRaised, c.durationCheckedMicros, c.rated));
        }
        List<User> savedUsers = new ArrayList<>(users.size());
        users.forEach((u, tracked) -> savedUsers.add(user(u, tracked)));
        List<Source> sources = new ArrayList<>(state.sources.size());
        for (SourceState s : state.sources.values()) {
            sources.add(new Source(s.ip, s.lastActivityMicros, Sum.of(s.register), Sum.of(s.invite), Sum.of(s.options),
                    Sum.of(s.finals), Sum.of(s.failures), Window.of(s.scanner), Window.of(s.blacklisted)));
        }
        return new FraudSnapshot(nowMicros, savedUsers, sources, calls, alerts.saveOpen(), alerts.saveRecent());
    }

    private static User user(UserState u, boolean tracked) {
        List<Rule> rules = new ArrayList<>(u.counters.size());
        for (RuleCounters rc : u.counters.values()) {
            rules.add(new Rule(rc.prefix, rc.rule == null ? null : rc.rule.ruleId(), rc.intervalStartLocal,
                    rc.intervalStartMicros, rc.intervalEndMicros, rc.callsPerMinute, rc.totalCalls, rc.concurrentCalls,
                    rc.sequentialCalls, rc.lastNumber, Sum.of(rc.cpm)));
        }
        List<String> countries = new ArrayList<>(u.countryCount);
        for (int i = 0; i < u.countryCount; i++) {
            countries.add(u.countries[Math.floorMod(u.countryNext - u.countryCount + i, u.countries.length)]);
        }
        return new User(u.key, tracked, u.lastActivityMicros, u.liveCalls, u.profile, u.profileSourceIp, rules,
                u.lastUserAgent,
                Window.of(u.userAgentChanges), u.countries == null ? 0 : u.countries.length, countries,
                Window.of(u.newCountries), Window.of(u.highRisk), Window.of(u.irsf), Sum.of(u.cost));
    }

    // ------------------------------------------------------------------ restore

    /**
     * Fills an empty {@code state} and {@code alerts} from this snapshot, resolving rules by id in
     * {@code config}. Everything is rebuilt before anything is installed, so a damaged snapshot
     * ({@link IllegalArgumentException}, {@link NullPointerException}) leaves both as they were.
     *
     * @return the live calls, for the engine to schedule (and to count in the running-cost estimate)
     */
    List<LiveCall> restoreInto(FraudState state, AlertBook alerts, FraudConfig config, long configVersion) {
        Map<Integer, FraudRule> rulesById = new HashMap<>();
        for (FraudRule r : config.rules().rules()) {
            rulesById.put(r.ruleId(), r);
        }
        LinkedHashMap<String, UserState> tracked = new LinkedHashMap<>();
        Map<String, UserState> evicted = new HashMap<>();
        for (User u : users) {
            UserState s = user(u, rulesById, configVersion);
            (u.tracked() ? tracked : evicted).put(s.key, s);
        }
        LinkedHashMap<String, SourceState> restoredSources = new LinkedHashMap<>();
        for (Source s : sources) {
            SourceState r = new SourceState(s.ip());
            r.lastActivityMicros = s.lastActivityMicros();
            r.register = Sum.counter(s.register());
            r.invite = Sum.counter(s.invite());
            r.options = Sum.counter(s.options());
            r.finals = Sum.counter(s.finals());
            r.failures = Sum.counter(s.failures());
            r.scanner = Window.window(s.scanner());
            r.blacklisted = Window.window(s.blacklisted());
            restoredSources.put(r.ip, r);
        }
        List<LiveCall> live = new ArrayList<>(calls.size());
        for (Call c : calls) {
            UserState u = c.user() == null ? null : (c.userTracked() ? tracked : evicted).get(c.user());
            if (c.user() != null && u == null) {
                throw new IllegalArgumentException("call " + c.callId() + " refers to user " + c.user() + ", not saved");
            }
            RuleCounters rc = u == null || c.prefix() == null ? null : u.counters.get(c.prefix());
            FraudRule rule = c.ruleId() == null ? null : sameRule(rulesById.get(c.ruleId()), c.prefix());
            LiveCall l = new LiveCall(c.callId(), u, rc, rule, c.startedMicros(), c.calledNumber(), c.calledCountry(),
                    c.calledNumberType(), c.sourceIp(), c.ratePerMinute() == null ? Double.NaN : c.ratePerMinute());
            l.answeredMicros = c.answeredMicros();
            l.durationRaised = c.durationRaised();
            l.durationCheckedMicros = c.durationCheckedMicros();
            l.rated = c.rated(); // counted again in the running-cost sums by the engine
            live.add(l);
        }
        AlertBook restoredAlerts = new AlertBook();
        restoredAlerts.restore(openAlerts, recentAlerts); // checks every alert before the real book is touched

        state.users.putAll(tracked);
        state.sources.putAll(restoredSources);
        for (LiveCall l : live) {
            state.calls.put(l.callId, l);
        }
        alerts.restore(openAlerts, recentAlerts);
        return live;
    }

    private static UserState user(User u, Map<Integer, FraudRule> rulesById, long configVersion) {
        UserState s = new UserState(u.key());
        s.lastActivityMicros = u.lastActivityMicros();
        s.liveCalls = u.liveCalls();
        s.profile = u.profile(); // as resolved before the stop; again at the next call from another address or rules reload
        s.profileSourceIp = u.profileSourceIp();
        s.profileGeneration = configVersion;
        for (Rule r : u.rules()) {
            RuleCounters rc = s.counters(r.prefix());
            rc.rule = r.ruleId() == null ? null : sameRule(rulesById.get(r.ruleId()), r.prefix());
            rc.intervalStartLocal = rc.rule == null ? Long.MIN_VALUE : r.intervalStartLocal(); // gone: starts over
            rc.intervalStartMicros = r.intervalStartMicros();
            rc.intervalEndMicros = r.intervalEndMicros();
            rc.callsPerMinute = r.callsPerMinute();
            rc.totalCalls = r.totalCalls();
            rc.concurrentCalls = r.concurrentCalls();
            rc.sequentialCalls = r.sequentialCalls();
            rc.lastNumber = r.lastNumber();
            if (r.cpm() != null) {
                SlidingSum cpm = r.cpm().sum();
                if (cpm.windowSeconds() != rc.cpm.windowSeconds()) {
                    throw new IllegalArgumentException("calls-per-minute window of " + cpm.windowSeconds() + " s");
                }
                rc.cpm = new SlidingCounter(cpm);
            }
        }
        s.lastUserAgent = u.lastUserAgent();
        s.userAgentChanges = Window.window(u.userAgentChanges());
        if (u.countrySlots() > 0) {
            if (u.countries().size() > u.countrySlots()) {
                throw new IllegalArgumentException(u.countries().size() + " countries in " + u.countrySlots() + " slots");
            }
            s.countries = u.countries().toArray(new String[u.countrySlots()]);
            s.countryCount = u.countries().size();
            s.countryNext = s.countryCount % u.countrySlots();
        }
        s.newCountries = Window.window(u.newCountries());
        s.highRisk = Window.window(u.highRisk());
        s.irsf = Window.window(u.irsf());
        s.cost = Sum.sum(u.cost());
        return s;
    }

    /** The rule with that id if it still has the prefix the counters were kept for, else null. */
    private static FraudRule sameRule(FraudRule r, String prefix) {
        return r != null && r.prefix().equals(prefix) ? r : null;
    }
}
