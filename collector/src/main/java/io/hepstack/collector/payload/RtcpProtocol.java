package io.hepstack.collector.payload;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.collector.document.LeanDefaults;
import io.hepstack.collector.document.MessageFields;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.CorrelationRole;
import io.hepstack.collector.pipeline.ParseFailure;
import io.hepstack.collector.pipeline.PayloadProtocol;
import io.hepstack.collector.protocol.rtcp.RtcpBinaryParser;
import io.hepstack.collector.protocol.rtcp.RtcpJsonParser;
import io.hepstack.collector.protocol.rtcp.RtcpParseException;
import io.hepstack.collector.protocol.rtcp.RtcpPayloadParser;
import io.hepstack.collector.protocol.rtcp.RtcpReport;
import io.hepstack.collector.protocol.rtcp.XrBlock;
import io.hepstack.collector.qos.IntervalQuality;

import java.io.IOException;
import java.util.List;

import static io.hepstack.collector.document.JsonDocument.dbl;
import static io.hepstack.collector.document.JsonDocument.num;

/**
 * RTCP (HEP type 5), binary or as JSON (heplify, rtpengine): SR/RR report blocks, SDES CNAME and
 * RTCP-XR VoIP metrics. The document carries the report and its own quality ({@code qos.*}: XR
 * values when present, else the E-model over the first block); the correlator feeds it to the
 * call's media leg.
 */
public final class RtcpProtocol implements PayloadProtocol<RtcpReport> {

    private final RtcpPayloadParser parser;
    private final IntervalQuality.Estimator estimator = new IntervalQuality.Estimator();

    public RtcpProtocol(ObjectMapper mapper) {
        this.parser = new RtcpPayloadParser(new RtcpBinaryParser(), new RtcpJsonParser(mapper));
    }

    @Override
    public String dataset() {
        return "rtcp";
    }

    @Override
    public String family() {
        return "rtcp";
    }

    @Override
    public int[] protoTypes() {
        return new int[] {HepPacket.PROTO_RTCP_JSON};
    }

    @Override
    public RtcpReport parse(HepPacket packet) throws ParseFailure {
        try {
            return parser.parse(packet.payload == null ? new byte[0] : packet.payload);
        } catch (RtcpParseException e) {
            throw new ParseFailure("rtcp_parse", e.getMessage());
        } catch (RuntimeException e) {
            throw new ParseFailure("json_parse", e.getMessage(), e);
        }
    }

    @Override
    public CorrelationRole role() {
        return CorrelationRole.MEDIA_REPORT;
    }

    @Override
    public Object mediaReport(RtcpReport r) {
        return r;
    }

    @Override
    public boolean writesCallId() {
        return true; // PayloadFields.callId
    }

    @Override
    public void write(RtcpReport r, CapturedMessage m, JsonGenerator g) throws IOException {
        write(r, m, g, MessageFields.FULL);
    }

    /** Lean: {@code rtcp.format} only when not {@code json}, {@code qos.mos_source} only when not {@code computed} (readers: LeanDefaults). */
    @Override
    public void write(RtcpReport r, CapturedMessage m, JsonGenerator g, MessageFields fields) throws IOException {
        boolean full = fields.full();
        PayloadFields.callId(g, m);
        if (r == null) {
            PayloadFields.rawPayload(g, m, null);
            return;
        }
        g.writeObjectFieldStart("rtcp");
        if (full || r.format() != RtcpReport.Format.JSON) {
            g.writeStringField("format", r.format() == RtcpReport.Format.JSON ? "json" : "binary");
        }
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
        reportQuality(g, r, full);
    }

    /**
     * Quality of this one report: XR values when present, otherwise the E-model over the first
     * report block's interval loss and jitter (G.711, 8 kHz, round-trip unknown). The call's TDR
     * has the per-leg view over all reports.
     */
    private void reportQuality(JsonGenerator g, RtcpReport r, boolean full) throws IOException {
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
        IntervalQuality q = estimator.of(r.reportBlocks().get(0));
        g.writeObjectFieldStart("qos");
        g.writeNumberField("mos", q.mos());
        g.writeNumberField("r_factor", q.rFactor());
        g.writeNumberField("loss_pct", q.lossPct());
        g.writeNumberField("jitter_ms", q.jitterMs());
        if (full) {
            g.writeStringField("mos_source", LeanDefaults.USUAL_MOS_SOURCE);
        }
        g.writeStringField("codec", q.codec().name());
        g.writeEndObject();
    }
}
