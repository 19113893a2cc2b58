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
 * Any other HEP type whose payload is JSON (agents' events and stats): kept as {@code payload.json}
 * in the log family, joining the call its correlation id names.
 */
public final class JsonProtocol implements PayloadProtocol<JsonNode> {

    private final ObjectMapper mapper;

    public JsonProtocol(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public String dataset() {
        return "json";
    }

    @Override
    public String family() {
        return "log";
    }

    @Override
    public int[] protoTypes() {
        return new int[0];
    }

    @Override
    public boolean accepts(HepPacket packet) {
        return PayloadFields.looksLikeJson(packet.payload);
    }

    @Override
    public JsonNode parse(HepPacket packet) throws ParseFailure {
        return readJson(mapper, packet.payload);
    }

    @Override
    public void write(JsonNode json, CapturedMessage m, JsonGenerator g) throws IOException {
        PayloadFields.callId(g, m);
        PayloadFields.rawPayload(g, m, json);
    }

    static JsonNode readJson(ObjectMapper mapper, byte[] payload) throws ParseFailure {
        try {
            return mapper.readTree(payload == null ? new byte[0] : payload);
        } catch (IOException | RuntimeException e) {
            throw new ParseFailure("json_parse", e.getMessage(), e);
        }
    }
}
