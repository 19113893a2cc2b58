package io.hepstack.collector.api.callview;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hepstack.collector.api.ApiErrors;
import io.hepstack.collector.api.SearchGuard;
import io.hepstack.collector.api.TimeParam;
import io.hepstack.collector.api.search.ResultRows;
import io.hepstack.collector.document.LeanDefaults;
import io.hepstack.collector.document.RawText;
import io.hepstack.collector.document.Timestamps;
import io.hepstack.collector.hep.HepProtoNames;
import io.hepstack.collector.security.DataScope;
import io.hepstack.collector.security.Role;
import io.hepstack.collector.security.User;
import io.hepstack.enricher.Enricher;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code GET /api/v1/messages/{index}/{id}}: one message in full for the detail pane — the raw
 * text, its SIP headers one by one and its body apart, the parsed fields, the HEP fields and the
 * enrichment (looked up now where the document is lean, {@link EnrichmentLookup}). Read with a search (not a GET of the document) so the user's scope applies; only
 * hepstack's daily message indices can be named.
 */
@Path("/api/v1/messages")
@Produces(MediaType.APPLICATION_JSON)
public final class MessageResource {

    private static final Pattern INDEX = Pattern.compile("hep-(sip|rtcp|log|dns|rtcpxr)-\\d{4}\\.\\d{2}\\.\\d{2}");
    private static final int MAX_HEADERS = 500;

    private final SearchGuard es;
    private final EnrichmentLookup lookup;

    /** @param enricher looks up what a lean document leaves to the TDR; null: the document's fields only */
    public MessageResource(SearchGuard es, Enricher enricher) {
        this.es = es;
        this.lookup = new EnrichmentLookup(es.mapper(), enricher);
    }

    @GET
    @Path("/{index}/{id}")
    @RolesAllowed(Role.VIEWER_NAME)
    public ObjectNode message(@PathParam("index") String index, @PathParam("id") String id, @Context SecurityContext sc) {
        if (!INDEX.matcher(index).matches()) {
            throw ApiErrors.badRequest("not a message index: '" + index + "'");
        }
        ObjectNode body = es.mapper().createObjectNode();
        body.put("size", 1);
        ArrayNode filter = body.putObject("query").putObject("bool").putArray("filter");
        filter.addObject().putObject("ids").putArray("values").add(id);
        es.addScope(filter, User.of(sc).scope(), DataScope.Target.MESSAGES);
        JsonNode hit = es.search(index, body).path("hits").path("hits").path(0);
        if (hit.isMissingNode()) {
            throw ApiErrors.notFound("no message " + id + " in " + index);
        }
        return detail(hit);
    }

    ObjectNode detail(JsonNode hit) {
        JsonNode s = hit.path("_source");
        ObjectNode o = es.mapper().createObjectNode();
        o.put("id", hit.path("_id").asText());
        o.put("index", hit.path("_index").asText());
        long us = TimeParam.micros(s.path("@timestamp").asText(null));
        o.put("time", us == Long.MIN_VALUE ? null : new Timestamps().iso(us));
        String protocol = ResultRows.protocol(s);
        o.put("protocol", protocol);
        String raw = RawText.original(s);
        if (raw == null) {
            raw = s.path("message").asText(null);
        }
        o.put("raw", raw);
        ArrayNode headers = o.putArray("sip_headers");
        String bodyText = null;
        if ("sip".equals(protocol) && raw != null) {
            bodyText = splitSip(raw, headers);
        }
        o.put("body", bodyText);
        ObjectNode parsed = o.putObject("parsed");
        for (String f : List.of("sip", "rtcp", "qos", "vq", "dns", "log", "payload", "call", "error", "host", "process")) {
            if (s.has(f)) {
                parsed.set(f, s.get(f).deepCopy());
            }
        }
        usualValues(parsed, s, headers);
        JsonNode hep = s.path("hep");
        ObjectNode h = o.putObject("hep");
        h.set("capture_id", hep.path("capture_id").isMissingNode() ? null : hep.get("capture_id"));
        h.put("node", hep.path("node").asText(null));
        h.put("transport", LeanDefaults.networkTransport(s));
        h.put("received_over", LeanDefaults.receivedOver(s)); // lean: written when not udp
        int protoType = LeanDefaults.protoType(s); // lean: written when not the dataset's usual type
        if (protoType >= 0) {
            h.put("proto_type", protoType);
        } else {
            h.putNull("proto_type");
        }
        h.put("proto_name", hep.path("proto_name").asText(protoType >= 0 ? HepProtoNames.of(protoType) : null));
        h.set("src", endpoint(s.path("source")));
        h.set("dst", endpoint(s.path("destination")));
        h.put("time", o.path("time").asText(null));
        h.put("correlation_id", hep.path("correlation_id").asText(s.path("call").path("id").asText(null))); // lean: call.id when the same
        h.set("fields", hep);
        ObjectNode e = o.putObject("enrichment");
        ObjectNode src = lookup.endpoint(s.path("source"));
        ObjectNode dst = lookup.endpoint(s.path("destination"));
        ObjectNode geo = e.putObject("geo");
        geo.set("src", src.get("geo"));
        geo.set("dst", dst.get("geo"));
        ObjectNode as = e.putObject("as");
        as.set("src", src.get("as"));
        as.set("dst", dst.get("as"));
        ObjectNode e164 = e.putObject("e164");
        JsonNode sip = parsed.path("sip");
        for (String part : List.of("from", "to", "pai", "uri")) {
            e164.set(part, lookup.number(sip.path(part)));
        }
        ObjectNode bl = e.putObject("blacklist");
        bl.set("summary", s.path("blacklist").isMissingNode() ? null : s.path("blacklist"));
        bl.set("src", src.get("blacklist"));
        bl.set("dst", dst.get("blacklist"));
        return o;
    }

