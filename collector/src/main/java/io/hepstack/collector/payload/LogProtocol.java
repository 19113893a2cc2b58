package io.hepstack.collector.payload;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.ParseFailure;
import io.hepstack.collector.pipeline.PayloadProtocol;

import java.io.IOException;

/**
 * HEP type 100 (LOG): a line of text, or JSON, that an agent (Kamailio's {@code hlog}, FreeSWITCH,
 * rtpengine) sends with the Call-ID as correlation id; it joins that call as a log.
 */
public final class LogProtocol implements PayloadProtocol<JsonNode> {

    private final ObjectMapper mapper;

    public LogProtocol(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public String dataset() {
        return "log";
    }

    @Override
    public String family() {
        return "log";
    }

    @Override
    public int[] protoTypes() {
        return new int[] {HepPacket.PROTO_LOG};
    }

    @Override
    public JsonNode parse(HepPacket packet) throws ParseFailure {
        return PayloadFields.looksLikeJson(packet.payload) ? JsonProtocol.readJson(mapper, packet.payload) : null;
    }

    @Override
    public void write(JsonNode json, CapturedMessage m, JsonGenerator g) throws IOException {
        PayloadFields.callId(g, m);
        PayloadFields.rawPayload(g, m, json);
    }
}
