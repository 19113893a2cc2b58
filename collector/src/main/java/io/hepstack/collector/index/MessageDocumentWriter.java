package io.hepstack.collector.index;

import com.fasterxml.jackson.core.JsonGenerator;
import io.hepstack.collector.correlate.qos.Codec;
import io.hepstack.collector.correlate.qos.EModel;
import io.hepstack.collector.hep.HepChunk;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.PayloadKind;
import io.hepstack.collector.protocol.rtcp.QosReport;
import io.hepstack.collector.protocol.rtcp.RtcpReport;
import io.hepstack.collector.protocol.rtcp.XrBlock;
import io.hepstack.collector.protocol.sip.NameAddress;
import io.hepstack.collector.protocol.sip.Reason;
import io.hepstack.collector.protocol.sip.Sdp;
import io.hepstack.collector.protocol.sip.SdpCodec;
import io.hepstack.collector.protocol.sip.SdpMedia;
import io.hepstack.collector.protocol.sip.SipMessage;
import io.hepstack.collector.protocol.sip.SipUri;
import io.hepstack.collector.protocol.sip.Via;
import io.hepstack.enricher.IpInfo;
import io.hepstack.enricher.number.NumberInfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static io.hepstack.collector.index.JsonDocument.dbl;
import static io.hepstack.collector.index.JsonDocument.num;
import static io.hepstack.collector.index.JsonDocument.str;

/**
 * Builds the Elasticsearch document of one captured message (SIP, RTCP/QoS, LOG/JSON/other),
 * with the field names of index-templates/ (ECS + Packetbeat SIP names + {@code hep.*}).
 * Not thread-safe: one instance per pipeline worker.
 */
public final class MessageDocumentWriter {

    /** {@code event.dataset} per {@link PayloadKind}, by ordinal. */
    private static final String[] DATASETS = new String[PayloadKind.values().length];
    /** Status codes as text, for {@code event.action} of responses. */
    private static final String[] STATUS = new String[700];
    /** Small numbers as text ({@code network.iana_number}, {@code network.vlan.id}). */
    private static final String[] SMALL = new String[4096];

    static {
        for (PayloadKind k : PayloadKind.values()) {
            DATASETS[k.ordinal()] = "hep." + k.dataset();
        }
        for (int i = 0; i < STATUS.length; i++) {
            STATUS[i] = Integer.toString(i);
        }
        for (int i = 0; i < SMALL.length; i++) {
            SMALL[i] = Integer.toString(i);
        }
    }

    private final JsonDocument doc = new JsonDocument();
    private final Timestamps timestamps = new Timestamps();
    private final EnrichmentFields enrichment;
    private final EModel emodel = new EModel();
    private final boolean storeRawSip;
    /** The last HEP sender and its text: UDP gives a new address object per datagram, mostly from the same agent. */
    private InetAddress lastPeer;
    private String lastPeerText;

    public MessageDocumentWriter(boolean storeRawSip) {
        this.enrichment = new EnrichmentFields();
        this.storeRawSip = storeRawSip;
    }

