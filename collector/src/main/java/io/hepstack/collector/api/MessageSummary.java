package io.hepstack.collector.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hepstack.collector.document.LeanDefaults;
import io.hepstack.collector.document.RawText;
import io.hepstack.collector.document.Timestamps;

/**
 * One message of a call as the API shows it: {@code time} (UTC ISO-8601, microseconds),
 * {@code id}, {@code index}, {@code protocol} ({@code sip}, {@code rtcp}, {@code qos_report},
 * {@code log}, ...), {@code call_id}, {@code source}/{@code destination} ({@code ip}, {@code port}),
 * {@code capture_id}, {@code node}, {@code summary} (one line: "INVITE sip:bob@x", "200 OK (INVITE)",
 * "RTCP sr ssrc=… MOS 4.1", the first line of a log) and {@code raw} (the SIP text, or the
 * payload text of other messages).
 */
public final class MessageSummary {

    private static final int MAX_SUMMARY = 200;

    private MessageSummary() {
    }

    public static ObjectNode of(ObjectMapper mapper, JsonNode hit, long micros, Timestamps ts) {
        JsonNode s = hit.path("_source");
        ObjectNode m = mapper.createObjectNode();
        m.put("time", micros == Long.MIN_VALUE ? s.path("@timestamp").asText() : ts.iso(micros));
        m.put("id", hit.path("_id").asText());
        m.put("index", hit.path("_index").asText());
        String dataset = s.path("event").path("dataset").asText("");
        String protocol = dataset.startsWith("hep.") ? dataset.substring(4) : s.path("network").path("protocol").asText("");
        m.put("protocol", protocol);
        String callId = s.path("sip").path("call_id").asText(null);
        if (callId == null) {
            callId = s.path("call").path("id").asText(null);
        }
        if (callId != null) {
            m.put("call_id", callId);
        }
        endpoint(m, "source", s.path("source"));
        endpoint(m, "destination", s.path("destination"));
        JsonNode hep = s.path("hep");
        if (hep.has("capture_id")) {
            m.put("capture_id", hep.path("capture_id").asLong());
        }
        if (hep.has("node")) {
            m.put("node", hep.path("node").asText());
        }
        m.put("summary", summary(protocol, s));
        String raw = RawText.original(s);
        if (raw == null) {
            raw = s.path("message").asText(null);
        }
        if (raw != null) {
            m.put("raw", raw);
        }
        return m;
    }

    private static void endpoint(ObjectNode m, String name, JsonNode e) {
        if (e.isMissingNode()) {
            return;
        }
        ObjectNode o = m.putObject(name);
        if (e.has("ip")) {
            o.put("ip", e.path("ip").asText());
        }
        if (e.has("port")) {
            o.put("port", e.path("port").asInt());
        }
    }

    public static String summary(String protocol, JsonNode s) {
        JsonNode sip = s.path("sip");
        if (!sip.isMissingNode()) {
            if ("request".equals(LeanDefaults.sipType(sip))) {
                String uri = sip.path("uri").path("original").asText("");
                return (sip.path("method").asText() + " " + uri).trim();
            }
            if (sip.has("code")) {
                return (sip.path("code").asText() + " " + java.util.Objects.requireNonNullElse(LeanDefaults.status(sip), "")).trim()
                        + (sip.path("cseq").has("method") ? " (" + sip.path("cseq").path("method").asText() + ")" : "");
            }
        }
        JsonNode qos = s.path("qos");
        JsonNode rtcp = s.path("rtcp");
        if (!rtcp.isMissingNode() || !qos.isMissingNode()) {
            StringBuilder b = new StringBuilder();
            if ("qos_report".equals(rtcp.path("format").asText())) {
                b.append("QoS report");
            } else {
                b.append("RTCP");
                if (rtcp.has("type")) {
                    b.append(' ').append(rtcp.path("type").asText());
                }
            }
            if (rtcp.has("ssrc")) {
                b.append(" ssrc=").append(rtcp.path("ssrc").asLong());
            }
            if (qos.has("mos")) {
                b.append(" MOS ").append(qos.path("mos").asText());
            }
            if (qos.has("loss_pct")) {
                b.append(" loss ").append(qos.path("loss_pct").asText()).append('%');
            }
            if (qos.has("jitter_ms")) {
                b.append(" jitter ").append(qos.path("jitter_ms").asText()).append(" ms");
            }
            return b.toString();
        }
        String text = s.path("message").asText("");
        int nl = text.indexOf('\n');
        String line = nl >= 0 ? text.substring(0, nl) : text;
        if (line.isEmpty() && s.has("error")) {
            line = s.path("error").path("message").asText("");
        }
        return line.length() > MAX_SUMMARY ? line.substring(0, MAX_SUMMARY) + "…" : line.isEmpty() ? protocol : line;
    }
}
