package io.hepstack.collector.pipeline;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.collector.index.DocumentIds;
import io.hepstack.collector.index.IndexNames;
import io.hepstack.collector.protocol.rtcp.RtcpJsonParser;
import io.hepstack.collector.protocol.rtcp.RtcpParseException;
import io.hepstack.collector.protocol.rtcp.RtcpPayloadParser;
import io.hepstack.collector.protocol.sip.SipParseException;
import io.hepstack.collector.protocol.sip.SipParser;

import java.io.IOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Classifies each payload, gives it its document id and index, and parses it with the parser for
 * its protocol. A payload that does not parse keeps {@code parseError} and is still indexed.
 */
public final class ParseStage implements Stage {

    private final SipParser sipParser = new SipParser();
    private final RtcpJsonParser rtcpJson;
    private final RtcpPayloadParser rtcpParser;
    private final ObjectMapper mapper;
    private final Map<PayloadKind, IndexNames> names = new EnumMap<>(PayloadKind.class);
    private final Map<PayloadKind, Meter> parsed = new EnumMap<>(PayloadKind.class);
    private final Map<PayloadKind, Meter> unparsed = new EnumMap<>(PayloadKind.class);

    public ParseStage(ObjectMapper mapper, MetricRegistry metrics) {
        this.mapper = mapper;
        this.rtcpJson = new RtcpJsonParser(mapper);
        this.rtcpParser = new RtcpPayloadParser(new io.hepstack.collector.protocol.rtcp.RtcpBinaryParser(), rtcpJson);
        for (PayloadKind k : PayloadKind.values()) {
            names.put(k, new IndexNames(k.family()));
            parsed.put(k, metrics.meter("parse." + k.dataset() + ".ok"));
            unparsed.put(k, metrics.meter("parse." + k.dataset() + ".failed"));
        }
    }

    @Override
    public void process(List<CapturedMessage> batch) {
        for (CapturedMessage m : batch) {
            parse(m);
        }
    }

    void parse(CapturedMessage m) {
        m.kind = PayloadKind.of(m.hep);
        m.id = DocumentIds.of(m.hep);
        m.index = names.get(m.kind).forMicros(m.timestampMicros());
        byte[] payload = m.hep.payload == null ? new byte[0] : m.hep.payload;
        try {
            switch (m.kind) {
                case SIP -> m.sip = sipParser.parse(payload, 0, payload.length);
                case RTCP -> m.rtcp = rtcpParser.parse(payload);
                case QOS_REPORT -> m.qosReport = rtcpJson.parseQosReport(payload, m.hep.protoType);
                case JSON -> m.json = mapper.readTree(payload);
                case LOG -> {
                    if (PayloadKind.looksLikeJson(payload)) {
                        m.json = mapper.readTree(payload);
                    }
                }
                case OTHER -> {
                }
            }
            parsed.get(m.kind).mark();
        } catch (SipParseException e) {
            fail(m, "sip_parse", e.getMessage());
        } catch (RtcpParseException e) {
            fail(m, "rtcp_parse", e.getMessage());
        } catch (IOException | RuntimeException e) {
            fail(m, "json_parse", e.getMessage());
        }
    }

    private void fail(CapturedMessage m, String type, String message) {
        m.parseError = type + ": " + message;
        unparsed.get(m.kind).mark();
    }
}
