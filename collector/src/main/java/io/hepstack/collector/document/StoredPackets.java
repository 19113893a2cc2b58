package io.hepstack.collector.document;

import com.fasterxml.jackson.databind.JsonNode;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.enricher.net.IpAddress;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * A stored message document ({@code _source}) back into the HEP packet it was made from: the µs
 * capture time ({@code @timestamp}), addresses and ports, IP transport, HEP protocol type, capture
 * id, node, group, correlation id and VLAN, with a payload the caller gives — a SIP document's raw
 * text ({@link #sipPayload}), or what the PCAP export rebuilds for an RTCP report. The PCAP export
 * and the restart's replay of what the previous run stored (es/StoredTail) both read documents
 * here, so the two read them alike.
 *
 * <p>What the document does not keep (the MAC addresses, TCP flags, the agent's auth key, chunks
 * of other vendors) is not in the packet; none of it moves the correlator.
 */
public final class StoredPackets {

    private StoredPackets() {
    }

    /** Whether the document is a SIP message's. */
    public static boolean isSip(JsonNode source) {
        return source.has("sip") || "hep.sip".equals(source.path("event").path("dataset").asText());
    }

    /** The raw SIP a SIP document keeps in {@code event.original}, or null (not kept: {@code storeRawSip: false}). */
    public static byte[] sipPayload(JsonNode source) {
        String raw = RawText.original(source);
        return raw == null ? null : raw.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The packet of a stored document carrying {@code payload}; null when the document has no
     * readable capture time, no two IP literals of one family, or no ports.
     */
    public static HepPacket packet(JsonNode source, byte[] payload) {
        long micros = Timestamps.micros(source.path("@timestamp").asText(null));
        byte[] src = address(source.path("source").path("ip").asText(null));
        byte[] dst = address(source.path("destination").path("ip").asText(null));
        int sport = source.path("source").path("port").asInt(-1);
        int dport = source.path("destination").path("port").asInt(-1);
        if (micros < 0 || src == null || dst == null || src.length != dst.length || sport < 0 || dport < 0) {
            return null;
        }
        JsonNode hep = source.path("hep");
        int protoType = LeanDefaults.protoType(source); // lean: the dataset's usual type
        if (protoType < 0 && isSip(source)) {
            protoType = HepPacket.PROTO_SIP;
        }
        HepPacket p = HepPacket.sip(src, dst, sport, dport, ipProtocol(LeanDefaults.networkTransport(source)),
                micros, payload);
        p.protoType = protoType;
        p.captureId = hep.path("capture_id").asLong(-1);
        p.nodeName = hep.path("node").asText(null);
        p.groupId = hep.path("group").asText(null);
        p.correlationId = hep.path("correlation_id").asText(null);
        p.vlanId = hep.path("vlan").asInt(-1);
        return p;
    }

    /** The IP protocol number of {@code network.transport} ({@code udp}, {@code tcp}, {@code sctp} or a number); -1 for none. */
    static int ipProtocol(String transport) {
        if (transport == null) {
            return -1;
        }
        return switch (transport) {
            case "udp" -> 17;
            case "tcp" -> 6;
            case "sctp" -> 132;
            default -> {
                try {
                    yield Integer.parseInt(transport);
                } catch (NumberFormatException e) {
                    yield -1;
                }
            }
        };
    }

    /** The bytes of an IP literal; null for anything else (never a name look-up). */
    static byte[] address(String ip) {
        if (ip == null || IpAddress.parse(ip) == null) {
            return null;
        }
        try {
            return InetAddress.getByName(ip).getAddress();
        } catch (IOException e) {
            return null;
        }
    }
}