    /**
     * Puts back into the parsed fields what a lean document leaves out as the usual value
     * (LeanDefaults), so the view shows a lean and a full document of a message alike: the reason
     * phrase, a request's CSeq method, the Content-Type, a P-Asserted-Identity that is the From's
     * URI, the RTCP format, the MOS source and a text payload's format. The Content-Type and the PAI
     * come from {@code headers}, the raw text's headers as {@link #splitSip} gave them.
     */
    private static void usualValues(ObjectNode parsed, JsonNode s, ArrayNode headers) {
        if (parsed.path("sip") instanceof ObjectNode sip) {
            putIfAbsent(sip, "status", LeanDefaults.status(sip));
            if (sip.path("cseq") instanceof ObjectNode cseq) {
                putIfAbsent(cseq, "method", LeanDefaults.cseqMethod(sip));
            }
            putIfAbsent(sip, "content_type", header(headers, "content-type", "c"));
            if (!sip.has("pai") && sip.path("from").has("uri") && header(headers, "p-asserted-identity", null) != null) {
                sip.putObject("pai").set("uri", sip.path("from").path("uri").deepCopy());
            }
        }
        if (parsed.path("rtcp") instanceof ObjectNode rtcp) {
            putIfAbsent(rtcp, "format", LeanDefaults.rtcpFormat(s));
        }
        if (parsed.path("qos") instanceof ObjectNode qos && s.has("rtcp")) {
            putIfAbsent(qos, "mos_source", LeanDefaults.mosSource(s));
        }
        String payloadFormat = LeanDefaults.payloadFormat(s);
        if (payloadFormat != null && !parsed.path("payload").has("format")) {
            (parsed.path("payload") instanceof ObjectNode p ? p : parsed.putObject("payload")).put("format", payloadFormat);
        }
    }

    /** The value of the first of {@code headers} named {@code name} or {@code compact}, ignoring case; null when none. */
    private static String header(ArrayNode headers, String name, String compact) {
        for (JsonNode h : headers) {
            String n = h.path(0).asText();
            if (n.equalsIgnoreCase(name) || n.equalsIgnoreCase(compact)) {
                return h.path(1).asText();
            }
        }
        return null;
    }

    private static void putIfAbsent(ObjectNode o, String field, String value) {
        if (!o.has(field) && value != null) {
            o.put(field, value);
        }
    }

    private ObjectNode endpoint(JsonNode e) {
        ObjectNode o = es.mapper().createObjectNode();
        o.put("ip", e.path("ip").asText(null));
        if (e.path("port").isNumber()) {
            o.put("port", e.path("port").asInt());
        } else {
            o.putNull("port");
        }
        return o;
    }

    /** Adds {@code [name, value]} per header (folded lines joined) and returns the body, null when none. */
    public static String splitSip(String raw, ArrayNode headers) {
        int end = raw.indexOf("\r\n\r\n");
        int bodyStart = end < 0 ? -1 : end + 4;
        if (end < 0) {
            end = raw.indexOf("\n\n");
            bodyStart = end < 0 ? -1 : end + 2;
        }
        String head = end < 0 ? raw : raw.substring(0, end);
        String[] lines = head.split("\r?\n");
        ArrayNode last = null;
        for (int i = 1; i < lines.length && headers.size() < MAX_HEADERS; i++) {
            String line = lines[i];
            if ((line.startsWith(" ") || line.startsWith("\t")) && last != null) {
                String v = last.get(1).asText() + " " + line.trim();
                last.remove(1);
                last.add(v);
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            last = headers.addArray();
            last.add(line.substring(0, colon).trim());
            last.add(line.substring(colon + 1).trim());
        }
        return bodyStart < 0 || bodyStart >= raw.length() ? null : raw.substring(bodyStart);
    }
}
