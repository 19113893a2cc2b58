package io.hepstack.tools.alerting;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One Elasticsearch Watcher watch: its id and its body exactly as {@code PUT _watcher/watch/<id>}
 * takes it. The constructor checks the parts every hepstack watch has (trigger, input, condition,
 * actions); the body is copied, so a {@code Watch} never changes.
 */
public final class Watch {

    /** Metadata key the installer adds: the SHA-256 of the body as written in the file. */
    public static final String CHECKSUM_KEY = "hepstack_checksum";

    private static final String[] REQUIRED = {"trigger", "input", "condition", "actions"};
    private static final ObjectMapper CANONICAL = new ObjectMapper();

    private final String id;
    private final ObjectNode body;
    private final String checksum;

    public Watch(String id, JsonNode body) {
        if (!validId(id)) {
            throw new InvalidWatchException(String.valueOf(id),
                    "the id must be 1-100 characters of a-z, 0-9, '-' and '_'");
        }
        if (body == null || !body.isObject()) {
            throw new InvalidWatchException(id, "the body must be a JSON object");
        }
        for (String part : REQUIRED) {
            if (!body.path(part).isObject() || body.path(part).isEmpty()) {
                throw new InvalidWatchException(id, "'" + part + "' is missing or empty");
            }
        }
        if (body.path("metadata").has(CHECKSUM_KEY)) {
            throw new InvalidWatchException(id, "metadata." + CHECKSUM_KEY + " is reserved for the installer");
        }
        this.id = id;
        this.body = body.deepCopy();
        this.checksum = sha256(this.body);
    }

    /** Parses a watch file's content; {@code id} is the file name without {@code .json}. */
    public static Watch parse(String id, byte[] json, ObjectMapper mapper) {
        JsonNode body;
        try {
            body = mapper.readTree(json);
        } catch (java.io.IOException e) {
            throw new InvalidWatchException(id, "not valid JSON: " + e.getMessage(), e);
        }
        return new Watch(id, body);
    }

    public String id() {
        return id;
    }

    /** A copy of the body as written in the file. */
    public ObjectNode body() {
        return body.deepCopy();
    }

    /** The body to install: the file's body plus {@code metadata.hepstack_checksum}. */
    public ObjectNode installBody() {
        ObjectNode b = body.deepCopy();
        JsonNode meta = b.path("metadata");
        ObjectNode m = meta.isObject() ? (ObjectNode) meta : b.putObject("metadata");
        m.put(CHECKSUM_KEY, checksum);
        return b;
    }

    /** The metadata object (empty when the watch has none). */
    public JsonNode metadata() {
        return body.path("metadata").isObject() ? body.path("metadata").deepCopy() : body.objectNode();
    }

    /** {@code input.search.request}, or a missing node when the watch's input is not a search. */
    public JsonNode searchRequest() {
        return body.path("input").path("search").path("request").deepCopy();
    }

    public JsonNode condition() {
        return body.path("condition").deepCopy();
    }

    /** SHA-256 (hex) of the body as written in the file, in canonical (Jackson tree) form. */
    public String checksum() {
        return checksum;
    }

    private static boolean validId(String id) {
        if (id == null || id.isEmpty() || id.length() > 100) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static String sha256(JsonNode body) {
        try {
            byte[] bytes = CANONICAL.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash a watch body", e);
        }
    }

    @Override
    public String toString() {
        return "Watch[" + id + "]";
    }
}
