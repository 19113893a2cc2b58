package io.hepstack.collector.hep;

/** Names of HEP protocol types (chunk 0x0b), for {@code hep.proto_name} and {@code network.protocol}. */
public final class HepProtoNames {

    private HepProtoNames() {
    }

    /** A name for HEP protocol types, for {@code hep.proto_name}. */
    public static String of(int type) {
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
