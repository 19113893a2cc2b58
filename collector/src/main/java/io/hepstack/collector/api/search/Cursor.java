package io.hepstack.collector.api.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hepstack.collector.api.ApiErrors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Where the next page of a search starts: Elasticsearch's point in time, the last hit's sort
 * values ({@code search_after}), the sort and tier it belongs to, and the total counted on the
 * first page. Opaque to the UI (base64url of JSON); a cursor of another sort or tier, or one that
 * is not ours, is a 400.
 */
public record Cursor(String pit, JsonNode searchAfter, String tier, String sort, long total, String relation) {

    private static final int MAX_LENGTH = 16_384;

    public String encode(ObjectMapper mapper) {
        ObjectNode o = mapper.createObjectNode();
        o.put("p", pit);
        o.set("a", searchAfter);
        o.put("t", tier);
        o.put("s", sort);
        o.put("n", total);
        o.put("r", relation);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(o.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor in {@code text}, checked against the request's tier and sort. */
    public static Cursor decode(ObjectMapper mapper, String text, Tier tier, String sort) {
        if (text.length() > MAX_LENGTH) {
            throw ApiErrors.badRequest("after is not a cursor of this API (too long)");
        }
        JsonNode o;
        try {
            o = mapper.readTree(Base64.getUrlDecoder().decode(text));
        } catch (IllegalArgumentException | IOException e) {
            throw ApiErrors.badRequest("after is not a cursor of this API");
        }
        if (o == null || !o.path("p").isTextual() || !(o.path("a") instanceof ArrayNode) || !o.path("t").isTextual()) {
            throw ApiErrors.badRequest("after is not a cursor of this API");
        }
        if (!o.path("t").asText().equals(tier.name()) || !o.path("s").asText().equals(sort)) {
            throw ApiErrors.badRequest("after belongs to another search (" + o.path("t").asText().toLowerCase(java.util.Locale.ROOT)
                    + " sorted by " + o.path("s").asText() + "); start again without it");
        }
        return new Cursor(o.path("p").asText(), o.path("a"), o.path("t").asText(), o.path("s").asText(),
                o.path("n").asLong(), o.path("r").asText("eq"));
    }
}
