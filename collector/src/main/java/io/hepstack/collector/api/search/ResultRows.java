package io.hepstack.collector.api.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hepstack.collector.api.MessageSummary;
import io.hepstack.collector.api.TimeParam;
import io.hepstack.collector.document.Timestamps;

import java.util.Map;

/**
 * One result row of each tier, as UI-CONTRACT.md "Search" names its fields, from a stored document
 * (a TDR of index-templates/component/hep-tdr.json, a message of hep-base/hep-sip/...). Times are
 * UTC ISO-8601 with microseconds; absent values are left out.
 */
public final class ResultRows {

    private final ObjectMapper mapper;
    private final Timestamps ts = new Timestamps();

    public ResultRows(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** A call row; {@code alerts}: how many fraud alerts name each Call-ID. */
    public ObjectNode call(JsonNode hit, Map<String, Long> alerts) {
        JsonNode s = hit.path("_source");
        JsonNode tdr = s.path("tdr");
        ObjectNode r = mapper.createObjectNode();
        String callId = tdr.path("call_id").asText();
        r.put("call_id", callId);
        r.put("type", tdr.path("type").asText(null));
        time(r, "start", tdr.path("start").asText(null));
        time(r, "end", tdr.path("end").asText(null));
        r.put("status", tdr.path("status").asText(null));
        copyNumber(r, "final_code", tdr.path("final_code"));
        r.put("final_reason", tdr.path("final_reason").asText(null));
        r.put("caller", party(tdr.path("caller")));
        r.put("callee", party(tdr.path("callee")));
        r.put("src_ip", s.path("source").path("ip").asText(tdr.path("caller").path("ip").asText(null)));
        r.put("dst_ip", s.path("destination").path("ip").asText(tdr.path("callee").path("ip").asText(null)));
        r.put("caller_country", country(s.path("source"), tdr.path("caller")));
        r.put("callee_country", country(s.path("destination"), tdr.path("callee")));
        copyNumber(r, "duration_ms", tdr.path("duration_ms"));
        copyNumber(r, "pdd_ms", tdr.path("setup_ms"));
        copyNumber(r, "mos", s.path("qos").path("mos"));
        copyNumber(r, "cost", s.path("rating").path("cost"));
        r.put("currency", s.path("rating").path("currency").asText(null));
        r.put("node", s.path("hep").path("node").asText(null));
        r.put("user_agent", s.path("user_agent").path("original").asText(tdr.path("caller").path("user_agent").asText(null)));
        r.put("alerts", alerts.getOrDefault(callId, 0L));
        r.put("legs", Math.max(1, tdr.path("call_ids").size()));
        return r;
    }

    /** A message row. */
    public ObjectNode message(JsonNode hit) {
        JsonNode s = hit.path("_source");
        ObjectNode r = mapper.createObjectNode();
        r.put("id", hit.path("_id").asText());
        r.put("index", hit.path("_index").asText());
        time(r, "time", s.path("@timestamp").asText(null));
        String protocol = protocol(s);
        r.put("protocol", protocol);
        endpoint(r, "src", s.path("source"));
        endpoint(r, "dst", s.path("destination"));
        r.put("call_id", callId(s));
        JsonNode sip = s.path("sip");
        r.put("method", sip.path("method").asText(sip.path("cseq").path("method").asText(null)));
        copyNumber(r, "code", sip.path("code"));
        r.put("summary", MessageSummary.summary(protocol, s));
        r.put("node", s.path("hep").path("node").asText(null));
        copyNumber(r, "capture_id", s.path("hep").path("capture_id"));
        r.put("country_src", s.path("source").path("geo").path("country_iso_code").asText(null));
        r.put("country_dst", s.path("destination").path("geo").path("country_iso_code").asText(null));
        return r;
    }

    /** {@code sip}, {@code rtcp}, {@code log}, ... from {@code event.dataset}. */
    public static String protocol(JsonNode s) {
        String dataset = s.path("event").path("dataset").asText("");
        return dataset.startsWith("hep.") ? dataset.substring(4) : s.path("network").path("protocol").asText("other");
    }

    /** The call a message belongs to: its SIP Call-ID, else the correlated call, else the HEP correlation id. */
    public static String callId(JsonNode s) {
        String id = s.path("sip").path("call_id").asText(null);
        if (id == null) {
            id = s.path("call").path("id").asText(null);
        }
        return id != null ? id : s.path("hep").path("correlation_id").asText(null);
    }

    private void time(ObjectNode r, String name, String iso) {
        long us = TimeParam.micros(iso);
        r.put(name, us == Long.MIN_VALUE ? iso : ts.iso(us));
    }

    private static String party(JsonNode p) {
        String e164 = p.path("number").path("e164").asText(null);
        return e164 != null ? e164 : p.path("user").asText(null);
    }

    private static String country(JsonNode endpoint, JsonNode party) {
        String c = endpoint.path("geo").path("country_iso_code").asText(null);
        return c != null ? c : party.path("number").path("region_code").asText(null);
    }

    private static void copyNumber(ObjectNode r, String name, JsonNode v) {
        if (v.isNumber()) {
            r.set(name, v);
        } else if (v.isTextual()) {
            try {
                r.put(name, new java.math.BigDecimal(v.asText()));
            } catch (NumberFormatException e) {
                // not a number: left out
            }
        }
    }

    private void endpoint(ObjectNode r, String name, JsonNode e) {
        ObjectNode o = r.putObject(name);
        o.put("ip", e.path("ip").asText(null));
        if (e.path("port").isNumber()) {
            o.put("port", e.path("port").asInt());
        } else {
            o.putNull("port");
        }
    }
}
