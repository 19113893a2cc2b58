package io.hepstack.collector.fraud;

import io.hepstack.collector.correlate.CallEvent;
import io.hepstack.collector.correlate.CallSummary;
import io.hepstack.collector.pipeline.Batch;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.PipelineEvent;
import io.hepstack.collector.pipeline.Stage;
import io.hepstack.collector.pipeline.StageContext;
import io.hepstack.collector.protocol.sip.NameAddress;
import io.hepstack.collector.protocol.sip.SipMessage;
import io.hepstack.enricher.IpInfo;
import io.hepstack.enricher.blacklist.BlacklistHit;
import io.hepstack.enricher.number.NumberInfo;
import io.hepstack.enricher.rating.Rating;
import org.slf4j.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Feeds the {@link FraudEngine}, in the order things happened: the correlator's
 * {@link CallEvent}s (started / answered / ended, priced by the rate stage) and a {@link SipSeen}
 * for every SIP message that is not a duplicate (a second capture point or a retransmission must
 * not count twice; without correlation every SIP message counts). Responses are attributed to
 * their destination, the requester. Gives the engine the capture clock on every tick, so
 * call-duration limits fire while calls are still up. Every time it gives is a state time
 * ({@link CapturedMessage#stateMicros()}, held near the wall clock in a live collector), never a
 * time a packet merely claims: a packet dated 2106 cannot move the engine's clock.
 *
 * <p>Mapping: user = caller (From) user, domain = From host, calledNumber = callee e.164 digits
 * (else the dialled user part when it is all digits), calledCountry = callee region code,
 * calledNumberType = callee number type, sourceIp = caller signalling address, userAgent = the
 * INVITE's, blacklists = lists holding the source address, captureNode = HEP node (else capture
 * id), ratePerMinute = the rate table's per-minute price when known; at the end the rated cost.
 *
 * <p>Alerts the engine raises meanwhile go onto the batch ({@link AlertsToBatch}) for the index
 * stage. Metrics: {@code fraud.*} (the engine's counters, registered by construction), {@code
 * fraud.feed.errors}.
 */
public final class FraudStage implements Stage {

    private final FraudEngine engine;
    private final AlertsToBatch alerts;
    private final com.codahale.metrics.Meter errors;
    private final Logger log;
    private final Batch.Visitor feed = new Batch.Visitor() {
        @Override
        public void message(CapturedMessage m) {
            if (m.parsed instanceof SipMessage s) {
                sipMessage(m, s);
            }
        }

        @Override
        public void event(PipelineEvent e) {
            event(e, null);
        }

        @Override
        public void event(PipelineEvent e, CapturedMessage cause) {
            if (e instanceof CallEvent c) {
                callEvent(c, cause);
            }
        }
    };
    /** The tick's or flush's time while its batch is fed (-1: none). */
    private long batchMicros = -1;

    /**
     * @param alerts the engine's listener that puts its alerts on the batch (for the index stage);
     *               null when alerts are stored some other way (benchmarks)
     */
    public FraudStage(StageContext context, FraudEngine engine, AlertsToBatch alerts) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.alerts = alerts;
        engine.registerMetrics(context.registry(), context.id()); // the engine's counters under fraud.*
        if (alerts != null) {
            context.gauge("alerts.dropped_waiting", alerts::dropped);
        }
        this.errors = context.meter("feed.errors");
        this.log = context.log();
    }

    @Override
    public void process(Batch batch) {
        batchMicros = batch.tickMicros();
        attach(batch);
        try {
            batch.forEachInOrder(feed);
        } finally {
            detach();
        }
    }

    @Override
    public void tick(long nowMicros, Batch batch) {
        attach(batch);
        try {
            engine.tick(nowMicros);
        } finally {
            detach();
        }
    }

    private void attach(Batch batch) {
        if (alerts != null) {
            alerts.into(batch);
        }
    }

    private void detach() {
        if (alerts != null) {
            alerts.detach();
        }
    }

    /**
     * The engine runs on state time (ingest/CaptureClock), not on the times the packets claim: an
     * event caused by a message happens at that message's state time, one of a tick at the tick's.
     * Offline replays set no state times, so there it is the capture time, as before.
     */
    private long stateTime(CapturedMessage cause, long captureMicros) {
        if (cause != null) {
            return cause.stateMicros();
        }
        if (batchMicros >= 0) {
            return batchMicros;
        }
        long now = engine.nowMicros();
        return now == Long.MIN_VALUE ? captureMicros : now; // flush: as late as the engine has seen
    }

    private void callEvent(CallEvent e, CapturedMessage cause) {
        try {
            CallSummary c = e.call();
            switch (e.type()) {
                case STARTED -> callStarted(c, e.rating(), stateTime(cause, c.startMicros()));
                case ANSWERED -> callAnswered(c, stateTime(cause, c.answerMicros()));
                case ENDED -> callEnded(c, e.rating(), stateTime(cause, c.endMicros()));
                case MEDIA_REPORT -> {
                }
            }
        } catch (RuntimeException ex) {
            failed(ex);
        }
    }

    private void callStarted(CallSummary c, Rating r, long at) {
        if (c.startMicros() < 0 || c.startMicros() == Long.MAX_VALUE || at < 0) {
            return;
        }
        NumberInfo callee = c.callee();
        CallStarted.Builder b = CallStarted.builder(c.callId(), at)
                .user(bounded(c.callerUser()))
                .domain(bounded(c.callerDomain()))
                .sourceIp(c.sourceIp())
                .userAgent(bounded(c.callerUserAgent()))
                .calledNumber(calledNumber(c))
                .calledCountry(callee == null ? null : callee.regionCode())
                .calledNumberType(callee == null ? null : callee.type())
                .blacklisted(blacklists(c.source()))
                .captureNode(c.node());
        if (r != null && r.ratePerMinute() != null && r.ratePerMinute().signum() >= 0) {
            b.ratePerMinute(r.ratePerMinute());
        }
        engine.onCallStarted(b.build());
    }

    private void callAnswered(CallSummary c, long at) {
        if (c.answerMicros() >= 0 && at >= 0) {
            engine.onCallAnswered(new CallAnswered(c.callId(), at));
        }
    }

    private void callEnded(CallSummary c, Rating r, long at) {
        long end = c.endMicros() >= 0 ? c.endMicros() : c.startMicros();
        if (end < 0 || end == Long.MAX_VALUE || at < 0) {
            return;
        }
        boolean rated = r != null && r.cost() != null && r.cost().signum() >= 0;
        engine.onCallEnded(new CallEnded(c.callId(), at, c.answered(), c.answered() ? c.durationSeconds() : 0,
                rated ? r.cost() : null, rated ? r.currency() : null));
    }

    private void sipMessage(CapturedMessage m, SipMessage s) {
        if (m.duplicate) {
            return;
        }
        try {
            long t = m.stateMicros();
            if (s.isRequest()) {
                engine.onSip(SipSeen.request(t, m.hep.srcIpText(), s.method(), s.userAgent(), user(s.from()), // UA whole: a scanner pattern may hide after any padding
                        user(s.to()), bounded(s.callId())));
            } else {
                int code = s.statusCode();
                if (code >= 100 && code <= 699) {
                    engine.onSip(SipSeen.response(t, m.hep.dstIpText(), code, s.callId()));
                }
            }
        } catch (RuntimeException ex) {
            failed(ex);
        }
    }

    private void failed(RuntimeException ex) {
        errors.mark();
        long n = errors.getCount();
        if (n <= 10 || n % 1000 == 0) { // a broken input stream must not flood the log
            log.warn("fraud engine failed on an event ({} so far): {}", n, ex.toString(), ex);
        }
    }

    public static String calledNumber(CallSummary c) {
        NumberInfo n = c.callee();
        if (n != null && n.digits() != null) {
            return n.digits();
        }
        String u = c.calleeUser();
        if (u == null || u.isEmpty()) {
            return null;
        }
        int start = u.charAt(0) == '+' ? 1 : 0;
        for (int i = start; i < u.length(); i++) {
            if (u.charAt(i) < '0' || u.charAt(i) > '9') {
                return null;
            }
        }
        return start == u.length() ? null : u.substring(start);
    }

    private static List<String> blacklists(IpInfo info) {
        if (info == null || !info.blacklisted()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(info.blacklists().size());
        for (BlacklistHit h : info.blacklists()) {
            if (!out.contains(h.list())) {
                out.add(h.list());
            }
        }
        return out;
    }

    private static String user(NameAddress na) {
        return na == null || na.uri() == null ? null : bounded(na.uri().user());
    }

    /** The longest text from a message the engine keeps or matches (user keys, user agents): senders choose them. */
    static final int MAX_TEXT = 256;

    private static String bounded(String s) {
        return s == null || s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT);
    }
}