    public byte[] write(CapturedMessage m) {
        try {
            JsonGenerator g = doc.begin();
            common(g, m);
            switch (m.kind) {
                case SIP -> sip(g, m);
                case RTCP -> rtcp(g, m);
                case QOS_REPORT -> qosReport(g, m);
                default -> log(g, m);
            }
            return doc.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ shared fields

    private void common(JsonGenerator g, CapturedMessage m) throws IOException {
        HepPacket p = m.hep;
        timestamps.writeIsoField(g, "@timestamp", m.timestampMicros());
        g.writeObjectFieldStart("event");
        g.writeStringField("kind", "event");
        g.writeStringField("dataset", DATASETS[m.kind.ordinal()]);
        g.writeStringField("outcome", m.parseError == null ? "success" : "failure");
        if (m.kind == PayloadKind.SIP && m.sip != null) {
            g.writeStringField("action", m.sip.isRequest() ? m.sip.method() : text(STATUS, m.sip.statusCode()));
        }
        g.writeNumberField("ingested", System.currentTimeMillis());
        if (m.kind == PayloadKind.SIP && storeRawSip && p.payload != null) {
            JsonDocument.utf8(g, "original", p.payload);
        }
        g.writeEndObject();
        if (m.parseError != null) {
            g.writeObjectFieldStart("error");
            int colon = m.parseError.indexOf(':');
            g.writeStringField("type", colon > 0 ? m.parseError.substring(0, colon) : "parse");
            g.writeStringField("message", m.parseError);
            g.writeEndObject();
        }

        g.writeObjectFieldStart("network");
        str(g, "transport", transportName(p.ipProtocol));
        if (p.ipFamily == HepPacket.AF_INET || p.ipFamily == HepPacket.AF_INET6) {
            g.writeStringField("type", p.ipFamily == HepPacket.AF_INET ? "ipv4" : "ipv6");
        } else if (p.srcIp != null) {
            g.writeStringField("type", p.srcIp.length == 4 ? "ipv4" : "ipv6");
        }
        g.writeStringField("protocol", PayloadKind.protoName(p.protoType));
        if (p.ipProtocol >= 0) {
            g.writeStringField("iana_number", text(SMALL, p.ipProtocol));
        }
        if (p.vlanId >= 0) {
            g.writeObjectFieldStart("vlan");
            g.writeStringField("id", text(SMALL, p.vlanId));
            g.writeEndObject();
        }
        g.writeEndObject();

        endpoint(g, "source", p.srcIpText(), p.srcPort, p.srcMac, m.sourceInfo);
        endpoint(g, "destination", p.dstIpText(), p.dstPort, p.dstMac, m.destinationInfo);
        enrichment.writeBlacklistSummary(g, m.sourceInfo, m.destinationInfo);

        g.writeObjectFieldStart("hep");
        g.writeNumberField("version", p.version);
        num(g, "proto_type", p.protoType);
        g.writeStringField("proto_name", PayloadKind.protoName(p.protoType));
        num(g, "capture_id", p.captureId);
        str(g, "node", p.nodeName);
        str(g, "group", p.groupId);
        str(g, "correlation_id", p.correlationId);
        g.writeStringField("transport", m.transport.label());
        if (m.peer != null && m.peer.getAddress() != null) {
            g.writeObjectFieldStart("peer");
            g.writeStringField("ip", peerText(m.peer.getAddress()));
            g.writeNumberField("port", m.peer.getPort());
            g.writeEndObject();
        }
        num(g, "ip_family", p.ipFamily);
        num(g, "ip_protocol", p.ipProtocol);
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
        g.writeNumberField("payload_size", p.payload == null ? 0 : p.payload.length);
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
        enrichment.writeEndpoint(g, info);
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

    private static String transportName(int ipProtocol) {
        return switch (ipProtocol) {
            case 17 -> "udp";
            case 6 -> "tcp";
            case 132 -> "sctp";
            case -1 -> null;
            default -> Integer.toString(ipProtocol);
        };
    }

    // ------------------------------------------------------------------ SIP

    private void sip(JsonGenerator g, CapturedMessage m) throws IOException {
        SipMessage s = m.sip;
        if (s == null) {
            return; // unparsed: event.original + error.* carry it
        }
        g.writeObjectFieldStart("sip");
        g.writeStringField("type", s.isRequest() ? "request" : "response");
        g.writeStringField("version", "2.0");
        if (s.isRequest()) {
            str(g, "method", s.method());
            SipUri ruri = s.requestUri();
            if (ruri != null) {
                g.writeObjectFieldStart("uri");
                uriFields(g, ruri, ruri.raw()); // the whole Request-URI as written, as requestUriRaw() gives
                enrichment.writeNumber(g, m.numbers[CapturedMessage.Party.REQUEST_URI.ordinal()]);
                g.writeEndObject();
            }
        } else {
            g.writeNumberField("code", s.statusCode());
            str(g, "status", s.reasonPhrase());
            str(g, "method", s.cseqMethod()); // the method the response answers, as Packetbeat does
        }
        str(g, "call_id", s.callId());
        nameAddress(g, "from", s.from(), m.numbers[CapturedMessage.Party.FROM.ordinal()]);
        nameAddress(g, "to", s.to(), m.numbers[CapturedMessage.Party.TO.ordinal()]);
        nameAddress(g, "pai", s.pAssertedIdentity(), m.numbers[CapturedMessage.Party.PAI.ordinal()]);
        NameAddress contact = s.contact();
        if (contact != null) {
            g.writeObjectFieldStart("contact");
            nameAddressFields(g, contact);
            if (contact.expires() >= 0) {
                g.writeNumberField("expires", contact.expires());
            }
            g.writeEndObject();
        }
        List<Via> vias = s.vias();
        if (!vias.isEmpty()) {
            g.writeObjectFieldStart("via");
            g.writeArrayFieldStart("original");
            for (Via v : vias) {
                g.writeString(v.raw());
            }
            g.writeEndArray();
            writeDistinct(g, "branch", vias, Via::branch);
            writeDistinct(g, "host", vias, Via::host);
            writeDistinct(g, "transport", vias, Via::transport);
            writeDistinct(g, "received", vias, Via::received);
            g.writeEndObject();
        }
        if (s.cseqNumber() >= 0 || s.cseqMethod() != null) {
            g.writeObjectFieldStart("cseq");
            num(g, "code", s.cseqNumber());
            str(g, "method", s.cseqMethod());
            g.writeEndObject();
        }
        if (s.userAgent() != null) {
            g.writeObjectFieldStart("user_agent");
            g.writeStringField("original", s.userAgent());
            g.writeEndObject();
        }
        if (s.server() != null) {
            g.writeObjectFieldStart("server");
            g.writeStringField("original", s.server());
            g.writeEndObject();
        }
        str(g, "content_type", s.contentType());
        num(g, "content_length", s.contentLength());
        num(g, "max_forwards", s.maxForwards());
        num(g, "expires", s.expires());
        Reason reason = s.reason();
        if (reason != null) {
            g.writeObjectFieldStart("reason");
            str(g, "protocol", reason.protocol());
            num(g, "cause", reason.cause());
            str(g, "text", reason.text());
            g.writeEndObject();
        }
        str(g, "allow", s.allow());
        str(g, "supported", s.supported());
        List<String> problems = s.problems();
        if (!problems.isEmpty()) {
            g.writeArrayFieldStart("problems");
            for (String p : problems) {
                g.writeString(p);
            }
            g.writeEndArray();
        }
        Sdp sdp = s.sdp();
        if (sdp != null) {
            sdp(g, sdp);
        }
        g.writeEndObject();
    }

    /** The non-empty values of one Via field, each once, in order; nothing when there are none. */
    private static void writeDistinct(JsonGenerator g, String name, List<Via> vias, Function<Via, String> field) throws IOException {
        boolean open = false;
        for (int i = 0; i < vias.size(); i++) {
            String v = field.apply(vias.get(i));
            if (v == null || v.isEmpty() || seenBefore(vias, i, v, field)) {
                continue;
            }
            if (!open) {
                g.writeArrayFieldStart(name);
                open = true;
            }
            g.writeString(v);
        }
        if (open) {
            g.writeEndArray();
        }
    }

    private static boolean seenBefore(List<Via> vias, int i, String v, Function<Via, String> field) {
        for (int j = 0; j < i; j++) {
            if (v.equals(field.apply(vias.get(j)))) {
                return true;
            }
        }
        return false;
    }

    private void nameAddress(JsonGenerator g, String field, NameAddress na, NumberInfo number) throws IOException {
        if (na == null) {
            return;
        }
        g.writeObjectFieldStart(field);
        nameAddressFields(g, na);
        enrichment.writeNumber(g, number);
        g.writeEndObject();
    }

    private static void nameAddressFields(JsonGenerator g, NameAddress na) throws IOException {
        str(g, "display_info", na.displayName());
        if (na.uri() != null) {
            g.writeObjectFieldStart("uri");
            uriFields(g, na.uri(), na.uri().raw());
            g.writeEndObject();
        }
        str(g, "tag", na.tag());
    }

    private static void uriFields(JsonGenerator g, SipUri u, String raw) throws IOException {
        str(g, "original", raw);
        str(g, "scheme", u.scheme());
        str(g, "username", u.user());
        str(g, "host", u.host());
        num(g, "port", u.port());
        str(g, "user_param", u.param("user"));
        str(g, "transport", u.param("transport"));
    }

    private static void sdp(JsonGenerator g, Sdp sdp) throws IOException {
        g.writeObjectFieldStart("sdp");
        num(g, "version", sdp.version());
        if (sdp.originUsername() != null || sdp.originAddress() != null) {
            g.writeObjectFieldStart("owner");
            str(g, "username", sdp.originUsername());
            str(g, "session_id", sdp.originSessionId());
            str(g, "version", sdp.originSessionVersion());
            str(g, "ip", sdp.originAddress());
            g.writeEndObject();
        }
        if (sdp.sessionName() != null) {
            g.writeObjectFieldStart("session");
            g.writeStringField("name", sdp.sessionName());
            g.writeEndObject();
        }
        if (sdp.connectionAddress() != null) {
            g.writeObjectFieldStart("connection");
            g.writeStringField("address", sdp.connectionAddress());
            g.writeEndObject();
        }
        List<String> codecs = null; // distinct, in order (a handful: a list beats a set)
        if (!sdp.media().isEmpty()) {
            g.writeArrayFieldStart("media");
            for (SdpMedia md : sdp.media()) {
                g.writeStartObject();
                str(g, "type", md.type());
                num(g, "port", md.port());
                str(g, "protocol", md.protocol());
                if (!md.formats().isEmpty()) {
                    g.writeArrayFieldStart("formats");
                    for (String f : md.formats()) {
                        g.writeString(f);
                    }
                    g.writeEndArray();
                }
                str(g, "address", md.connectionAddress());
                str(g, "direction", md.direction());
                g.writeEndObject();
                for (SdpCodec c : md.codecs()) {
                    String name = c.encodingName() + (c.clockRate() > 0 ? "/" + c.clockRate() : "");
                    if (codecs == null) {
                        codecs = new ArrayList<>(4);
                    }
                    if (!codecs.contains(name)) {
                        codecs.add(name);
                    }
                }
            }
            g.writeEndArray();
        }
        if (codecs != null) {
            g.writeArrayFieldStart("codecs");
            for (String c : codecs) {
                g.writeString(c);
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    // ------------------------------------------------------------------ RTCP and QoS

    private void rtcp(JsonGenerator g, CapturedMessage m) throws IOException {
        callId(g, m);
        RtcpReport r = m.rtcp;
        if (r == null) {
            rawPayload(g, m);
            return;
        }
        g.writeObjectFieldStart("rtcp");
        g.writeStringField("format", r.format() == RtcpReport.Format.JSON ? "json" : "binary");
        g.writeStringField("type", r.hasSenderInfo() ? "sr" : r.packetTypes().contains(RtcpReport.PT_XR) && r.reportBlocks().isEmpty() ? "xr" : "rr");
        num(g, "ssrc", r.senderSsrc());
        if (r.senderInfo() != null) {
            g.writeObjectFieldStart("sender");
            g.writeNumberField("packets", r.senderInfo().packetCount());
            g.writeNumberField("octets", r.senderInfo().octetCount());
            g.writeNumberField("rtp_timestamp", r.senderInfo().rtpTimestamp());
            g.writeNumberField("ntp_timestamp", r.senderInfo().ntpSeconds());
            g.writeEndObject();
        }
        if (!r.reportBlocks().isEmpty()) {
            g.writeArrayFieldStart("report");
            for (RtcpReport.ReportBlock b : r.reportBlocks()) {
                g.writeStartObject();
                g.writeNumberField("source_ssrc", b.sourceSsrc());
                g.writeNumberField("fraction_lost", b.fractionLost());
                g.writeNumberField("packets_lost", b.cumulativeLost());
                g.writeNumberField("highest_seq", b.extHighestSeq());
                g.writeNumberField("jitter", b.jitter());
                g.writeNumberField("lsr", b.lsr());
                g.writeNumberField("dlsr", b.dlsr());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        if (r.cname() != null) {
            g.writeObjectFieldStart("sdes");
            g.writeStringField("cname", r.cname());
            g.writeEndObject();
        }
        List<XrBlock.VoipMetrics> xr = r.voipMetrics();
        if (!xr.isEmpty()) {
            XrBlock.VoipMetrics v = xr.get(0);
            g.writeObjectFieldStart("xr");
            g.writeNumberField("loss_rate", v.lossRate());
            g.writeNumberField("discard_rate", v.discardRate());
            g.writeNumberField("burst_density", v.burstDensity());
            g.writeNumberField("gap_density", v.gapDensity());
            g.writeNumberField("burst_duration", v.burstDurationMs());
            g.writeNumberField("gap_duration", v.gapDurationMs());
            g.writeNumberField("round_trip_delay", v.roundTripDelayMs());
            g.writeNumberField("end_system_delay", v.endSystemDelayMs());
            g.writeNumberField("r_factor", v.rFactor());
            g.writeNumberField("ext_r_factor", v.extRFactor());
            dbl(g, "mos_lq", v.mosLqValue());
            dbl(g, "mos_cq", v.mosCqValue());
            g.writeEndObject();
        }
        g.writeEndObject();
        reportQuality(g, r);
    }

    /**
     * Quality of this one report: XR values when present, otherwise the E-model over the first
     * report block's interval loss and jitter (G.711, 8 kHz, round-trip unknown). The call's TDR
     * has the per-leg view over all reports.
     */
    private void reportQuality(JsonGenerator g, RtcpReport r) throws IOException {
        List<XrBlock.VoipMetrics> xr = r.voipMetrics();
        if (!xr.isEmpty()) {
            XrBlock.VoipMetrics v = xr.get(0);
            double mos = !Double.isNaN(v.mosCqValue()) ? v.mosCqValue() : v.mosLqValue();
            g.writeObjectFieldStart("qos");
            dbl(g, "mos", mos);
            dbl(g, "r_factor", v.rFactorValue());
            dbl(g, "loss_pct", v.lossRatePct());
            if (v.roundTripDelayMs() > 0) {
                g.writeNumberField("rtt_ms", v.roundTripDelayMs());
            }
            g.writeStringField("mos_source", "xr");
            g.writeEndObject();
            return;
        }
        if (r.reportBlocks().isEmpty()) {
            return;
        }
        RtcpReport.ReportBlock b = r.reportBlocks().get(0);
        double lossPct = b.fractionLostPct();
        double jitterMs = b.jitter() * 1000.0 / Codec.DEFAULT_CLOCK_RATE;
        EModel.Result q = emodel.evaluate(Codec.G711, lossPct, 1.0, 0, jitterMs);
        g.writeObjectFieldStart("qos");
        g.writeNumberField("mos", Math.round(q.mos() * 100) / 100.0);
        g.writeNumberField("r_factor", Math.round(q.r() * 100) / 100.0);
        g.writeNumberField("loss_pct", Math.round(lossPct * 100) / 100.0);
        g.writeNumberField("jitter_ms", Math.round(jitterMs * 1000) / 1000.0);
        g.writeStringField("mos_source", "computed");
        g.writeStringField("codec", Codec.G711.name());
        g.writeEndObject();
    }

    private void qosReport(JsonGenerator g, CapturedMessage m) throws IOException {
        callId(g, m);
        QosReport q = m.qosReport;
        if (q == null) {
            rawPayload(g, m);
            return;
        }
        g.writeObjectFieldStart("qos");
        dblPositive(g, "mos", q.mos());
        dblPositive(g, "r_factor", q.rFactor());
        dblPositive(g, "jitter_ms", q.jitterMs());
        if (q.packets() >= 0) {
            g.writeNumberField("packets", q.packets());
        }
        if (q.lost() >= 0) {
            g.writeNumberField("lost", q.lost());
        }
        long expected = q.expectedOrDerived();
        if (expected > 0 && q.lost() >= 0) {
            g.writeNumberField("loss_pct", Math.round(q.lost() * 10000.0 / expected) / 100.0);
        }
        str(g, "codec", q.codecName());
        g.writeStringField("mos_source", "agent");
        g.writeEndObject();
        g.writeObjectFieldStart("rtcp");
        g.writeStringField("format", "qos_report");
        if (q.ssrc() >= 0) {
            g.writeNumberField("ssrc", q.ssrc());
        }
        g.writeEndObject();
        rawPayload(g, m);
    }

    private static void dblPositive(JsonGenerator g, String name, double v) throws IOException {
        JsonDocument.dblPositive(g, name, v);
    }

    // ------------------------------------------------------------------ LOG, JSON, other

    private void log(JsonGenerator g, CapturedMessage m) throws IOException {
        callId(g, m);
        rawPayload(g, m);
    }

    private void callId(JsonGenerator g, CapturedMessage m) throws IOException {
        String call = m.callId != null ? m.callId : m.hep.correlationId;
        if (call != null && !call.isEmpty()) {
            g.writeObjectFieldStart("call");
            g.writeStringField("id", call);
            g.writeEndObject();
        }
    }

    private void rawPayload(JsonGenerator g, CapturedMessage m) throws IOException {
        byte[] payload = m.hep.payload;
        if (payload == null || payload.length == 0) {
            return;
        }
        if (m.json != null) {
            g.writeObjectFieldStart("payload");
            g.writeStringField("format", "json");
            g.writeFieldName("json");
            g.writeTree(m.json);
            g.writeEndObject();
            JsonDocument.utf8(g, "message", payload);
        } else if (isText(payload)) {
            JsonDocument.utf8(g, "message", payload);
            g.writeObjectFieldStart("payload");
            g.writeStringField("format", "text");
            g.writeEndObject();
        } else {
            g.writeObjectFieldStart("payload");
            g.writeStringField("format", "binary");
            g.writeEndObject();
            g.writeStringField("message", java.util.Base64.getEncoder().encodeToString(payload));
        }
    }

    private static boolean isText(byte[] payload) {
        for (byte b : payload) {
            int c = b & 0xff;
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                return false;
            }
        }
        return true;
    }

    /** Raw payload text of a message, for the "raw message" pointers of APIs. */
    public static String payloadText(ByteBuffer raw) {
        byte[] b = new byte[raw.remaining()];
        raw.duplicate().get(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
