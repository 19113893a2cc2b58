package io.hepstack.collector.api.callview;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hepstack.collector.api.CallLoader;
import io.hepstack.collector.document.RawText;
import io.hepstack.collector.document.Timestamps;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The call view's answer (UI-CONTRACT.md "Call view") from a loaded call: legs with the rule that
 * linked each, the summary of the call's TDR, the ladder of {@link LadderLayout}, QoS per leg and
 * direction (media reports, else the TDR's per-leg figures) and the correlated log lines.
 */
public final class CallView {

    private final ObjectMapper mapper;
    private final Timestamps ts = new Timestamps();

    public CallView(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The ladder of a call (also what the images and the text export draw). */
    public static LadderLayout.Ladder ladder(CallLoader.CallData call, LadderLayout.Grouping grouping) {
        List<LadderMessage> in = new ArrayList<>(call.messages().size());
        call.messages().forEach(m -> in.add(LadderMessages.of(m)));
        return new LadderLayout(grouping, call.callIds()).layout(in);
    }

    /**
     * @param alerts the fraud alerts ({@code _source} of hep-alert-*) that name one of the call's Call-IDs
     */
    public ObjectNode build(CallLoader.CallData call, LadderLayout.Grouping grouping, List<JsonNode> alerts) {
        ObjectNode out = mapper.createObjectNode();
        out.put("call_id", call.callId());
        ArrayNode ids = out.putArray("call_ids");
        call.callIds().forEach(ids::add);
        out.set("legs", legs(call));
        out.set("summary", summary(call, alerts));
        LadderLayout.Ladder ladder = ladder(call, grouping);
        out.set("ladder", ladder(ladder));
        out.set("qos", qos(call, ladder));
        out.set("logs", logs(call));
        out.put("truncated", call.truncated());
        return out;
    }

    private JsonNode tdrOf(CallLoader.CallData call) {
        for (JsonNode t : call.tdrs()) {
            if (call.callId().equals(t.path("tdr").path("call_id").asText())) {
                return t;
            }
        }
        return call.tdrs().isEmpty() ? mapper.createObjectNode() : call.tdrs().get(0);
    }

    private ArrayNode legs(CallLoader.CallData call) {
        Map<String, String[]> why = new LinkedHashMap<>();
        for (JsonNode t : call.tdrs()) {
            for (JsonNode link : t.path("tdr").path("links")) {
                why.putIfAbsent(link.path("call_id").asText(), reason(link.path("rule").asText("")));
            }
        }
        ArrayNode legs = mapper.createArrayNode();
        for (int i = 0; i < call.callIds().size(); i++) {
            String id = call.callIds().get(i);
            ObjectNode l = legs.addObject();
            l.put("call_id", id);
            l.put("leg", i);
            String[] r = i == 0 ? new String[]{"self", null} : why.getOrDefault(id, new String[]{"linked", null});
            l.put("reason", r[0]);
            l.put("detail", r[1]);
        }
        return legs;
    }

    /** A correlator rule ({@code X-CID}, {@code hep-correlation-id}, {@code Session-ID}, another header) as the legend's reason and detail. */
    static String[] reason(String rule) {
        return switch (rule.toLowerCase(Locale.ROOT)) {
            case "x-cid" -> new String[]{"x-cid", rule};
            case "hep-correlation-id" -> new String[]{"correlation-id", "HEP correlation id"};
            case "session-id" -> new String[]{"session-id", rule};
            default -> new String[]{"header", rule};
        };
    }

    private ObjectNode summary(CallLoader.CallData call, List<JsonNode> alerts) {
        JsonNode doc = tdrOf(call);
        JsonNode tdr = doc.path("tdr");
        ObjectNode s = mapper.createObjectNode();
        s.put("type", tdr.path("type").asText(null));
        s.put("status", tdr.path("status").asText(null));
        copy(s, "final_code", tdr.path("final_code"));
        s.put("final_reason", tdr.path("final_reason").asText(null));
        time(s, "start", tdr.path("start"));
        time(s, "answer", tdr.path("answer"));
        time(s, "end", tdr.path("end"));
        copy(s, "pdd_ms", tdr.path("setup_ms"));
        copy(s, "ring_ms", tdr.path("ring_ms"));
        copy(s, "duration_ms", tdr.path("duration_ms"));
        s.set("caller", party(tdr.path("caller"), doc.path("source")));
        s.set("callee", party(tdr.path("callee"), doc.path("destination")));
        Set<String> uas = new LinkedHashSet<>();
        Set<String> codecs = new LinkedHashSet<>();
        for (JsonNode t : call.tdrs()) {
            for (String side : List.of("caller", "callee")) {
                JsonNode p = t.path("tdr").path(side);
                if (p.hasNonNull("user_agent")) {
                    uas.add(p.path("user_agent").asText());
                }
                p.path("media").path("codecs").forEach(c -> codecs.add(c.asText()));
            }
        }
        ArrayNode ua = s.putArray("user_agents");
        uas.forEach(ua::add);
        ArrayNode cs = s.putArray("codecs");
        codecs.forEach(cs::add);
        JsonNode rating = doc.path("rating");
        copy(s, "cost", rating.path("cost"));
        copy(s, "rate", rating.path("rate"));
        s.put("currency", rating.path("currency").asText(null));
        s.put("destination", rating.path("destination").asText(null));
        ArrayNode blacklist = s.putArray("blacklist");
        for (String side : List.of("source", "destination")) {
            JsonNode b = doc.path(side).path("blacklist");
            if (b.path("hit").asBoolean(false)) {
                ObjectNode hit = blacklist.addObject();
                hit.put("side", side);
                hit.put("ip", doc.path(side).path("ip").asText(null));
                hit.set("lists", b.path("lists"));
                hit.set("categories", b.path("categories"));
            }
        }
        ArrayNode al = s.putArray("alerts");
        for (JsonNode a : alerts) {
            JsonNode alert = a.path("alert");
            ObjectNode o = al.addObject();
            time(o, "time", a.path("@timestamp"));
            o.put("rule", alert.path("rule").asText(null));
            o.put("severity", alert.path("severity").asText(null));
            o.put("summary", alert.path("message").asText(a.path("message").asText(null)));
            o.put("call_id", alert.path("call_id").asText(null));
        }
        return s;
    }

    private ObjectNode party(JsonNode p, JsonNode endpoint) {
        ObjectNode o = mapper.createObjectNode();
        o.put("user", p.path("user").asText(null));
        o.put("display", p.path("display").asText(null));
        o.put("domain", p.path("domain").asText(null));
        o.put("ip", p.path("ip").asText(endpoint.path("ip").asText(null)));
        copy(o, "port", p.path("port"));
        o.put("user_agent", p.path("user_agent").asText(null));
        o.set("e164", p.path("number").isMissingNode() ? null : p.path("number"));
        o.set("geo", endpoint.path("geo").isMissingNode() ? null : endpoint.path("geo"));
        o.set("as", endpoint.path("as").isMissingNode() ? null : endpoint.path("as"));
        return o;
    }

    private ObjectNode ladder(LadderLayout.Ladder l) {
        ObjectNode o = mapper.createObjectNode();
        ArrayNode cols = o.putArray("columns");
        for (LadderLayout.Column c : l.columns()) {
            ObjectNode col = cols.addObject();
            col.put("id", c.id());
            col.put("label", c.label());
            col.put("ip", c.ip());
            if (c.port() >= 0) {
                col.put("port", c.port());
            } else {
                col.putNull("port");
            }
            col.put("node", c.node());
        }
        ArrayNode rows = o.putArray("rows");
        for (LadderLayout.Row r : l.rows()) {
            ObjectNode row = rows.addObject();
            row.put("id", r.id());
            row.put("index", r.index());
            row.put("kind", r.kind());
            row.put("time", ts.iso(r.micros()));
            row.put("delta_us", r.deltaUs());
            row.put("from", r.from());
            row.put("to", r.to());
            row.put("self_loop", r.selfLoop());
            row.put("label", r.label());
            row.put("leg", r.leg());
            row.put("call_id", r.callId());
            row.put("method", r.method());
            if (r.code() > 0) {
                row.put("code", r.code());
            } else {
                row.putNull("code");
            }
            row.put("status_class", r.statusClass());
            row.put("retransmission", r.retransmission());
            row.put("copy_of", r.copyOf());
            number(row, "mos", r.mos());
            number(row, "jitter_ms", r.jitterMs());
            number(row, "loss_pct", r.lossPct());
        }
        return o;
    }

    private ObjectNode qos(CallLoader.CallData call, LadderLayout.Ladder ladder) {
        ObjectNode q = mapper.createObjectNode();
        ArrayNode legs = q.putArray("legs");
        Map<String, ArrayNode> byDirection = new LinkedHashMap<>();
        Map<String, Integer> legOf = new LinkedHashMap<>();
        Map<String, JsonNode> sources = new LinkedHashMap<>();
        call.messages().forEach(m -> sources.put(m.id(), m.source()));
        Map<String, String> labels = new LinkedHashMap<>();
        ladder.columns().forEach(c -> labels.put(c.id(), c.label()));
        for (LadderLayout.Row r : ladder.rows()) {
            if (!("rtcp".equals(r.kind()) || "qos".equals(r.kind())) || Double.isNaN(r.mos()) && Double.isNaN(r.jitterMs())
                    && Double.isNaN(r.lossPct())) {
                continue;
            }
            String dir = labels.get(r.from()) + " → " + labels.get(r.to());
            String key = r.leg() + "|" + dir;
            legOf.put(key, r.leg());
            ObjectNode p = byDirection.computeIfAbsent(key, k -> mapper.createArrayNode()).addObject();
            p.put("time", ts.iso(r.micros()));
            number(p, "mos", r.mos());
            number(p, "jitter_ms", r.jitterMs());
            number(p, "loss_pct", r.lossPct());
            number(p, "rtt_ms", LadderMessages.number(sources.get(r.id()).path("qos").path("rtt_ms")));
        }
        byDirection.forEach((key, points) -> {
            ObjectNode leg = legs.addObject();
            leg.put("leg", legOf.get(key));
            leg.put("direction", key.substring(key.indexOf('|') + 1));
            leg.put("source", "reports");
            leg.set("points", points);
            leg.set("worst", aggregate(points, true));
            leg.set("avg", aggregate(points, false));
        });
        if (legs.isEmpty()) {
            // no reports stored, but the TDRs may carry per-leg figures (e.g. from HEP-carried MOS)
            for (int i = 0; i < call.callIds().size(); i++) {
                String id = call.callIds().get(i);
                for (JsonNode t : call.tdrs()) {
                    if (!id.equals(t.path("tdr").path("call_id").asText())) {
                        continue;
                    }
                    for (String side : List.of("a_leg", "b_leg")) {
                        JsonNode f = t.path("qos").path(side);
                        if (f.isMissingNode()) {
                            continue;
                        }
                        ObjectNode leg = legs.addObject();
                        leg.put("leg", i);
                        leg.put("direction", side.equals("a_leg") ? "caller's stream" : "callee's stream");
                        leg.put("source", "tdr");
                        leg.putArray("points");
                        ObjectNode worst = leg.putObject("worst");
                        copy(worst, "mos", f.path("mos_min"));
                        copy(worst, "jitter_ms", f.path("jitter_ms_max"));
                        copy(worst, "loss_pct", f.path("loss_pct_max"));
                        copy(worst, "rtt_ms", f.path("rtt_ms_max"));
                        ObjectNode avg = leg.putObject("avg");
                        copy(avg, "mos", f.has("mos_avg") ? f.path("mos_avg") : f.path("mos"));
                        copy(avg, "jitter_ms", f.has("jitter_ms_avg") ? f.path("jitter_ms_avg") : f.path("jitter_ms"));
                        copy(avg, "loss_pct", f.path("loss_pct"));
                        copy(avg, "rtt_ms", f.has("rtt_ms_avg") ? f.path("rtt_ms_avg") : f.path("rtt_ms"));
                    }
                }
            }
        }
        q.put("none", legs.isEmpty());
        return q;
    }

    /** Worst (lowest MOS, highest jitter/loss/RTT) or mean of each measure over the points that have it. */
    private ObjectNode aggregate(ArrayNode points, boolean worst) {
        ObjectNode o = mapper.createObjectNode();
        for (String f : List.of("mos", "jitter_ms", "loss_pct", "rtt_ms")) {
            double acc = Double.NaN;
            double sum = 0;
            int n = 0;
            for (JsonNode p : points) {
                if (!p.path(f).isNumber()) {
                    continue;
                }
                double v = p.path(f).asDouble();
                sum += v;
                n++;
                boolean better = f.equals("mos") ? v < acc : v > acc;
                if (Double.isNaN(acc) || better) {
                    acc = v;
                }
            }
            number(o, f, n == 0 ? Double.NaN : worst ? acc : Math.round(sum / n * 1000) / 1000.0);
        }
        return o;
    }

    private ArrayNode logs(CallLoader.CallData call) {
        ArrayNode logs = mapper.createArrayNode();
        for (CallLoader.Message m : call.messages()) {
            JsonNode s = m.source();
            if (!"log".equals(LadderMessages.kind(io.hepstack.collector.api.search.ResultRows.protocol(s), s))) {
                continue;
            }
            ObjectNode l = logs.addObject();
            l.put("time", ts.iso(m.micros()));
            l.put("level", s.path("log").path("level").asText(null));
            l.put("host", s.path("host").path("name").asText(s.path("source").path("ip").asText(null)));
            String text = s.path("message").asText(null);
            l.put("message", text != null ? text : RawText.original(s));
            l.put("index", m.hit().path("_index").asText());
            l.put("id", m.id());
        }
        return logs;
    }

    private void time(ObjectNode o, String name, JsonNode iso) {
        long us = io.hepstack.collector.api.TimeParam.micros(iso.asText(null));
        o.put(name, us == Long.MIN_VALUE ? null : ts.iso(us));
    }

    private static void copy(ObjectNode o, String name, JsonNode v) {
        if (v.isNumber()) {
            o.set(name, v);
        } else {
            o.putNull(name);
        }
    }

    private static void number(ObjectNode o, String name, double v) {
        if (Double.isNaN(v)) {
            o.putNull(name);
        } else {
            o.put(name, v);
        }
    }
}
