package io.hepstack.collector.kibana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for Kibana's saved-objects API on 127.0.0.1, strict where Kibana is strict: the
 * {@code kbn-xsrf} header, the {@code Authorization} it was told to expect, the {@code /s/<space>}
 * prefix of an existing space, a multipart field named {@code file} with an {@code .ndjson} name,
 * the {@code overwrite} parameter (conflicts without it), references that must resolve, and
 * Kibana's JSON answers for success and errors. It can also play a Kibana that is still starting.
 */
public final class FakeKibana implements AutoCloseable {

    /** One request as the server saw it. */
    public record Recorded(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    static final Set<String> TYPES = Set.of("index-pattern", "search", "visualization", "lens", "map", "dashboard");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpServer server;
    private final String expectedAuthorization;
    private final Set<String> spaces = Collections.synchronizedSet(new LinkedHashSet<>(List.of("default")));
    private final Map<String, Map<String, JsonNode>> store = Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger notReadyAnswers = new AtomicInteger();

    /** @param expectedAuthorization the exact Authorization header to demand, or null for security off */
    public FakeKibana(String expectedAuthorization) throws IOException {
        this.expectedAuthorization = expectedAuthorization;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The base URL, http://127.0.0.1:PORT. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Adds a Kibana space (besides {@code default}). */
    public FakeKibana withSpace(String space) {
        spaces.add(space);
        return this;
    }

    /** The next {@code n} requests get Kibana's answer while it starts: 503 "Kibana server is not ready yet". */
    FakeKibana notReadyFor(int n) {
        notReadyAnswers.set(n);
        return this;
    }

    /** Every request so far, in order. */
    public List<Recorded> requests() {
        return List.copyOf(requests);
    }

    /** The saved objects of a space, by type:id. */
    public Map<String, JsonNode> objects(String space) {
        return Map.copyOf(store.getOrDefault(space, Map.of()));
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            String path = ex.getRequestURI().getRawPath();
            String query = ex.getRequestURI().getRawQuery();
            requests.add(new Recorded(ex.getRequestMethod(), path, query, Map.copyOf(ex.getRequestHeaders()), body));
            if (notReadyAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                send(ex, 503, "text/plain; charset=utf-8", "Kibana server is not ready yet".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String space = "default";
            if (path.startsWith("/s/")) {
                int end = path.indexOf('/', 3);
                space = path.substring(3, end < 0 ? path.length() : end);
                path = end < 0 ? "/" : path.substring(end);
                if (!spaces.contains(space)) {
                    error(ex, 404, "Not Found", "Saved object [space/" + space + "] not found");
                    return;
                }
            }
            if (expectedAuthorization != null) {
                String auth = ex.getRequestHeaders().getFirst("Authorization");
                if (!expectedAuthorization.equals(auth)) {
                    error(ex, 401, "Unauthorized", "[security_exception]: unable to authenticate user for REST request [/_security/_authenticate]");
                    return;
                }
            }
            if (!"POST".equals(ex.getRequestMethod())) {
                error(ex, 404, "Not Found", "Not Found");
                return;
            }
            if (ex.getRequestHeaders().getFirst("kbn-xsrf") == null) {
                error(ex, 400, "Bad Request", "Request must contain a kbn-xsrf header.");
                return;
            }
            switch (path) {
                case "/api/saved_objects/_import" -> importObjects(ex, space, query, body);
                case "/api/saved_objects/_export" -> export(ex, space, body);
                default -> error(ex, 404, "Not Found", "Not Found");
            }
        }
    }

    private void importObjects(HttpExchange ex, String space, String query, byte[] body) throws IOException {
        if (query != null && !query.equals("overwrite=true") && !query.equals("overwrite=false")) {
            error(ex, 400, "Bad Request", "[request query." + query + "]: definition for this key is missing");
            return;
        }
        boolean overwrite = "overwrite=true".equals(query);
        String contentType = ex.getRequestHeaders().getFirst("Content-Type");
        Multipart.Part file = contentType == null ? null : Multipart.parse(contentType, body).get("file");
        if (file == null) {
            error(ex, 400, "Bad Request", "[request body.file]: expected value of type [Stream] but got [undefined]");
            return;
        }
        if (file.fileName() == null || !file.fileName().endsWith(".ndjson")) {
            error(ex, 400, "Bad Request", "Invalid file extension " + extension(file.fileName()));
            return;
        }
        List<JsonNode> objects = new ArrayList<>();
        for (String line : new String(file.content(), StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode o = MAPPER.readTree(line);
            if (o.has("exportedCount")) {
                continue; // the export summary line: Kibana skips it
            }
            objects.add(o);
        }
        Map<String, JsonNode> existing = store.computeIfAbsent(space, s -> Collections.synchronizedMap(new LinkedHashMap<>()));
        Set<String> inFile = new LinkedHashSet<>();
        objects.forEach(o -> inFile.add(key(o.path("type").asText(), o.path("id").asText())));
        ArrayNode errors = MAPPER.createArrayNode();
        ArrayNode successes = MAPPER.createArrayNode();
        List<JsonNode> accepted = new ArrayList<>();
        for (JsonNode o : objects) {
            String type = o.path("type").asText();
            String id = o.path("id").asText();
            ObjectNode err = MAPPER.createObjectNode().put("id", id).put("type", type);
            err.putObject("meta").put("title", o.path("attributes").path("title").asText());
            if (!TYPES.contains(type)) {
                err.putObject("error").put("type", "unsupported_type");
                errors.add(err);
                continue;
            }
            ArrayNode missing = MAPPER.createArrayNode();
            for (JsonNode r : o.path("references")) {
                String k = key(r.path("type").asText(), r.path("id").asText());
                if (!inFile.contains(k) && !existing.containsKey(k)) {
                    missing.addObject().put("type", r.path("type").asText()).put("id", r.path("id").asText());
                }
            }
            if (!missing.isEmpty()) {
                err.putObject("error").put("type", "missing_references").set("references", missing);
                errors.add(err);
                continue;
            }
            if (existing.containsKey(key(type, id)) && !overwrite) {
                err.putObject("error").put("type", "conflict");
                errors.add(err);
                continue;
            }
            accepted.add(o);
            ObjectNode s = successes.addObject().put("type", type).put("id", id);
            if (overwrite && existing.containsKey(key(type, id))) {
                s.put("overwrite", true);
            }
        }
        for (JsonNode o : accepted) {
            existing.put(key(o.path("type").asText(), o.path("id").asText()), o);
        }
        ObjectNode answer = MAPPER.createObjectNode();
        answer.put("successCount", accepted.size()).put("success", errors.isEmpty());
        answer.putArray("warnings");
        answer.set("successResults", successes);
        if (!errors.isEmpty()) {
            answer.set("errors", errors);
        }
        send(ex, 200, "application/json; charset=utf-8", MAPPER.writeValueAsBytes(answer));
    }

    private void export(HttpExchange ex, String space, byte[] body) throws IOException {
        if (!String.valueOf(ex.getRequestHeaders().getFirst("Content-Type")).startsWith("application/json")) {
            error(ex, 415, "Unsupported Media Type", "Unsupported Media Type");
            return;
        }
        JsonNode request = MAPPER.readTree(body);
        Map<String, JsonNode> existing = store.getOrDefault(space, Map.of());
        Map<String, JsonNode> out = new LinkedHashMap<>();
        if (request.has("type") == request.has("objects")) {
            error(ex, 400, "Bad Request", "Either `type` or `objects` are required.");
            return;
        }
        if (request.has("type")) {
            for (JsonNode t : request.get("type")) {
                existing.forEach((k, v) -> {
                    if (v.path("type").asText().equals(t.asText())) {
                        out.put(k, v);
                    }
                });
            }
        } else {
            ArrayNode notFound = MAPPER.createArrayNode();
            for (JsonNode o : request.get("objects")) {
                String k = key(o.path("type").asText(), o.path("id").asText());
                JsonNode found = existing.get(k);
                if (found == null) {
                    ObjectNode nf = notFound.addObject().put("id", o.path("id").asText()).put("type", o.path("type").asText());
                    nf.putObject("error").put("statusCode", 404).put("error", "Not Found")
                            .put("message", "Saved object [" + k.replace(':', '/') + "] not found");
                } else {
                    out.put(k, found);
                }
            }
            if (!notFound.isEmpty()) {
                ObjectNode e = MAPPER.createObjectNode().put("statusCode", 400).put("error", "Bad Request")
                        .put("message", "Error fetching objects to export");
                e.putObject("attributes").set("objects", notFound);
                send(ex, 400, "application/json; charset=utf-8", MAPPER.writeValueAsBytes(e));
                return;
            }
        }
        int missingRefs = 0;
        if (request.path("includeReferencesDeep").asBoolean(false)) {
            List<JsonNode> queue = new ArrayList<>(out.values());
            while (!queue.isEmpty()) {
                JsonNode o = queue.remove(queue.size() - 1);
                for (JsonNode r : o.path("references")) {
                    String k = key(r.path("type").asText(), r.path("id").asText());
                    JsonNode ref = existing.get(k);
                    if (ref == null) {
                        missingRefs++;
                    } else if (out.putIfAbsent(k, ref) == null) {
                        queue.add(ref);
                    }
                }
            }
        }
        StringBuilder ndjson = new StringBuilder();
        for (JsonNode o : out.values()) {
            ndjson.append(MAPPER.writeValueAsString(o)).append('\n');
        }
        if (!request.path("excludeExportDetails").asBoolean(false)) {
            ObjectNode details = MAPPER.createObjectNode();
            details.putArray("excludedObjects");
            details.put("excludedObjectsCount", 0).put("exportedCount", out.size()).put("missingRefCount", missingRefs);
            details.putArray("missingReferences");
            ndjson.append(MAPPER.writeValueAsString(details)).append('\n');
        }
        send(ex, 200, "application/ndjson", ndjson.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String key(String type, String id) {
        return type + ":" + id;
    }

    private static String extension(String name) {
        if (name == null) {
            return "";
        }
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot);
    }

    private static void error(HttpExchange ex, int status, String error, String message) throws IOException {
        ObjectNode e = MAPPER.createObjectNode().put("statusCode", status).put("error", error).put("message", message);
        send(ex, status, "application/json; charset=utf-8", MAPPER.writeValueAsBytes(e));
    }

    private static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    /** Just enough of RFC 7578 to read what a browser or curl -F sends. */
    static final class Multipart {
        record Part(String name, String fileName, String contentType, byte[] content) {
        }

        static Map<String, Part> parse(String contentType, byte[] body) {
            Map<String, Part> parts = new LinkedHashMap<>();
            int b = contentType.indexOf("boundary=");
            if (!contentType.startsWith("multipart/form-data") || b < 0) {
                return parts;
            }
            String boundary = contentType.substring(b + "boundary=".length()).replace("\"", "");
            byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
            int pos = indexOf(body, delimiter, 0);
            while (pos >= 0) {
                int start = pos + delimiter.length;
                if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') {
                    break; // closing delimiter
                }
                start += 2; // CRLF after the delimiter
                int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), start);
                int next = indexOf(body, ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1), headersEnd);
                if (headersEnd < 0 || next < 0) {
                    break;
                }
                String headers = new String(body, start, headersEnd - start, StandardCharsets.UTF_8);
                String name = param(headers, "name");
                String fileName = param(headers, "filename");
                String partType = null;
                for (String h : headers.split("\r\n")) {
                    if (h.toLowerCase().startsWith("content-type:")) {
                        partType = h.substring(h.indexOf(':') + 1).strip();
                    }
                }
                byte[] content = java.util.Arrays.copyOfRange(body, headersEnd + 4, next);
                if (name != null) {
                    parts.put(name, new Part(name, fileName, partType, content));
                }
                pos = next + 2;
            }
            return parts;
        }

        private static String param(String headers, String key) {
            for (String h : headers.split("\r\n")) {
                if (!h.toLowerCase().startsWith("content-disposition:")) {
                    continue;
                }
                for (String p : h.split(";")) {
                    String t = p.strip();
                    if (t.startsWith(key + "=")) {
                        return t.substring(key.length() + 1).replace("\"", "");
                    }
                }
            }
            return null;
        }

        private static int indexOf(byte[] hay, byte[] needle, int from) {
            if (from < 0) {
                return -1;
            }
            outer:
            for (int i = from; i <= hay.length - needle.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (hay[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }
}
