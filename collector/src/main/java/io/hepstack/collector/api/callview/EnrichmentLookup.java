package io.hepstack.collector.api.callview;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.hepstack.collector.document.EnrichmentFields;
import io.hepstack.enricher.Enricher;
import io.hepstack.enricher.IpInfo;
import io.hepstack.enricher.number.NumberInfo;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The whole enrichment of an address or a number, looked up now, in the shape a full message
 * document has it ({@code geo}, {@code as}, {@code blacklist}; {@code number}). A lean message
 * document ({@code pipeline.messageFields: lean}) keeps only the keys — the addresses, the country
 * codes, the e.164 numbers, whether an address was blacklisted — so the message detail view looks
 * the rest up here (with today's databases and lists; the call's TDR has them as they were).
 */
final class EnrichmentLookup {

    private final ObjectMapper mapper;
    private final Enricher enricher;

    /** @param enricher null: nothing is looked up (the document's own fields are shown as they are) */
    EnrichmentLookup(ObjectMapper mapper, Enricher enricher) {
        this.mapper = mapper;
        this.enricher = enricher;
    }

    /**
     * The endpoint's enrichment: the document's when it has it whole (a full document, or no
     * enrichment found at capture), else looked up; the object holds {@code geo}, {@code as},
     * {@code blacklist} as far as known.
     */
    ObjectNode endpoint(JsonNode endpoint) {
        String ip = endpoint.path("ip").asText(null);
        if (enricher == null || ip == null || !isLean(endpoint)) {
            return (ObjectNode) (endpoint.isObject() ? endpoint : mapper.createObjectNode());
        }
        IpInfo info = enricher.ip(ip);
        return written(g -> new EnrichmentFields().writeEndpoint(g, info));
    }

    /**
     * The number analysis of a party ({@code sip.from}, {@code sip.to}, {@code sip.pai}, {@code sip.uri}):
     * the document's when whole, else looked up from its user (a lean document has at most the e.164
     * number, and none on the Request-URI or PAI when it is the To's or From's).
     */
    JsonNode number(JsonNode party) {
        JsonNode number = party.path("number");
        String user = party.has("uri") ? party.path("uri").path("username").asText(null) : party.path("username").asText(null);
        if (enricher == null || user == null || number.has("valid")) {
            return number.isMissingNode() ? null : number;
        }
        NumberInfo n = enricher.number(user);
        JsonNode written = written(g -> new EnrichmentFields().writeNumber(g, n)).path("number");
        return written.isMissingNode() ? null : written;
    }

    /** A lean endpoint has at most the country code and the blacklist lists; a full one has the address scope. */
    private static boolean isLean(JsonNode endpoint) {
        return !endpoint.has("ip_scope");
    }

    private ObjectNode written(Writer w) {
        try (TokenBuffer b = new TokenBuffer(mapper, false)) {
            b.writeStartObject();
            w.write(b);
            b.writeEndObject();
            return mapper.readTree(b.asParser());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface Writer {
        void write(JsonGenerator g) throws IOException;
    }
}
