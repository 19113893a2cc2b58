package io.hepstack.collector.api.callview;

import com.fasterxml.jackson.databind.JsonNode;
import io.hepstack.collector.api.CallLoader;
import io.hepstack.collector.api.MessageSummary;
import io.hepstack.collector.api.search.ResultRows;
import io.hepstack.collector.document.LeanDefaults;
import io.hepstack.collector.document.RawText;

/**
 * A stored message document as the ladder sees it ({@link LadderMessage}): its kind, ends, capture
 * point and content fingerprint (the raw SIP text when stored, else the fields that identify a SIP
 * message: Call-ID, CSeq, method/code, the Via headers, tags).
 */
public final class LadderMessages {

    private LadderMessages() {
    }

    public static LadderMessage of(CallLoader.Message m) {
        JsonNode s = m.source();
        String protocol = ResultRows.protocol(s);
        String kind = kind(protocol, s);
        JsonNode sip = s.path("sip");
        JsonNode hep = s.path("hep");
        JsonNode qos = s.path("qos");
        String capturePoint = hep.path("capture_id").asText("") + "/" + hep.path("node").asText("");
        int code = sip.path("code").asInt(0);
        String method = code > 0 ? sip.path("cseq").path("method").asText(null) : sip.path("method").asText(null);
        String contentType = LeanDefaults.contentType(s);
        boolean sdp = sip.has("sdp") || contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).contains("application/sdp");
        return new LadderMessage(m.id(), m.hit().path("_index").asText(), m.micros(), m.rank(), kind,
                s.path("source").path("ip").asText(null), s.path("source").path("port").asInt(-1),
                s.path("destination").path("ip").asText(null), s.path("destination").path("port").asInt(-1),
                hep.path("node").asText(null), ResultRows.callId(s), capturePoint,
                "sip".equals(kind) ? fingerprint(s) : null, method, code, LeanDefaults.status(sip), sdp,
                "sip".equals(kind) ? null : MessageSummary.summary(protocol, s),
                number(qos.path("mos")), number(qos.path("jitter_ms")), number(qos.path("loss_pct")));
    }

    static String kind(String protocol, JsonNode s) {
        return switch (protocol) {
            case "sip" -> "sip";
            case "rtcp" -> "qos_report".equals(s.path("rtcp").path("format").asText()) ? "qos" : "rtcp";
            case "qos_report", "rtcpxr", "vq_rtcpxr" -> "qos";
            case "log", "json" -> "log";
            default -> "other";
        };
    }

    private static String fingerprint(JsonNode s) {
        String raw = RawText.original(s); // a lean document's and an older one's copy of a message compare equal
        if (raw != null) {
            return raw;
        }
        JsonNode sip = s.path("sip");
        String vias = sip.path("via").path("original").toString();
        return String.join("|", sip.path("call_id").asText(""), sip.path("cseq").path("code").asText(""),
                java.util.Objects.requireNonNullElse(LeanDefaults.cseqMethod(sip), ""), sip.path("method").asText(""), sip.path("code").asText(""),
                vias, sip.path("from").path("tag").asText(""), sip.path("to").path("tag").asText(""));
    }

    static double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : n.isTextual() ? parse(n.asText()) : Double.NaN;
    }

    private static double parse(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
