package io.hepstack.collector.document;

import com.fasterxml.jackson.databind.JsonNode;
import io.hepstack.collector.hep.HepPacket;

/**
 * The values a lean message document leaves out because they are the usual ones
 * (docs/documents.md), and how readers of stored documents get them back:
 * {@code hep.proto_type} is written only when it is not its dataset's usual HEP type (SIP 1,
 * RTCP 5, logs 100), {@code hep.transport} (the collector's listener the HEP packet came in on)
 * only when it is not {@code udp}, {@code network.transport} (the captured packet's IP protocol)
 * only when it is not {@code udp}, {@code sip.type} not at all (a request has {@code sip.method},
 * a response {@code sip.code}). Full documents and documents written before keep them, so a
 * reader takes the field when there is one and the usual value otherwise.
 */
public final class LeanDefaults {

    /** The listener a lean document leaves unsaid (a {@code pipeline.Transport} label). */
    public static final String USUAL_TRANSPORT = "udp";
    /** The captured packet's IP protocol a lean document leaves unsaid: UDP (17). */
    public static final int USUAL_IP_PROTOCOL = 17;
    /** {@link #USUAL_IP_PROTOCOL} as {@code network.transport} names it. */
    public static final String USUAL_NETWORK_TRANSPORT = "udp";

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

    /** {@code request} or {@code response} for a stored document's {@code sip} object: its {@code type}, else whether it has a method; null when it is neither. */
    public static String sipType(JsonNode sip) {
        String type = sip.path("type").asText(null);
        if (type != null) {
            return type;
        }
        return sip.hasNonNull("method") ? "request" : sip.hasNonNull("code") ? "response" : null;
    }
}
