package io.hepstack.collector.payload;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.collector.document.JsonDocument;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.CorrelationRole;
import io.hepstack.collector.pipeline.ParseFailure;
import io.hepstack.collector.pipeline.PayloadProtocol;
import io.hepstack.collector.protocol.rtcp.QosReport;
import io.hepstack.collector.protocol.rtcp.RtcpJsonParser;
import io.hepstack.collector.protocol.rtcp.RtcpParseException;

import java.io.IOException;

import static io.hepstack.collector.document.JsonDocument.str;

/**
 * Media quality an agent computed itself and sent as JSON: HEP types 32 (QoS report), 34 and 35
 * (MOS/RTP full and short reports). Indexed with the RTCP family; the correlator feeds it to the
 * call's media leg as an agent-sourced quality.
 */
public final class QosReportProtocol implements PayloadProtocol<QosReport> {

    private final RtcpJsonParser parser;

    public QosReportProtocol(ObjectMapper mapper) {
        this.parser = new RtcpJsonParser(mapper);
    }

    @Override
    public String dataset() {
        return "qos_report";
    }

    @Override
    public String family() {
        return "rtcp";
    }

    @Override
    public int[] protoTypes() {
        return new int[] {HepPacket.PROTO_QOS_REPORT, HepPacket.PROTO_MOS_FULL, HepPacket.PROTO_MOS_SHORT};
    }

    @Override
    public QosReport parse(HepPacket packet) throws ParseFailure {
        try {
            return parser.parseQosReport(packet.payload == null ? new byte[0] : packet.payload, packet.protoType);
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
    public Object mediaReport(QosReport q) {
        return q;
    }

    @Override
    public boolean writesCallId() {
        return true; // PayloadFields.callId
    }

    @Override
    public void write(QosReport q, CapturedMessage m, JsonGenerator g) throws IOException {
        PayloadFields.callId(g, m);
        if (q == null) {
            PayloadFields.rawPayload(g, m, null);
            return;
        }
        g.writeObjectFieldStart("qos");
        JsonDocument.dblPositive(g, "mos", q.mos());
        JsonDocument.dblPositive(g, "r_factor", q.rFactor());
        JsonDocument.dblPositive(g, "jitter_ms", q.jitterMs());
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
        PayloadFields.rawPayload(g, m, null);
    }
}
