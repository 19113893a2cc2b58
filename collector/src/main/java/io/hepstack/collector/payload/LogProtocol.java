package io.hepstack.collector.payload;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.hepstack.collector.hep.HepPacket;
import io.hepstack.collector.document.LeanDefaults;
import io.hepstack.collector.document.MessageFields;
import io.hepstack.collector.pipeline.CapturedMessage;
import io.hepstack.collector.pipeline.ParseFailure;
import io.hepstack.collector.pipeline.PayloadProtocol;
import io.hepstack.collector.payload.LogLineParser.Format;
import io.hepstack.collector.payload.LogLineParser.LogLine;

import java.io.IOException;

import static io.hepstack.collector.document.JsonDocument.num;
import static io.hepstack.collector.document.JsonDocument.str;

/**
 * HEP type 100 (LOG): a line of text, or JSON, that an agent (Kamailio's {@code hlog}/{@code xlog},
 * OpenSIPS' {@code xlog}, FreeSWITCH, rtpengine, a syslog relay) sends with the Call-ID as
 * correlation id; it joins that call as a log.
 *
 * <p>The line is read into ECS fields by {@link LogLineParser}: syslog RFC 3164 and RFC 5424
 * ({@code log.syslog.*}, {@code log.level} from the severity, {@code host.name}, {@code process.*}),
 * Kamailio/OpenSIPS log lines ({@code log.level}, {@code log.logger}, {@code process.pid}), and the
 * well-known keys of JSON events (kept whole under {@code payload.json}). {@code message} is then the
 * message part and the whole line is {@code event.original}. Unknown text (and any line over
 * {@link LogLineParser#MAX_PARSED} bytes) is kept whole as {@code message}, binary as base64.
 */
public final class LogProtocol implements PayloadProtocol<LogLine> {

    private final ObjectMapper mapper;
    /** For payloads opening with {@code [}: JSON only when nothing follows the array. */
    private final ObjectReader strictJson;

    public LogProtocol(ObjectMapper mapper) {
        this.mapper = mapper;
        this.strictJson = JsonProtocol.strict(mapper);
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

    /**
     * A JSON object that does not parse is a {@code json_parse} failure (a line opening with {@code [}
     * that is not JSON is a text line); text never fails; binary and empty payloads return null.
     */
    @Override
    public LogLine parse(HepPacket packet) throws ParseFailure {
        byte[] payload = packet.payload;
        if (PayloadFields.looksLikeJson(payload)) {
            if (!JsonProtocol.opensArray(payload)) {
                return LogLineParser.json(JsonProtocol.readJson(mapper, payload));
            }
            JsonNode array = JsonProtocol.arrayOrNull(strictJson, payload);
            if (array != null) {
                return LogLineParser.json(array);
            }
            // "[cfg:12] text" (hlog), "[2741] WARN:..." (OpenSIPS): a line, not a JSON array
        }
        if (payload == null || payload.length == 0 || !PayloadFields.isText(payload)) {
            return null;
        }
        return LogLineParser.parse(payload);
    }

    /** The whole line goes to {@code event.original} when {@code message} holds only its message part. */
    @Override
    public boolean keepsOriginal(LogLine line) {
        return line != null && line.message() != null;
    }

    /**
     * Lean: the line is not stored twice; {@code message}, {@code log.*}, {@code host.name} and
     * {@code process.*} hold its parts (the sender's own time stamp in it is not kept).
     */
    @Override
    public boolean keepsOriginal(LogLine line, MessageFields fields) {
        return fields.full() && keepsOriginal(line);
    }

    @Override
    public boolean writesCallId() {
        return true; // PayloadFields.callId
    }

    @Override
    public void write(LogLine line, CapturedMessage m, JsonGenerator g) throws IOException {
        write(line, m, g, MessageFields.FULL);
    }

    /** Lean: no {@code payload.format} for text, the usual kind of a log's {@code message} (readers: LeanDefaults). */
    @Override
    public void write(LogLine line, CapturedMessage m, JsonGenerator g, MessageFields fields) throws IOException {
        boolean full = fields.full();
        PayloadFields.callId(g, m);
        if (line == null || line.format() == Format.TEXT) {
            PayloadFields.rawPayload(g, m, null, full);
            return;
        }
        if (line.format() == Format.JSON) {
            if (line.message() == null) {
                PayloadFields.rawPayload(g, m, line.json());
            } else {
                g.writeObjectFieldStart("payload");
                g.writeStringField("format", "json");
                g.writeFieldName("json");
                g.writeTree(line.json());
                g.writeEndObject();
                g.writeStringField("message", line.message());
            }
        } else {
            g.writeStringField("message", line.message());
            if (full) {
                g.writeObjectFieldStart("payload");
                g.writeStringField("format", LeanDefaults.USUAL_PAYLOAD_FORMAT);
                g.writeEndObject();
            }
        }
        writeLog(line, g);
        if (line.host() != null) {
            g.writeObjectFieldStart("host");
            g.writeStringField("name", line.host());
            g.writeEndObject();
        }
        if (line.process() != null || line.pid() >= 0) {
            g.writeObjectFieldStart("process");
            str(g, "name", line.process());
            num(g, "pid", line.pid());
            g.writeEndObject();
        }
    }

    private static void writeLog(LogLine line, JsonGenerator g) throws IOException {
        if (line.level() == null && line.logger() == null && line.priority() < 0) {
            return;
        }
        g.writeObjectFieldStart("log");
        str(g, "level", line.level());
        str(g, "logger", line.logger());
        if (line.priority() >= 0) {
            g.writeObjectFieldStart("syslog");
            g.writeNumberField("priority", line.priority());
            g.writeObjectFieldStart("facility");
            g.writeNumberField("code", line.facility());
            g.writeStringField("name", LogLineParser.FACILITIES[line.facility()]);
            g.writeEndObject();
            g.writeObjectFieldStart("severity");
            g.writeNumberField("code", line.severity());
            g.writeStringField("name", LogLineParser.SEVERITIES[line.severity()]);
            g.writeEndObject();
            str(g, "appname", line.process());
            str(g, "version", line.version());
            str(g, "msgid", line.msgid());
            str(g, "structured_data", line.structuredData());
            g.writeEndObject();
        }
        g.writeEndObject();
    }
}
