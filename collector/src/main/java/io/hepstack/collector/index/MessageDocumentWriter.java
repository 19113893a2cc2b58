package io.hepstack.collector.index;

import com.fasterxml.jackson.core.JsonGenerator;
import io.hepstack.collector.hep.HepChunk;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.PayloadProtocol;
import io.hepstack.collector.hep.HepProtoNames;
import io.hepstack.collector.document.EnrichmentFields;
import io.hepstack.collector.document.JsonDocument;
import io.hepstack.collector.document.LeanDefaults;
import io.hepstack.collector.document.MessageFields;
import io.hepstack.collector.document.RawText;
import io.hepstack.collector.document.Timestamps;
import io.hepstack.enricher.IpInfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static io.hepstack.collector.document.JsonDocument.dbl;
import static io.hepstack.collector.document.JsonDocument.num;
import static io.hepstack.collector.document.JsonDocument.str;

/**
 * Builds the Elasticsearch document of one captured message: the fields every message has
 * ({@code @timestamp}, {@code event}, {@code network}, {@code source}, {@code destination} with their
 * enrichment, {@code hep.*}), then its protocol's own ({@link PayloadProtocol#write}), with the field
 * names of index-templates/ (ECS + Packetbeat names + {@code hep.*}). {@link MessageFields} says
 * how many: lean (the default) leaves out what repeats another field or the TDR and what nothing
 * reads (docs/documents.md lists each field and who uses it), full writes them all.
 * Not thread-safe: one instance per pipeline worker.
 */
public final class MessageDocumentWriter {

    /** Small numbers as text ({@code network.iana_number}, {@code network.vlan.id}). */
    private static final String[] SMALL = new String[4096];

    static {
        for (int i = 0; i < SMALL.length; i++) {
            SMALL[i] = Integer.toString(i);
        }
    }

    private final JsonDocument doc = new JsonDocument();
    private final Timestamps timestamps = new Timestamps();
    private final EnrichmentFields enrichment;
    private final MessageFields fields;
    /** Lean: the raw SIP text without the CRs of its CRLFs ({@link RawText}), reused. */
    /** The raw SIP without its CRs, escaped for JSON ({@link RawText#jsonWithoutCrs}); reused. */
    private byte[] withoutCrs = new byte[4096];
    /** {@code event.dataset} of the last protocol written (mostly the same one, SIP). */
    private PayloadProtocol<?> lastProtocol;
    private String lastDataset;
    /** The last HEP sender and its text: UDP gives a new address object per datagram, mostly from the same agent. */
    private InetAddress lastPeer;
    private String lastPeerText;

    /** A writer of lean documents, the default ({@code pipeline.messageFields: lean}). */
    public MessageDocumentWriter() {
        this(MessageFields.LEAN);
    }

    public MessageDocumentWriter(MessageFields fields) {
        this.enrichment = new EnrichmentFields();
        this.fields = java.util.Objects.requireNonNull(fields, "fields");
    }

    public byte[] write(CapturedMessage m) {
        return writeLent(m).toByteArray();
    }

