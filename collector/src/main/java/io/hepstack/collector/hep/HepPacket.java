package io.hepstack.collector.hep;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One decoded HEP packet (v1, v2 or v3), with every generic chunk the HEP3 spec defines.
 *
 * <p>A plain mutable holder: the decoder fills it once, later stages only read it. Numeric
 * chunks that were absent are {@code -1} (or {@code null} for text and byte chunks), so a
 * zero sent on the wire stays distinguishable from "not sent". Addresses are kept as raw
 * 4- or 16-byte arrays; text forms are made on demand and cached.
 */
public final class HepPacket {

    /** HEP protocol family values (chunk 0x0001). */
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;

    /** Well-known HEP payload protocol types (chunk 0x000b). */
    public static final int PROTO_SIP = 1;
    public static final int PROTO_RTCP_JSON = 5;
    public static final int PROTO_QOS_REPORT = 32;
    public static final int PROTO_MOS_FULL = 34;
    public static final int PROTO_MOS_SHORT = 35;
    public static final int PROTO_LOG = 100;

    /** 1, 2 or 3. */
    public int version;

    // --- chunks 0x0001 .. 0x0018 ---
    public int ipFamily = -1;          // 0x0001
    public int ipProtocol = -1;        // 0x0002
    public byte[] srcIp;               // 0x0003 / 0x0005
    public byte[] dstIp;               // 0x0004 / 0x0006
    public int srcPort = -1;           // 0x0007
    public int dstPort = -1;           // 0x0008
    public long timeSeconds = -1;      // 0x0009 (uint32)
    public long timeMicros = -1;       // 0x000a (uint32, microseconds offset)
    public int protoType = -1;         // 0x000b
    public long captureId = -1;        // 0x000c (uint32)
    public int keepAliveTimer = -1;    // 0x000d
    public String authKey;             // 0x000e
    public byte[] payload;             // 0x000f, or 0x0010 after decompression
    public boolean payloadWasCompressed; // true when the payload came from chunk 0x0010
    public String correlationId;       // 0x0011
    public int vlanId = -1;            // 0x0012
    public String nodeName;            // 0x0013 (captagent node name / group id)
    public byte[] srcMac;              // 0x0014
    public byte[] dstMac;              // 0x0015
    public int ethernetType = -1;      // 0x0016
    public int tcpFlags = -1;          // 0x0017
    public int ipTos = -1;             // 0x0018

    // --- chunks 0x0020 .. 0x0029 ---
    public int mos = -1;               // 0x0020 (uint16, MOS * 100)
    public int rFactor = -1;           // 0x0021 (uint16, R-factor * 100)
    public String geoLocation;         // 0x0022
    public long jitter = -1;           // 0x0023 (uint32)
    public String transactionType;     // 0x0024
    public String payloadJsonKeys;     // 0x0025
    public String tagsValues;          // 0x0026
    public int tagType = -1;           // 0x0027
    public int eventType = -1;         // 0x0028
    public String groupId;             // 0x0029

    /** Chunks of other vendors and generic chunk types this version does not know, in wire order. */
    private List<HepChunk> otherChunks = Collections.emptyList();

    private String srcIpText;
    private String dstIpText;

    /** Capture time as microseconds since the epoch, or -1 when the packet carried no time. */
    public long timestampMicros() {
        if (timeSeconds < 0) {
            return -1;
        }
        return timeSeconds * 1_000_000L + Math.max(0, timeMicros);
    }

    public String srcIpText() {
        if (srcIpText == null && srcIp != null) {
            srcIpText = ipText(srcIp);
        }
        return srcIpText;
    }

    public String dstIpText() {
        if (dstIpText == null && dstIp != null) {
            dstIpText = ipText(dstIp);
        }
        return dstIpText;
    }

    public List<HepChunk> otherChunks() {
        return otherChunks;
    }

    public void addOtherChunk(HepChunk chunk) {
        if (otherChunks.isEmpty()) {
            otherChunks = new ArrayList<>(2);
        }
        otherChunks.add(chunk);
    }

    /** Text form of a 4- or 16-byte address (IPv6 in the compressed RFC 5952-like form Java prints). */
    /**
     * A HEP3 packet carrying SIP captured at {@code micros} between the given addresses (IPv4 when
     * {@code srcIp} has 4 bytes, else IPv6): what a capture agent would send for a message read
     * from a capture file. The caller adds capture id, node and auth key as it needs.
     */
    public static HepPacket sip(byte[] srcIp, byte[] dstIp, int srcPort, int dstPort, int ipProtocol, long micros,
                                byte[] payload) {
        HepPacket h = new HepPacket();
        h.version = 3;
        h.ipFamily = srcIp.length == 4 ? AF_INET : AF_INET6;
        h.ipProtocol = ipProtocol;
        h.srcIp = srcIp;
        h.dstIp = dstIp;
        h.srcPort = srcPort;
        h.dstPort = dstPort;
        h.timeSeconds = micros / 1_000_000L;
        h.timeMicros = micros % 1_000_000L;
        h.protoType = PROTO_SIP;
        h.payload = payload;
        return h;
    }

    public static String ipText(byte[] address) {
        if (address.length == 4) {
            return V4Texts.text(address);
        }
        try {
            return compressIpv6(InetAddress.getByAddress(address).getHostAddress());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("address must be 4 or 16 bytes, got " + address.length, e);
        }
    }

    /**
     * Dotted quads of recent IPv4 addresses: every message of a call names the same few, and the
     * correlator, the fraud stage and the document each ask for them. A direct-mapped table of
     * immutable entries (threads may overwrite each other's slots, never see half an entry; a flood
     * of distinct addresses only makes misses).
     */
    private static final class V4Texts {
        private static final int SLOTS = 1024;
        private static final Entry[] TABLE = new Entry[SLOTS];

        private record Entry(int address, String text) {
        }

        static String text(byte[] a) {
            int address = (a[0] & 0xff) << 24 | (a[1] & 0xff) << 16 | (a[2] & 0xff) << 8 | (a[3] & 0xff);
            int slot = (address * 0x9E3779B1 >>> 22) & (SLOTS - 1);
            Entry e = TABLE[slot];
            if (e != null && e.address == address) {
                return e.text;
            }
            String text = (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
            TABLE[slot] = new Entry(address, text);
            return text;
        }
    }

    /** Java prints IPv6 as 2001:db8:0:0:0:0:0:1; Elasticsearch and tshark print 2001:db8::1. */
    static String compressIpv6(String full) {
        int pct = full.indexOf('%');
        if (pct >= 0) {
            full = full.substring(0, pct);
        }
        String[] groups = full.split(":");
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < groups.length; ) {
            if (groups[i].equals("0")) {
                int j = i;
                while (j < groups.length && groups[j].equals("0")) {
                    j++;
                }
                if (j - i > bestLen && j - i > 1) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestStart < 0) {
            return full;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < bestStart; i++) {
            sb.append(groups[i]).append(i + 1 < bestStart ? ":" : "");
        }
        sb.append("::");
        for (int i = bestStart + bestLen; i < groups.length; i++) {
            sb.append(groups[i]).append(i + 1 < groups.length ? ":" : "");
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "HepPacket{v" + version + " type=" + protoType + " " + srcIpText() + ":" + srcPort + " -> "
                + dstIpText() + ":" + dstPort + " t=" + timeSeconds + "." + timeMicros + " capture=" + captureId
                + " payload=" + (payload == null ? 0 : payload.length) + "B}";
    }
}
