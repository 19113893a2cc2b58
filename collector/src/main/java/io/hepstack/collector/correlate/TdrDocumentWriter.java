package io.hepstack.collector.correlate;

import com.fasterxml.jackson.core.JsonGenerator;
import io.hepstack.collector.qos.LegQuality;
import io.hepstack.collector.document.EnrichmentFields;
import io.hepstack.collector.document.JsonDocument;
import io.hepstack.collector.document.Timestamps;
import io.hepstack.enricher.IpInfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.LongSupplier;

import static io.hepstack.collector.document.JsonDocument.num;
import static io.hepstack.collector.document.JsonDocument.str;

/**
 * The Elasticsearch document of a TDR, with the field names of index-templates/component/hep-tdr.json
 * (and hep-base for {@code source.*}, {@code destination.*}, {@code blacklist.*}, {@code hep.*}).
 * {@code @timestamp} is the start; times are ISO-8601 UTC with microseconds; durations in ms are
 * truncated, {@code *_s} are whole seconds (truncated). Not thread-safe: one per correlator.
 */
public final class TdrDocumentWriter {

    private final JsonDocument doc = new JsonDocument();
    private final Timestamps timestamps = new Timestamps();
    private final EnrichmentFields enrichment = new EnrichmentFields();
    private final LongSupplier wallMicros;

    TdrDocumentWriter(LongSupplier wallMicros) {
        this.wallMicros = wallMicros;
    }

    byte[] write(TdrRecord r) {
        return writeLent(r).toByteArray();
    }

