package io.hepstack.collector.payload;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.hepstack.collector.document.JsonDocument;
import io.hepstack.collector.document.LeanDefaults;
import io.hepstack.collector.pipeline.CapturedMessage;

import java.io.IOException;
import java.util.Base64;

/** Fields several protocols share: the call a message names, and the raw payload. */
public final class PayloadFields {

    private PayloadFields() {
    }

    /** {@code call.id}: the call the correlator placed it in, else its HEP correlation id. */
    public static void callId(JsonGenerator g, CapturedMessage m) throws IOException {
        String call = m.callId != null ? m.callId : m.hep.correlationId;
        if (call != null && !call.isEmpty()) {
            g.writeObjectFieldStart("call");
            g.writeStringField("id", call);
            g.writeEndObject();
        }
    }

    /**
     * The payload as {@code message}: as JSON ({@code payload.json}) when {@code json} is given, as
     * text when it is text, else base64 ({@code payload.format} says which).
     */
    public static void rawPayload(JsonGenerator g, CapturedMessage m, JsonNode json) throws IOException {
        rawPayload(g, m, json, true);
    }

    /** {@link #rawPayload(JsonGenerator, CapturedMessage, JsonNode)}; without {@code full}, text says no {@code payload.format} (LeanDefaults). */
    public static void rawPayload(JsonGenerator g, CapturedMessage m, JsonNode json, boolean full) throws IOException {
        byte[] payload = m.hep.payload;
        if (payload == null || payload.length == 0) {
            return;
        }
        if (json != null) {
            g.writeObjectFieldStart("payload");
            g.writeStringField("format", "json");
            g.writeFieldName("json");
            g.writeTree(json);
            g.writeEndObject();
            JsonDocument.utf8(g, "message", payload);
        } else if (isText(payload)) {
            JsonDocument.utf8(g, "message", payload);
            if (full) {
                g.writeObjectFieldStart("payload");
                g.writeStringField("format", LeanDefaults.USUAL_PAYLOAD_FORMAT);
                g.writeEndObject();
            }
        } else {
            g.writeObjectFieldStart("payload");
            g.writeStringField("format", "binary");
            g.writeEndObject();
            g.writeStringField("message", Base64.getEncoder().encodeToString(payload));
        }
    }

    static boolean isText(byte[] payload) {
        for (byte b : payload) {
            int c = b & 0xff;
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                return false;
            }
        }
        return true;
    }

    /** True when the payload's first non-blank byte opens a JSON object or array. */
    public static boolean looksLikeJson(byte[] payload) {
        if (payload == null) {
            return false;
        }
        for (byte b : payload) {
            if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
                continue;
            }
            return b == '{' || b == '[';
        }
        return false;
    }
}