    /** Writes the document of {@code m} and lends it ({@link JsonDocument#finish()}): no copy, valid until the next write. */
    public JsonDocument writeLent(CapturedMessage m) {
        try {
            JsonGenerator g = doc.begin();
            common(g, m);
            m.writeProtocolFields(g, fields);
            return doc.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ shared fields

    private void common(JsonGenerator g, CapturedMessage m) throws IOException {
        HepPacket p = m.hep;
        boolean full = fields.full();
        timestamps.writeIsoField(g, "@timestamp", m.timestampMicros());
        g.writeObjectFieldStart("event");
        if (full) { // lean: always "event", read by nothing (constant_keyword is not in every distribution)
            g.writeStringField("kind", "event");
        }
        g.writeStringField("dataset", dataset(m.protocol));
        if (full || m.parseError != null) { // lean: only failures; successes are NOT event.outcome:failure
            g.writeStringField("outcome", m.parseError == null ? "success" : "failure");
        }
        String action = full ? m.action() : null; // lean: sip.method / sip.cseq.method say it
        if (action != null) {
            g.writeStringField("action", action);
        }
        if (full) { // lean: no query reads it; the collector's metrics measure the lag
            g.writeNumberField("ingested", System.currentTimeMillis());
        }
        boolean asCaptured = false; // lean: the raw text kept with line ends other than CRLF (RawText)
        if (p.payload != null && m.keepsOriginal(fields)) {
            int escaped = full ? RawText.NOT_CRLF : escapedWithoutCrs(p.payload);
            if (escaped >= 0) { // the usual case: ASCII, CRLF line ends
                g.writeFieldName("original");
                g.writeRawUTF8String(withoutCrs, 0, escaped);
            } else if (escaped == RawText.NOT_ASCII) {
                if (withoutCrs.length < p.payload.length) {
                    withoutCrs = new byte[p.payload.length];
                }
                int stripped = RawText.stripCr(p.payload, withoutCrs);
                if (stripped >= 0) {
                    JsonDocument.utf8(g, "original", withoutCrs, stripped);
                } else {
                    JsonDocument.utf8(g, "original", p.payload);
                    asCaptured = true;
                }
            } else {
                JsonDocument.utf8(g, "original", p.payload);
                asCaptured = !full;
            }
        }
        g.writeEndObject();
        if (m.parseError != null) {
            g.writeObjectFieldStart("error");
            int colon = m.parseError.indexOf(':');
            g.writeStringField("type", colon > 0 ? m.parseError.substring(0, colon) : "parse");
            g.writeStringField("message", m.parseError);
            g.writeEndObject();
        }

        // lean: network.transport only when it is not udp (readers take udp: LeanDefaults), and no
        // network object at all when nothing else is said
        String transport = full || p.ipProtocol != LeanDefaults.USUAL_IP_PROTOCOL ? transportName(p.ipProtocol) : null;
        if (full || transport != null || p.vlanId >= 0) {
            writeNetwork(g, p, transport, full);
        }

        endpoint(g, "source", p.srcIpText(), p.srcPort, p.srcMac, m.sourceInfo);
        endpoint(g, "destination", p.dstIpText(), p.dstPort, p.dstMac, m.destinationInfo);
        if (full) { // lean: source.blacklist and destination.blacklist say it
            enrichment.writeBlacklistSummary(g, m.sourceInfo, m.destinationInfo);
        }

        g.writeObjectFieldStart("hep");
        if (full) {
            g.writeNumberField("version", p.version);
        }
        String dataset = dataset(m.protocol);
        if (full || p.protoType != LeanDefaults.usualProtoType(dataset)) { // lean: the dataset says its usual type
            num(g, "proto_type", p.protoType);
        }
        if (full) {
            g.writeStringField("proto_name", HepProtoNames.of(p.protoType));
        }
        num(g, "capture_id", p.captureId);
        str(g, "node", p.nodeName);
        str(g, "group", p.groupId);
        if (full || !callIdSays(m)) {
            str(g, "correlation_id", p.correlationId);
        }
        if (full || !LeanDefaults.USUAL_TRANSPORT.equals(m.transport.label())) { // lean: only tcp, tls, file (readers: LeanDefaults)
            g.writeStringField("transport", m.transport.label());
        }
        if (full) { // lean: network.* and the address say the family and protocol; the agent's address is not searched
            if (m.peer != null && m.peer.getAddress() != null) {
                g.writeObjectFieldStart("peer");
                g.writeStringField("ip", peerText(m.peer.getAddress()));
                g.writeNumberField("port", m.peer.getPort());
                g.writeEndObject();
            }
            num(g, "ip_family", p.ipFamily);
            num(g, "ip_protocol", p.ipProtocol);
        }
        num(g, "vlan", p.vlanId);
        num(g, "tcp_flags", p.tcpFlags);
        num(g, "tos", p.ipTos);
        num(g, "ethernet_type", p.ethernetType);
        num(g, "keep_alive", p.keepAliveTimer);
        num(g, "mos", p.mos);
        num(g, "r_factor", p.rFactor);
        num(g, "jitter", p.jitter);
        str(g, "geo_location", p.geoLocation);
        str(g, "transaction_type", p.transactionType);
        str(g, "payload_json_keys", p.payloadJsonKeys);
        str(g, "tags", p.tagsValues);
        num(g, "tag_type", p.tagType);
        num(g, "event_type", p.eventType);
        if (full) { // lean: the length of event.original
            g.writeNumberField("payload_size", p.payload == null ? 0 : p.payload.length);
        }
        if (asCaptured) {
            g.writeBooleanField("raw_as_captured", true);
        }
        if (p.payloadWasCompressed) {
            g.writeBooleanField("compressed", true);
        }
        if (m.duplicate) {
            g.writeBooleanField("duplicate", true); // a retransmission, or the same message from another capture point
        }
        if (!p.otherChunks().isEmpty()) {
            g.writeArrayFieldStart("chunks");
            for (HepChunk c : p.otherChunks()) {
                g.writeStartObject();
                g.writeNumberField("vendor", c.vendorId());
                g.writeNumberField("type", c.typeId());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    /** Whether the protocol's {@code call.id} is the HEP correlation id (lean then writes it once). */
    private static boolean callIdSays(CapturedMessage m) {
        return m.protocol.writesCallId() && (m.callId == null || m.callId.equals(m.hep.correlationId));
    }

    /** Integer.toString(i), from the table when it holds i. */
    private static String text(String[] table, int i) {
        return i >= 0 && i < table.length ? table[i] : Integer.toString(i);
    }

    private String peerText(InetAddress a) {
        if (!a.equals(lastPeer)) {
            lastPeerText = HepPacket.ipText(a.getAddress());
            lastPeer = a;
        }
        return lastPeerText;
    }

    private void endpoint(JsonGenerator g, String name, String ip, int port, byte[] mac, IpInfo info) throws IOException {
        if (ip == null && port < 0 && info == null) {
            return;
        }
        g.writeObjectFieldStart(name);
        str(g, "ip", ip);
        num(g, "port", port);
        if (mac != null) {
            g.writeStringField("mac", mac(mac));
        }
        enrichment.writeEndpoint(g, info, fields);
        g.writeEndObject();
    }

    private static String mac(byte[] mac) {
        StringBuilder sb = new StringBuilder(17);
        int start = mac.length == 8 ? 2 : 0; // 8-byte chunks carry the MAC in the low 6 bytes
        for (int i = start; i < mac.length; i++) {
            if (i > start) {
                sb.append('-');
            }
            sb.append(Character.toUpperCase(Character.forDigit((mac[i] >> 4) & 0xf, 16)))
                    .append(Character.toUpperCase(Character.forDigit(mac[i] & 0xf, 16)));
        }
        return sb.toString();
    }

    private void writeNetwork(JsonGenerator g, HepPacket p, String transport, boolean full) throws IOException {
        g.writeObjectFieldStart("network");
        str(g, "transport", transport);
        if (full) { // lean: the type is the address's, the protocol the dataset's, the number the transport's
            if (p.ipFamily == HepPacket.AF_INET || p.ipFamily == HepPacket.AF_INET6) {
                g.writeStringField("type", p.ipFamily == HepPacket.AF_INET ? "ipv4" : "ipv6");
            } else if (p.srcIp != null) {
                g.writeStringField("type", p.srcIp.length == 4 ? "ipv4" : "ipv6");
            }
            g.writeStringField("protocol", HepProtoNames.of(p.protoType));
            if (p.ipProtocol >= 0) {
                g.writeStringField("iana_number", text(SMALL, p.ipProtocol));
            }
        }
        if (p.vlanId >= 0) {
            g.writeObjectFieldStart("vlan");
            g.writeStringField("id", text(SMALL, p.vlanId));
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static String transportName(int ipProtocol) {
        return switch (ipProtocol) {
            case 17 -> "udp";
            case 6 -> "tcp";
            case 132 -> "sctp";
            case -1 -> null;
            default -> Integer.toString(ipProtocol);
        };
    }

    private String dataset(PayloadProtocol<?> p) {
        if (p != lastProtocol) {
            lastDataset = "hep." + p.dataset();
            lastProtocol = p;
        }
        return lastDataset;
    }

    /** Raw payload text of a message, for the "raw message" pointers of APIs. */
    public static String payloadText(ByteBuffer raw) {
        byte[] b = new byte[raw.remaining()];
        raw.duplicate().get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** {@link RawText#jsonWithoutCrs} of {@code payload} into {@link #withoutCrs}, grown when it needs more room. */
    private int escapedWithoutCrs(byte[] payload) {
        int n = RawText.jsonWithoutCrs(payload, payload.length, withoutCrs);
        if (n == RawText.NO_ROOM) {
            withoutCrs = new byte[Math.max(6 * payload.length, withoutCrs.length)];
            n = RawText.jsonWithoutCrs(payload, payload.length, withoutCrs);
        }
        return n;
    }
}
