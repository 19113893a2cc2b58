package io.hepstack.collector.hep;

/** Generic (vendor 0x0000) HEP3 chunk types, HEP3 rev.12. See {@code package-info.java} for sizes. */
public final class HepChunkTypes {

    public static final int IP_FAMILY = 0x01;
    public static final int IP_PROTOCOL = 0x02;
    public static final int IPV4_SRC = 0x03;
    public static final int IPV4_DST = 0x04;
    public static final int IPV6_SRC = 0x05;
    public static final int IPV6_DST = 0x06;
    public static final int SRC_PORT = 0x07;
    public static final int DST_PORT = 0x08;
    public static final int TIME_SECONDS = 0x09;
    public static final int TIME_MICROS = 0x0a;
    public static final int PROTO_TYPE = 0x0b;
    public static final int CAPTURE_ID = 0x0c;
    public static final int KEEP_ALIVE_TIMER = 0x0d;
    public static final int AUTH_KEY = 0x0e;
    public static final int PAYLOAD = 0x0f;
    public static final int COMPRESSED_PAYLOAD = 0x10;
    public static final int CORRELATION_ID = 0x11;
    public static final int VLAN_ID = 0x12;
    public static final int NODE_NAME = 0x13;
    public static final int SRC_MAC = 0x14;
    public static final int DST_MAC = 0x15;
    public static final int ETHERNET_TYPE = 0x16;
    public static final int TCP_FLAGS = 0x17;
    public static final int IP_TOS = 0x18;
    public static final int MOS = 0x20;
    public static final int R_FACTOR = 0x21;
    public static final int GEO_LOCATION = 0x22;
    public static final int JITTER = 0x23;
    public static final int TRANSACTION_TYPE = 0x24;
    public static final int PAYLOAD_JSON_KEYS = 0x25;
    public static final int TAGS_VALUES = 0x26;
    public static final int TAG_TYPE = 0x27;
    public static final int EVENT_TYPE = 0x28;
    public static final int GROUP_ID = 0x29;

    /** Bit i set: generic type i is interpreted into a {@link HepPacket} field. */
    private static final long KNOWN = 0x0000_03ff_01ff_fffeL;

    private HepChunkTypes() {
    }

    /** True for the generic types this version maps to {@link HepPacket} fields (0x01..0x18, 0x20..0x29). */
    public static boolean isKnown(int vendorId, int typeId) {
        return vendorId == 0 && typeId < 64 && (KNOWN & (1L << typeId)) != 0;
    }
}