    /** Writes the TDR of {@code r} and lends it ({@link JsonDocument#finish()}): no copy, valid until the next write. */
    JsonDocument writeLent(TdrRecord r) {
        try {
            JsonGenerator g = doc.begin();
            TdrStatus status = r.status();
            long start = r.startMicros();
            long end = r.endMicros();
            timestamps.writeIsoField(g, "@timestamp", start);
            g.writeObjectFieldStart("event");
            g.writeStringField("kind", "event");
            g.writeStringField("dataset", "hep.tdr");
            g.writeStringField("action", r.type);
            g.writeStringField("outcome", outcome(status));
            if (end >= 0 && end >= start) {
                g.writeNumberField("duration", (end - start) * 1000); // ECS: nanoseconds
            }
            g.writeEndObject();

            tdr(g, r, status, start, end);

            endpoint(g, "source", r.caller);
            endpoint(g, "destination", r.callee);
            enrichment.writeBlacklistSummary(g, r.caller.ipInfo, r.callee.ipInfo);
            if (r.caller.userAgent != null) {
                g.writeObjectFieldStart("user_agent");
                g.writeStringField("original", r.caller.userAgent);
                g.writeEndObject();
            }
            hep(g, r);
            if (r instanceof CallRecord c) {
                qos(g, c);
                enrichment.writeRating(g, c.rating);
                if (c.resumed != null) {
                    return doc.finish(ResumedCalls.merge(c.resumed, doc.finish().toByteArray()));
                }
            }
            return doc.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String outcome(TdrStatus st) {
        return switch (st) {
            case FINISHED, ANSWERED, SUCCESS -> "success";
            case INIT, TRYING, RINGING -> "unknown";
            default -> "failure";
        };
    }

    private void tdr(JsonGenerator g, TdrRecord r, TdrStatus status, long start, long end) throws IOException {
        g.writeObjectFieldStart("tdr");
        g.writeStringField("id", r.docId);
        g.writeStringField("type", r.type);
        g.writeStringField("status", status.name());
        g.writeBooleanField("final", status.ended());
        g.writeStringField("state", status.ended() ? "ended" : r.evicted ? "evicted" : "live");
        g.writeNumberField("version", r.version);
        g.writeStringField("call_id", r.callId);
        time(g, "start", start);
        time(g, "end", end);
        timestamps.writeIsoField(g, "updated", wallMicros.getAsLong());
        str(g, "ended_by", r.endedBy());
        if (r.reason != null) {
            g.writeObjectFieldStart("reason");
            str(g, "protocol", r.reason.protocol());
            num(g, "cause", r.reason.cause());
            str(g, "text", r.reason.text());
            g.writeEndObject();
        }
        if (r instanceof CallRecord c) {
            call(g, c);
        } else if (r instanceof TransactionRecord tx) {
            transaction(g, tx);
        }
        if (end >= 0 && end >= start) {
            g.writeNumberField("total_s", (end - start) / 1_000_000);
        }
        party(g, "caller", r.caller, true);
        party(g, "callee", r.callee, false);
        messages(g, r);
        strings(g, "nodes", r.nodes);
        if (!r.captureIds.isEmpty()) {
            g.writeArrayFieldStart("capture_ids");
            for (int i = 0; i < r.captureIds.size(); i++) {
                g.writeNumber(r.captureIds.get(i));
            }
            g.writeEndArray();
        }
        strings(g, "groups", r.groups);
        strings(g, "correlation_ids", r.correlationIds);
        if (r.authChallenges() > 0 || r instanceof TransactionRecord) {
            g.writeNumberField("auth_challenges", r.authChallenges());
        }
        g.writeEndObject();
    }

    private void call(JsonGenerator g, CallRecord c) throws IOException {
        g.writeArrayFieldStart("call_ids");
        g.writeString(c.callId);
        for (String linked : c.linked) {
            if (!linked.equals(c.callId)) {
                g.writeString(linked);
            }
        }
        g.writeEndArray();
        str(g, "leg", c.leg);
        strings(g, "linked_call_ids", c.linked);
        if (c.linkRules != null) {
            g.writeArrayFieldStart("links"); // which rule linked each leg (header, hep-correlation-id, Session-ID)
            for (String l : c.linkRules) {
                int space = l.indexOf(' ');
                g.writeStartObject();
                g.writeStringField("call_id", l.substring(0, space));
                g.writeStringField("rule", l.substring(space + 1));
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        time(g, "first_provisional", c.firstProvisionalMicros);
        time(g, "ringing", c.ringingMicros);
        time(g, "answer", c.answerMicros);
        num(g, "setup_ms", c.setupMs());
        num(g, "first_response_ms", CallRecord.between(c.inviteMicros, c.firstResponseMicros));
        num(g, "answer_ms", CallRecord.between(c.inviteMicros, c.answerMicros));
        num(g, "final_response_ms", c.finalResponseMs());
        num(g, "ring_ms", c.ringMs());
        long durMs = c.durationMs();
        if (durMs >= 0) {
            g.writeNumberField("duration_ms", durMs);
            g.writeNumberField("duration_s", durMs / 1000);
        }
        if (c.answered()) {
            g.writeNumberField("final_code", c.answerCode);
            str(g, "final_reason", c.answerReason);
        } else if (c.finalCode >= 0) {
            g.writeNumberField("final_code", c.finalCode);
            str(g, "final_reason", c.finalReason);
        }
        if (c.requestUser != null || c.requestDomain != null) {
            g.writeObjectFieldStart("request_uri");
            str(g, "user", c.requestUser);
            str(g, "domain", c.requestDomain);
            g.writeEndObject();
        }
        g.writeNumberField("hops", c.hops.size());
        g.writeNumberField("early_dialogs", c.earlyDialogs.size());
        g.writeNumberField("reinvites", c.reinvites);
        g.writeNumberField("attempts", Math.max(1, c.attempts));
        if (!c.ended()) {
            ResumedCalls.write(g, c);
        }
    }

    private void transaction(JsonGenerator g, TransactionRecord tx) throws IOException {
        strings(g, "call_ids", java.util.List.of(tx.callId));
        num(g, "first_response_ms", tx.firstResponseMs());
        num(g, "final_response_ms", tx.finalResponseMs());
        if (tx.finalCode >= 0) {
            g.writeNumberField("final_code", tx.finalCode);
            str(g, "final_reason", tx.finalReason);
        }
        g.writeNumberField("attempts", Math.max(1, tx.requests));
        if ("REGISTER".equals(tx.method)) {
            g.writeObjectFieldStart("registration");
            num(g, "expires", tx.expires);
            str(g, "contact", tx.contact);
            g.writeNumberField("auth_challenges", tx.authChallenges());
            g.writeEndObject();
        }
    }

    private void party(JsonGenerator g, String name, Party p, boolean caller) throws IOException {
        g.writeObjectFieldStart(name);
        str(g, "user", p.user);
        str(g, "domain", p.domain);
        str(g, "display", p.display);
        if (caller) {
            str(g, "pai", p.pai);
        }
        enrichment.writeNumber(g, p.number);
        str(g, "ip", p.ip);
        num(g, "port", p.port);
        str(g, "user_agent", p.userAgent);
        MediaDescription md = p.media;
        if (md != null) {
            g.writeObjectFieldStart("media");
            str(g, "ip", md.ip());
            num(g, "port", md.port());
            strings(g, "codecs", md.codecs());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void messages(JsonGenerator g, TdrRecord r) throws IOException {
        g.writeObjectFieldStart("messages");
        g.writeNumberField("count", r.messages);
        g.writeNumberField("sip", r.sip);
        g.writeNumberField("retransmissions", r.retransmissions);
        g.writeNumberField("rtcp", r.rtcp);
        g.writeNumberField("logs", r.logs);
        strings(g, "methods", r.methods);
        r.ids.write(g, "ids");
        g.writeEndObject();
    }

    private void endpoint(JsonGenerator g, String name, Party p) throws IOException {
        if (p.ip == null && p.ipInfo == null) {
            return;
        }
        g.writeObjectFieldStart(name);
        str(g, "ip", p.ip);
        num(g, "port", p.port);
        IpInfo info = p.ipInfo;
        enrichment.writeEndpoint(g, info);
        g.writeEndObject();
    }

    private static void hep(JsonGenerator g, TdrRecord r) throws IOException {
        if (r.nodes.isEmpty() && r.captureIds.isEmpty() && r.groups.isEmpty()) {
            return;
        }
        g.writeObjectFieldStart("hep");
        if (!r.captureIds.isEmpty()) {
            g.writeNumberField("capture_id", r.captureIds.get(0));
        }
        if (!r.nodes.isEmpty()) {
            g.writeStringField("node", r.nodes.first());
        }
        if (!r.groups.isEmpty()) {
            g.writeStringField("group", r.groups.first());
        }
        if (!r.correlationIds.isEmpty()) {
            g.writeStringField("correlation_id", r.correlationIds.first());
        }
        g.writeEndObject();
    }

    /**
     * {@code qos.a_leg.*} (the caller's stream), {@code qos.b_leg.*} (the callee's), and
     * {@code qos.mos}/{@code qos.r_factor}: the worse leg's mean; {@code qos.mos_min}: the worst report.
     */
    private static void qos(JsonGenerator g, CallRecord c) throws IOException {
        if (c.qos[0] == null && c.qos[1] == null) {
            return;
        }
        g.writeObjectFieldStart("qos");
        double mos = Double.NaN;
        double r = Double.NaN;
        double mosMin = Double.NaN;
        double rMin = Double.NaN;
        String[] names = {"a_leg", "b_leg"};
        for (int i = 0; i < 2; i++) {
            QosLeg leg = c.qos[i];
            if (leg == null) {
                continue;
            }
            LegQuality q = leg.accumulator.snapshot();
            if (q.reports() == 0) {
                continue;
            }
            mos = min(mos, q.mosAvg());
            r = min(r, q.rFactorAvg());
            mosMin = min(mosMin, q.mosMin());
            rMin = min(rMin, q.rFactorMin());
            g.writeObjectFieldStart(names[i]);
            q.forEachField(new LegQuality.Fields<IOException>() {
                @Override
                public void number(String name, long value) throws IOException {
                    g.writeNumberField(name, value);
                }

                @Override
                public void real(String name, double value) throws IOException {
                    g.writeNumberField(name, round(value));
                }

                @Override
                public void text(String name, String value) throws IOException {
                    if (value != null) {
                        g.writeStringField(name, value);
                    }
                }
            });
            str(g, "mos_source", leg.mosSource);
            num(g, "ssrc", leg.ssrc);
            g.writeEndObject();
        }
        if (!Double.isNaN(mos)) {
            g.writeNumberField("mos", round(mos));
        }
        if (!Double.isNaN(r)) {
            g.writeNumberField("r_factor", round(r));
        }
        if (!Double.isNaN(mosMin)) {
            g.writeNumberField("mos_min", round(mosMin));
        }
        if (!Double.isNaN(rMin)) {
            g.writeNumberField("r_factor_min", round(rMin));
        }
        g.writeEndObject();
    }

    private static double min(double acc, double v) {
        if (Double.isNaN(v)) {
            return acc;
        }
        return Double.isNaN(acc) ? v : Math.min(acc, v);
    }

    /** Four decimals: enough for MOS, R, ms and %, and stable in JSON. */
    private static double round(double v) {
        return Math.round(v * 10_000.0) / 10_000.0;
    }

    private void time(JsonGenerator g, String name, long micros) throws IOException {
        if (micros >= 0 && micros != Long.MAX_VALUE) {
            timestamps.writeIsoField(g, name, micros); // from its buffer, no String
        }
    }

    private static void strings(JsonGenerator g, String name, Iterable<String> values) throws IOException {
        if (values instanceof IndexedValues<String> indexed) { // most: by position, no iterator to ask whether there is one
            if (indexed.isEmpty()) {
                return;
            }
            g.writeArrayFieldStart(name);
            for (int i = 0; i < indexed.size(); i++) {
                g.writeString(indexed.get(i));
            }
            g.writeEndArray();
            return;
        }
        if (!values.iterator().hasNext()) {
            return;
        }
        g.writeArrayFieldStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }
}
