package io.hepstack.collector.correlate;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hepstack.enricher.number.NumberInfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Live calls across a restart. While a call is live its TDR carries {@code tdr.resume}, the facts
 * of the record that the rest of the document does not hold exactly (the caller's tag, the initial
 * CSeq, every event time in µs, the Via branches and early dialogs); the mapping does not index it.
 * After a restart (clean or a crash) the live TDRs are read back from Elasticsearch and
 * {@link #fromDocument rebuilt} into records, so that the BYE of a call that began before the
 * restart ends that call — right status, right duration, no orphan "bye" record. What the rebuilt
 * record does not hold (enrichment of the parties and addresses, the QoS so far) stays as the
 * stored document had it: each write of a resumed call is {@link #merge merged} over that document.
 */
final class ResumedCalls {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ResumedCalls() {
    }

    /** Writes {@code tdr.resume} for a live call (inside the {@code tdr} object). */
    static void write(JsonGenerator g, CallRecord c) throws IOException {
        g.writeObjectFieldStart("resume");
        g.writeNumberField("generation", c.generation);
        if (c.callerTag != null) {
            g.writeStringField("caller_tag", c.callerTag);
        }
        g.writeNumberField("initial_cseq", c.initialCseq);
        micros(g, "first", c.firstMicros);
        micros(g, "last", c.lastMicros);
        micros(g, "invite", c.inviteMicros);
        micros(g, "first_response", c.firstResponseMicros);
        micros(g, "first_provisional", c.firstProvisionalMicros);
        micros(g, "ringing", c.ringingMicros);
        micros(g, "answer", c.answerMicros);
        micros(g, "cancel", c.cancelMicros);
        g.writeArrayFieldStart("hops");
        for (String h : c.hops) {
            g.writeString(h);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("early_dialogs");
        for (String d : c.earlyDialogs) {
            g.writeString(d);
        }
        g.writeEndArray();
        media(g, "caller_media", c.caller.media);
        media(g, "callee_media", c.callee.media);
        g.writeEndObject();
    }

    /**
     * Rebuilds a live call from its stored TDR document ({@code _source}); null when the document
     * is not a live call written with {@code tdr.resume}.
     *
     * @param index the index the document was found in (its writes stay there)
     * @param clock the capture clock (µs) the record counts as last touched at when the document does not say
     */
    static CallRecord fromDocument(String index, ObjectNode source, int maxIds, long clock) {
        JsonNode tdr = source.path("tdr");
        JsonNode resume = tdr.path("resume");
        String callId = tdr.path("call_id").asText(null);
        if (!"call".equals(tdr.path("type").asText()) || tdr.path("final").asBoolean(true)
                || !resume.isObject() || callId == null) {
            return null;
        }
        long last = resume.path("last").asLong(clock);
        CallRecord c = new CallRecord(callId, resume.path("generation").asInt(1), last, maxIds);
        c.resumed = source.deepCopy();
        c.resumed.with("tdr").remove("resume");
        c.version = tdr.path("version").asLong(0);
        c.callerTag = resume.path("caller_tag").asText(null);
        c.initialCseq = resume.path("initial_cseq").asLong(-1);
        c.attempts = tdr.path("attempts").asInt(1);
        c.reinvites = tdr.path("reinvites").asInt(0);
        c.firstMicros = resume.path("first").asLong(Long.MAX_VALUE);
        c.lastMicros = last;
        c.touchedClock = last;
        c.inviteMicros = resume.path("invite").asLong(CallRecord.NONE);
        c.firstResponseMicros = resume.path("first_response").asLong(CallRecord.NONE);
        c.firstProvisionalMicros = resume.path("first_provisional").asLong(CallRecord.NONE);
        c.ringingMicros = resume.path("ringing").asLong(CallRecord.NONE);
        c.answerMicros = resume.path("answer").asLong(CallRecord.NONE);
        c.cancelMicros = resume.path("cancel").asLong(CallRecord.NONE);
        if (c.answerMicros != CallRecord.NONE) {
            c.answerCode = tdr.path("final_code").asInt(200);
            c.answerReason = tdr.path("final_reason").asText(null);
        }
        resume.path("hops").forEach(n -> c.hops.add(n.asText()));
        resume.path("early_dialogs").forEach(n -> c.earlyDialogs.add(n.asText()));
        c.requestUser = tdr.path("request_uri").path("user").asText(null);
        c.requestDomain = tdr.path("request_uri").path("domain").asText(null);
        c.leg = tdr.path("leg").asText(null);
        tdr.path("linked_call_ids").forEach(n -> c.linked.add(n.asText()));
        party(c.caller, tdr.path("caller"), resume.path("caller_media"));
        party(c.callee, tdr.path("callee"), resume.path("callee_media"));

        JsonNode m = tdr.path("messages");
        c.messages = m.path("count").asInt();
        c.sip = m.path("sip").asInt();
        c.retransmissions = m.path("retransmissions").asInt();
        c.rtcp = m.path("rtcp").asInt();
        c.logs = m.path("logs").asInt();
        // the stored lists are in capture order; their times are not stored: the resumed entries
        // keep their order and come before anything captured after the restart
        long t0 = c.firstMicros == Long.MAX_VALUE ? 0 : c.firstMicros;
        int i = 0;
        for (JsonNode n : m.path("ids")) {
            c.ids.add(n.asText(), t0 + i++, maxIds);
        }
        i = 0;
        for (JsonNode n : m.path("methods")) {
            c.methods.add(n.asText(), t0 + i++);
        }
        i = 0;
        for (JsonNode n : tdr.path("nodes")) {
            c.nodes.add(n.asText(), t0 + i++);
        }
        i = 0;
        for (JsonNode n : tdr.path("capture_ids")) {
            c.captureIds.add(n.asLong(), t0 + i++);
        }
        i = 0;
        for (JsonNode n : tdr.path("groups")) {
            c.groups.add(n.asText(), t0 + i++);
        }
        i = 0;
        for (JsonNode n : tdr.path("correlation_ids")) {
            c.correlationIds.add(n.asText(), t0 + i++);
        }
        c.index = index;
        // the call was announced to the later stages before the restart: not again
        c.startedNotified = true;
        c.answeredNotified = c.answered();
        return c;
    }

    /**
     * A write of a resumed call: the fresh document over the stored one, object by object (a
     * field the fresh document has wins, arrays are replaced whole), so what the rebuilt record
     * cannot know stays.
     */
    static byte[] merge(ObjectNode stored, byte[] fresh) {
        try {
            ObjectNode out = stored.deepCopy();
            deepMerge(out, (ObjectNode) MAPPER.readTree(fresh));
            return MAPPER.writeValueAsBytes(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deepMerge(ObjectNode into, ObjectNode from) {
        Iterator<Map.Entry<String, JsonNode>> it = from.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode old = into.get(e.getKey());
            if (old instanceof ObjectNode o && e.getValue() instanceof ObjectNode n) {
                deepMerge(o, n);
            } else {
                into.set(e.getKey(), e.getValue());
            }
        }
    }

    private static void party(Party p, JsonNode doc, JsonNode media) {
        p.user = doc.path("user").asText(null);
        p.domain = doc.path("domain").asText(null);
        p.display = doc.path("display").asText(null);
        p.pai = doc.path("pai").asText(null);
        p.ip = doc.path("ip").asText(null);
        p.port = doc.path("port").asInt(-1);
        p.userAgent = doc.path("user_agent").asText(null);
        JsonNode n = doc.path("number");
        if (n.isObject()) {
            p.number = new NumberInfo(p.user, null, n.path("e164").asText(null),
                    n.has("country_code") ? n.path("country_code").asInt() : null, n.path("region_code").asText(null),
                    n.path("type").asText(null), n.path("description").asText(null), n.path("carrier").asText(null),
                    n.path("valid").asBoolean(false));
        }
        if (media.isObject()) {
            List<String> codecs = new ArrayList<>();
            media.path("codecs").forEach(c -> codecs.add(c.asText()));
            p.media = new MediaDescription(media.path("ip").asText(), media.path("port").asInt(),
                    media.path("rtcp_port").asInt(), List.copyOf(codecs), media.path("voice").asText(null));
        }
    }

    private static void media(JsonGenerator g, String name, MediaDescription md) throws IOException {
        if (md == null) {
            return;
        }
        g.writeObjectFieldStart(name);
        g.writeStringField("ip", md.ip());
        g.writeNumberField("port", md.port());
        g.writeNumberField("rtcp_port", md.rtcpPort());
        g.writeArrayFieldStart("codecs");
        for (String c : md.codecs()) {
            g.writeString(c);
        }
        g.writeEndArray();
        if (md.voice() != null) {
            g.writeStringField("voice", md.voice());
        }
        g.writeEndObject();
    }

    private static void micros(JsonGenerator g, String name, long micros) throws IOException {
        if (micros != CallRecord.NONE && micros != Long.MIN_VALUE) {
            g.writeNumberField(name, micros);
        }
    }
}
