package io.hepstack.collector.pipeline;

import io.hepstack.collector.hep.HepPacket;

/** What a HEP payload holds, and the index family its documents go to. */
public enum PayloadKind {
    SIP("sip", "sip"),
    RTCP("rtcp", "rtcp"),
    QOS_REPORT("rtcp", "qos_report"),
    LOG("log", "log"),
    JSON("log", "json"),
    OTHER("log", "other");

    private final String family;
    private final String dataset;

    PayloadKind(String family, String dataset) {
        this.family = family;
        this.dataset = dataset;
    }

    /** Index family: documents go to {@code hep-<family>-YYYY.MM.DD}. */
    public String family() {
        return family;
    }

    /** {@code event.dataset} suffix: {@code hep.<dataset>}. */
    public String dataset() {
        return dataset;
    }

    /** Classifies by HEP protocol type (chunk 0x0b) and, for unknown types, by the payload's first byte. */
    public static PayloadKind of(HepPacket p) {
        switch (p.protoType) {
            case HepPacket.PROTO_SIP:
                return SIP;
            case HepPacket.PROTO_RTCP_JSON:
                return RTCP;
            case HepPacket.PROTO_QOS_REPORT:
            case HepPacket.PROTO_MOS_FULL:
            case HepPacket.PROTO_MOS_SHORT:
                return QOS_REPORT;
            case HepPacket.PROTO_LOG:
                return LOG;
            default:
                return looksLikeJson(p.payload) ? JSON : OTHER;
        }
    }

    static boolean looksLikeJson(byte[] payload) {
        if (payload == null) {
            return false;
        }
        for (byte b : payload) {
            if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
                continue;
            }
            return b == '{' || b == '[';
        }
        return false;
    }

    /** A name for HEP protocol types, for {@code hep.proto_name}. */
    public static String protoName(int type) {
        return switch (type) {
            case 1 -> "sip";
            case 2 -> "xmpp";
            case 3 -> "sdp";
            case 4 -> "rtp";
            case 5 -> "rtcp";
            case 6 -> "mgcp";
            case 7 -> "megaco";
            case 8 -> "m2ua";
            case 9 -> "m3ua";
            case 10 -> "iax";
            case 11 -> "h322";
            case 12 -> "h321";
            case 13 -> "m2pa";
            case 32 -> "qos_report";
            case 34 -> "mos_full";
            case 35 -> "mos_short";
            case 50 -> "sip_json";
            case 53 -> "dns";
            case 54 -> "m3ua_isup";
            case 55 -> "rtsp";
            case 56 -> "diameter";
            case 57 -> "gsm_map";
            case 58 -> "rtcp_pion";
            case 60 -> "cdr";
            case 100 -> "log";
            default -> "type_" + type;
        };
    }
}
