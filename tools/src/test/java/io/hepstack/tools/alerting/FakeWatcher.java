package io.hepstack.tools.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the Watcher REST API on 127.0.0.1 (our test Elasticsearch has no Watcher): keeps
 * watches in memory, answers GET/PUT/DELETE {@code /_watcher/watch/<id>} with Elasticsearch's
 * response bodies and status codes, refuses requests without the expected Authorization header
 * (401 with a Basic challenge, like Elasticsearch), answers {@code _search} with a canned payload,
 * and records every request.
 */
final class FakeWatcher implements AutoCloseable {

    record Call(String method, String path, String query, String body, String authorization) {
    }

    private static final ObjectMapper M = new ObjectMapper();
    private static final String WATCH = "/_watcher/watch/";

    final List<Call> calls = new CopyOnWriteArrayList<>();
    final Map<String, ObjectNode> watches = new ConcurrentHashMap<>();
    final Map<String, Boolean> active = new ConcurrentHashMap<>();
    final Map<String, Long> versions = new ConcurrentHashMap<>();
    final List<String> unexpected = new CopyOnWriteArrayList<>();
    volatile String searchResponse = "{\"hits\":{\"total\":0,\"hits\":[]}}";

    private final HttpServer server;
    private final String expectedAuthorization;

    FakeWatcher(String expectedAuthorization) throws IOException {
        this.expectedAuthorization = expectedAuthorization;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Call> calls(String method) {
        return calls.stream().filter(c -> c.method().equals(method)).toList();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath();
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            calls.add(new Call(method, path, ex.getRequestURI().getQuery(), body, auth));
            if (expectedAuthorization != null && !expectedAuthorization.equals(auth)) {
                ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"security\", charset=\"UTF-8\"");
                send(ex, 401, "{\"error\":{\"type\":\"security_exception\",\"reason\":\"unable to authenticate\"},\"status\":401}");
                return;
            }
            if (path.startsWith(WATCH)) {
                watch(ex, method, path.substring(WATCH.length()), body);
            } else if (method.equals("POST") && path.endsWith("/_search")) {
                send(ex, 200, searchResponse);
            } else {
                unexpected.add(method + " " + path);
                send(ex, 400, "{\"error\":\"unexpected " + method + " " + path + "\"}");
            }
        }
    }

    private void watch(HttpExchange ex, String method, String id, String body) throws IOException {
        switch (method) {
            case "GET" -> {
                ObjectNode w = watches.get(id);
                if (w == null) {
                    send(ex, 404, "{\"found\":false,\"_id\":\"" + id + "\"}");
                    return;
                }
                ObjectNode r = M.createObjectNode().put("found", true).put("_id", id).put("_version", versions.get(id));
                r.putObject("status").putObject("state").put("active", active.get(id));
                r.set("watch", w);
                send(ex, 200, r.toString());
            }
            case "PUT" -> {
                JsonNode w = M.readTree(body);
                for (String part : List.of("trigger", "input", "condition", "actions")) {
                    if (!w.path(part).isObject()) {
                        send(ex, 400, "{\"error\":{\"type\":\"parse_exception\",\"reason\":\"missing " + part + "\"},\"status\":400}");
                        return;
                    }
                }
                if (!w.path("trigger").path("schedule").isObject()) {
                    send(ex, 400, "{\"error\":{\"type\":\"parse_exception\",\"reason\":\"could not parse trigger for ["
                            + id + "]\"},\"status\":400}");
                    return;
                }
                boolean created = !watches.containsKey(id);
                watches.put(id, (ObjectNode) w);
                String query = ex.getRequestURI().getQuery();
                active.put(id, query == null || !query.contains("active=false"));
                long v = versions.merge(id, 1L, Long::sum);
                send(ex, created ? 201 : 200, "{\"_id\":\"" + id + "\",\"_version\":" + v + ",\"_seq_no\":" + v
                        + ",\"_primary_term\":1,\"created\":" + created + "}");
            }
            case "DELETE" -> {
                boolean found = watches.remove(id) != null;
                active.remove(id);
                versions.remove(id);
                send(ex, found ? 200 : 404, "{\"_id\":\"" + id + "\",\"_version\":1,\"found\":" + found + "}");
            }
            default -> {
                unexpected.add(method + " " + WATCH + id);
                send(ex, 405, "{}");
            }
        }
    }

    private static void send(HttpExchange ex, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
