package io.hepstack.collector.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The dead-letter copy of a document Elasticsearch refused for good (a 4xx item answer other than
 * a duplicate or back-pressure, e.g. a value its mapping cannot take): accepted means stored, so
 * what the message index refuses is kept in {@code hep-deadletter-YYYY.MM.DD} instead, whose
 * template (index-templates/component/hep-deadletter.json) takes anything:
 * <ul>
 *   <li>{@code raw}: the refused document's bytes, base64 (a {@code binary} field, stored, not indexed) —
 *       it holds the HEP header fields and, for SIP, the message text in {@code event.original};</li>
 *   <li>{@code header}: the HEP header fields of that document ({@code @timestamp}, {@code event.dataset},
 *       {@code network}, {@code source}, {@code destination}, {@code hep}) as a {@code flattened} field, so a
 *       value of any type fits and stays searchable as text;</li>
 *   <li>{@code deadletter.*}: where it should have gone (index, id, status), {@code error.*}: Elasticsearch's reason.</li>
 * </ul>
 * The id is derived from the refused document's, so a replayed refusal does not duplicate.
 */
public final class DeadLetters {

    public static final String FAMILY = "deadletter";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd").withZone(ZoneOffset.UTC);
    private static final List<String> HEADER_FIELDS = List.of("@timestamp", "event", "network", "source", "destination", "hep");

    private DeadLetters() {
    }

    static boolean isDeadLetter(IndexRequest r) {
        return FAMILY.equals(r.family());
    }

    /** The dead-letter request for {@code refused}, answered with {@code status}, {@code type} and {@code reason}. */
    static IndexRequest of(IndexRequest refused, int status, String type, String reason, Instant now) {
        ObjectNode doc = MAPPER.createObjectNode();
        doc.put("@timestamp", now.toString());
        ObjectNode dl = doc.putObject("deadletter");
        dl.put("index", refused.index());
        dl.put("id", refused.id());
        dl.put("family", refused.family());
        dl.put("status", status);
        ObjectNode error = doc.putObject("error");
        error.put("type", type == null ? "unknown" : type);
        error.put("message", reason == null ? "" : reason);
        byte[] raw = refused.document();
        ObjectNode header = header(raw);
        if (header != null) {
            doc.set("header", header);
        }
        doc.put("raw", raw); // Jackson writes byte[] as base64
        try {
            return IndexRequest.create("hep-" + FAMILY + "-" + DAY.format(now), refused.index() + "/" + refused.id(),
                    MAPPER.writeValueAsBytes(doc));
        } catch (IOException e) {
            throw new IllegalStateException("writing a tree to bytes cannot fail", e);
        }
    }

    /** The header objects of the refused JSON document, or null when it does not parse. */
    private static ObjectNode header(byte[] source) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(source);
        } catch (IOException e) {
            return null;
        }
        if (tree == null || !tree.isObject()) {
            return null;
        }
        ObjectNode header = MAPPER.createObjectNode();
        for (String field : HEADER_FIELDS) {
            JsonNode value = tree.get(field);
            if (value != null && !value.isNull()) {
                header.set(field.equals("@timestamp") ? "timestamp" : field, value);
            }
        }
        if (header.get("event") instanceof ObjectNode event) {
            event.remove("original"); // the payload is in raw; a flattened leaf is limited in size
        }
        return header;
    }
}
