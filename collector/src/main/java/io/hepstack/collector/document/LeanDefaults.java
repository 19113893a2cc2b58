package io.hepstack.collector.document;

import com.fasterxml.jackson.databind.JsonNode;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.protocol.sip.ReasonPhrases;

/**
 * The values a lean message document leaves out because they are the usual ones
 * (docs/documents.md), and how readers of stored documents get them back:
 * {@code hep.proto_type} is written only when it is not its dataset's usual HEP type (SIP 1,
 * RTCP 5, logs 100), {@code hep.transport} (the collector's listener the HEP packet came in on)
 * only when it is not {@code udp}, {@code network.transport} (the captured packet's IP protocol)
 * only when it is not {@code udp}, {@code sip.type} not at all (a request has {@code sip.method},
 * a response {@code sip.code}), a request's {@code sip.cseq.method} not (its own method), nor its
 * {@code sip.content_type} while the raw text, which has it, is kept. Full documents and documents
 * written before keep them, so a reader takes the field when there is one and the usual value
 * otherwise. (The raw text itself: {@link RawText}.)
 */
public final class LeanDefaults {

    /** The listener a lean document leaves unsaid (a {@code pipeline.Transport} label). */
    public static final String USUAL_TRANSPORT = "udp";
    /** The captured packet's IP protocol a lean document leaves unsaid: UDP (17). */
    public static final int USUAL_IP_PROTOCOL = 17;
    /** {@link #USUAL_IP_PROTOCOL} as {@code network.transport} names it. */
    public static final String USUAL_NETWORK_TRANSPORT = "udp";

    /** The {@code rtcp.format} a lean RTCP document leaves unsaid: JSON reports (heplify, captagent, rtpengine). */
    public static final String USUAL_RTCP_FORMAT = "json";
    /** The {@code qos.mos_source} a lean RTCP document leaves unsaid: the MOS computed from the report block. */
    public static final String USUAL_MOS_SOURCE = "computed";
    /** The {@code payload.format} a lean document leaves unsaid: a {@code message} that is text. */
    public static final String USUAL_PAYLOAD_FORMAT = "text";

    private LeanDefaults() {
    }

    /**
     * The HEP protocol type every message of {@code event.dataset} has (its protocol is registered
     * for that one type only: {@code SipProtocol}, {@code RtcpProtocol}, {@code LogProtocol}); -1
     * for a dataset without a single type (QoS reports, JSON and raw fallbacks, ...).
     */
    public static int usualProtoType(String dataset) {
        if (dataset == null) {
            return -1;
        }
        return switch (dataset) {
            case "hep.sip" -> HepPacket.PROTO_SIP;
            case "hep.rtcp" -> HepPacket.PROTO_RTCP_JSON;
            case "hep.log" -> HepPacket.PROTO_LOG;
            default -> -1;
        };
    }

    /** The HEP protocol type of a stored document: {@code hep.proto_type}, else its dataset's usual one; -1 when unknown. */
    public static int protoType(JsonNode source) {
        JsonNode t = source.path("hep").path("proto_type");
        if (t.canConvertToInt()) {
            return t.asInt();
        }
        return usualProtoType(source.path("event").path("dataset").asText(null));
    }

    /** The listener a stored document's HEP packet came in on: {@code hep.transport}, else {@code udp}. */
    public static String receivedOver(JsonNode source) {
        return source.path("hep").path("transport").asText(USUAL_TRANSPORT);
    }

    /** The captured packet's IP transport of a stored document: {@code network.transport}, else {@code udp}. */
    public static String networkTransport(JsonNode source) {
        return source.path("network").path("transport").asText(USUAL_NETWORK_TRANSPORT);
    }

    /** A stored document's {@code rtcp.format}: the field, else {@code json} when it has an {@code rtcp} object; null otherwise. */
    public static String rtcpFormat(JsonNode source) {
        JsonNode rtcp = source.path("rtcp");
        return rtcp.isObject() ? rtcp.path("format").asText(USUAL_RTCP_FORMAT) : null;
    }

    /** A stored document's {@code qos.mos_source}: the field, else {@code computed} when it has a MOS; null otherwise. */
    public static String mosSource(JsonNode source) {
        JsonNode qos = source.path("qos");
        return qos.has("mos_source") ? qos.path("mos_source").asText() : qos.has("mos") ? USUAL_MOS_SOURCE : null;
    }

    /** A stored document's {@code payload.format}: the field, else {@code text} for a log with a {@code message}; null otherwise. */
    public static String payloadFormat(JsonNode source) {
        JsonNode f = source.path("payload").path("format");
        if (f.isTextual()) {
            return f.asText();
        }
        return source.has("message") && "hep.log".equals(source.path("event").path("dataset").asText()) ? USUAL_PAYLOAD_FORMAT : null;
    }

    /** A stored document's SIP reason phrase: {@code sip.status}, else the registered phrase of {@code sip.code}; null for neither. */
    public static String status(JsonNode sip) {
        String s = sip.path("status").asText(null);
        return s != null || !sip.path("code").canConvertToInt() ? s : ReasonPhrases.of(sip.path("code").asInt());
    }

    /**
     * The method a stored document's CSeq names: {@code sip.cseq.method}, else (a lean request,
     * whose CSeq names its own method) {@code sip.method}; null when neither is there.
     */
    public static String cseqMethod(JsonNode sip) {
        String m = sip.path("cseq").path("method").asText(null);
        return m != null ? m : sip.path("method").asText(null);
    }

    /**
     * A stored SIP document's Content-Type: {@code sip.content_type}, else (a lean document keeping
     * the raw text, which has it) the Content-Type header of {@code event.original} (or its compact
     * form {@code c}); null when there is none.
     */
    public static String contentType(JsonNode source) {
        String t = source.path("sip").path("content_type").asText(null);
        if (t != null) {
            return t;
        }
        String raw = source.path("event").path("original").asText(null);
        return raw == null ? null : header(raw, "content-type", "c");
    }

    /** The value of the first header of {@code raw} (a SIP message) named {@code name} or {@code compact}, ignoring case; null when none. */
    static String header(String raw, String name, String compact) {
        int line = raw.indexOf('\n') + 1; // after the start line
        while (line > 0 && line < raw.length()) {
            int end = raw.indexOf('\n', line);
            int stop = end < 0 ? raw.length() : end;
            if (stop > line && raw.charAt(stop - 1) == '\r') {
                stop--;
            }
            if (stop == line) {
                return null; // the empty line: the headers ended
            }
            int colon = raw.indexOf(':', line);
            if (colon > line && colon < stop) {
                String n = raw.substring(line, colon).trim();
                if (n.equalsIgnoreCase(name) || n.equalsIgnoreCase(compact)) {
                    return raw.substring(colon + 1, stop).trim();
                }
            }
            line = end + 1;
        }
        return null;
    }

    /** {@code request} or {@code response} for a stored document's {@code sip} object: its {@code type}, else whether it has a method; null when it is neither. */
    public static String sipType(JsonNode sip) {
        String type = sip.path("type").asText(null);
        if (type != null) {
            return type;
        }
        return sip.hasNonNull("method") ? "request" : sip.hasNonNull("code") ? "response" : null;
    }
}
