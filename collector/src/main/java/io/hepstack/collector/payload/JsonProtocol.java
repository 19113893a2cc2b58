package io.hepstack.collector.payload;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.ParseFailure;
import io.hepstack.collector.pipeline.PayloadProtocol;

import java.io.IOException;

/**
 * Any other HEP type whose payload is JSON (agents' events and stats): kept as {@code payload.json}
 * in the log family, joining the call its correlation id names.
 *
 * <p>A payload opening with {@code [} is JSON only when the whole of it is one array
 * ({@code [1, {"a": "b"}]}, kept under {@code payload.json} like an object); a line such as
 * {@code [2026-01-01 10:00:00] INFO ...} or {@code [cfg:12] text} is text, kept whole as
 * {@code message} ({@code payload.format: text}), not a parse failure. An object that does not
 * parse is a {@code json_parse} failure.
 */
public final class JsonProtocol implements PayloadProtocol<JsonNode> {

    private final ObjectMapper mapper;
    private final ObjectReader strictJson;

    public JsonProtocol(ObjectMapper mapper) {
        this.mapper = mapper;
        this.strictJson = strict(mapper);
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

    /** The JSON, or null for a text line that opens with {@code [}. */
    @Override
    public JsonNode parse(HepPacket packet) throws ParseFailure {
        byte[] payload = packet.payload;
        if (opensArray(payload)) {
            return arrayOrNull(strictJson, payload);
        }
        return readJson(mapper, payload);
    }

    /** A reader that refuses anything after the JSON value (so "[x] text" is not the array "[x]"). */
    static ObjectReader strict(ObjectMapper mapper) {
        return mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** Whether the first non-blank byte is {@code [}. */
    static boolean opensArray(byte[] payload) {
        if (payload != null) {
            for (byte b : payload) {
                if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                    return b == '[';
                }
            }
        }
        return false;
    }

    /** The whole payload as one JSON array, or null when it is not (a text line opening with {@code [}). */
    static JsonNode arrayOrNull(ObjectReader strict, byte[] payload) {
        try {
            return strict.readTree(payload);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public boolean writesCallId() {
        return true; // PayloadFields.callId
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
