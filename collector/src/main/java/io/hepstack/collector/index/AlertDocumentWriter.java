package io.hepstack.collector.index;

import com.fasterxml.jackson.core.JsonGenerator;
import io.hepstack.collector.document.IndexNames;
import io.hepstack.collector.fraud.Alert;
import io.hepstack.collector.document.JsonDocument;
import io.hepstack.collector.document.Timestamps;

import java.io.IOException;
import java.io.UncheckedIOException;

import static io.hepstack.collector.document.JsonDocument.str;

/**
 * The document of a fraud alert, for {@code hep-alert-YYYY.MM.DD} (the day the de-duplication
 * window started). An alert's id is fixed for its window, so its updates (a growing count)
 * overwrite one document; the last-seen time is the external version, so an older update never
 * wins. Not thread-safe: the index stage's.
 */
final class AlertDocumentWriter {

    private final JsonDocument doc = new JsonDocument();
    private final Timestamps timestamps = new Timestamps();
    private final IndexNames names = new IndexNames("alert");

    IndexRequest request(Alert a) {
        return IndexRequest.upsert(names.forMicros(a.windowStartMicros()), a.id(), document(a), a.lastSeenMicros());
    }

    byte[] document(Alert a) {
        try {
            JsonGenerator g = doc.begin();
            g.writeStringField("@timestamp", timestamps.iso(a.timestampMicros()));
            g.writeObjectFieldStart("event");
            g.writeStringField("kind", "alert");
            g.writeStringField("dataset", "hep.alert");
            g.writeStringField("action", a.rule().code());
            g.writeNumberField("ingested", System.currentTimeMillis());
            g.writeEndObject();
            if (a.sourceIp() != null) {
                g.writeObjectFieldStart("source");
                g.writeStringField("ip", a.sourceIp());
                g.writeEndObject();
            }
            g.writeStringField("message", a.message());
            g.writeObjectFieldStart("alert");
            g.writeStringField("id", a.id());
            g.writeStringField("rule", a.rule().code());
            g.writeStringField("severity", a.severity().code());
            str(g, "parameter", a.parameter());
            JsonDocument.dbl(g, "value", a.value());
            JsonDocument.dbl(g, "threshold", a.threshold());
            str(g, "subject", a.subject());
            str(g, "user", a.user());
            str(g, "called_number", a.calledNumber());
            if (a.profileId() != null) {
                g.writeStringField("profile", Integer.toString(a.profileId()));
            }
            if (a.ruleId() != null) {
                g.writeStringField("rule_id", Integer.toString(a.ruleId()));
            }
            str(g, "call_id", a.callId());
            str(g, "source_ip", a.sourceIp());
            g.writeObjectFieldStart("window");
            g.writeStringField("start", timestamps.iso(a.windowStartMicros()));
            g.writeStringField("end", timestamps.iso(a.windowEndMicros()));
            g.writeEndObject();
            g.writeNumberField("count", a.count());
            g.writeStringField("first_seen", timestamps.iso(a.timestampMicros()));
            g.writeStringField("last_seen", timestamps.iso(a.lastSeenMicros()));
            g.writeStringField("message", a.message());
            g.writeEndObject();
            return doc.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
