package io.hepstack.collector.kibana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.hepstack.collector.es.PemTrust;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * Talks to Kibana's saved-objects HTTP API with {@code java.net.http}:
 * {@code POST /api/saved_objects/_import} (multipart field {@code file}, optional
 * {@code overwrite=true}) and {@code POST /api/saved_objects/_export}. Every request carries the
 * {@code kbn-xsrf} header Kibana demands of API calls, the credentials, and, for a space other than
 * {@code default}, the {@code /s/<space>} path prefix. A refusal becomes a {@link KibanaException}
 * with Kibana's own message.
 */
public final class KibanaClient {

    public static final String DEFAULT_SPACE = "default";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_ERROR_BODY = 2000;

    private final URI base;
    private final String space;
    private final KibanaCredentials credentials;
    private final Duration requestTimeout;
    private final HttpClient http;

    private KibanaClient(Builder b) {
        this.base = b.base;
        this.space = b.space;
        this.credentials = b.credentials;
        this.requestTimeout = b.requestTimeout;
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(b.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (b.caCertificate != null) {
            http.sslContext(PemTrust.sslContext(b.caCertificate));
        }
        this.http = http.build();
    }

    public static Builder builder(String url) {
        return new Builder(url);
    }

    /** Kibana's base URL (including a {@code server.basePath}, if it has one). */
    public URI baseUrl() {
        return base;
    }

    public String space() {
        return space;
    }

    /**
     * Imports an ndjson file of saved objects. With {@code overwrite}, objects with the same id
     * are replaced (what re-importing newer dashboards needs); without it they are reported as
     * conflicts in the result.
     *
     * @return Kibana's answer; check {@link ImportResult#success()} or call {@link ImportResult#requireSuccess()}
     * @throws KibanaException when Kibana cannot be reached or refuses the request as a whole
     */
    public ImportResult importObjects(SavedObjectsFile file, boolean overwrite) throws KibanaException {
        String boundary = "hepstack-" + HexFormat.of().formatHex(randomBytes(12));
        ByteArrayOutputStream body = new ByteArrayOutputStream(file.content().length + 256);
        write(body, "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"" + file.fileName().replace("\"", "") + "\"\r\n"
                + "Content-Type: application/ndjson\r\n\r\n");
        body.writeBytes(file.content());
        write(body, "\r\n--" + boundary + "--\r\n");
        HttpRequest request = request("/api/saved_objects/_import" + (overwrite ? "?overwrite=true" : ""))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build();
        HttpResponse<byte[]> response = send(request, "import");
        return ImportResult.fromJson(json(response, "import"));
    }

    /**
     * Exports saved objects as ndjson (Kibana's export summary is the last line): all objects of
     * the given types, or the given objects; with {@code includeReferencesDeep} also everything
     * they reference (data views of a dashboard's panels, ...).
     */
    public byte[] export(List<String> types, List<ObjectRef> objects, boolean includeReferencesDeep) throws KibanaException {
        if (types.isEmpty() == objects.isEmpty()) {
            throw new IllegalArgumentException("export either by types or by objects (Kibana takes one of them): types="
                    + types + ", objects=" + objects);
        }
        ObjectNode body = MAPPER.createObjectNode();
        if (!types.isEmpty()) {
            ArrayNode t = body.putArray("type");
            types.forEach(t::add);
        } else {
            ArrayNode o = body.putArray("objects");
            for (ObjectRef ref : objects) {
                o.addObject().put("type", ref.type()).put("id", ref.id());
            }
        }
        body.put("includeReferencesDeep", includeReferencesDeep);
        body.put("excludeExportDetails", false);
        HttpRequest request = request("/api/saved_objects/_export")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        return send(request, "export").body();
    }

    /** A saved object named by type and id, e.g. {@code dashboard:hepstack-dashboard-sip-health}. */
    public record ObjectRef(String type, String id) {
        public ObjectRef {
            if (type == null || type.isEmpty() || id == null || id.isEmpty()) {
                throw new IllegalArgumentException("a saved object needs a type and an id: " + type + ":" + id);
            }
        }

        /** Parses {@code type:id}. */
        public static ObjectRef parse(String typeAndId) {
            int colon = typeAndId.indexOf(':');
            if (colon <= 0 || colon == typeAndId.length() - 1) {
                throw new IllegalArgumentException("expected TYPE:ID (e.g. dashboard:hepstack-dashboard-sip-health): " + typeAndId);
            }
            return new ObjectRef(typeAndId.substring(0, colon), typeAndId.substring(colon + 1));
        }

        @Override
        public String toString() {
            return type + ":" + id;
        }
    }

    private HttpRequest.Builder request(String apiPath) {
        String prefix = DEFAULT_SPACE.equals(space) ? "" : "/s/" + space;
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + prefix + apiPath))
                .timeout(requestTimeout)
                .header("kbn-xsrf", "hepstack")
                .header("Accept", "application/json, application/ndjson");
        credentials.authorizationHeader().ifPresent(h -> b.header("Authorization", h));
        return b;
    }

    private HttpResponse<byte[]> send(HttpRequest request, String what) throws KibanaException {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new KibanaException("Kibana " + what + " at " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KibanaException("interrupted during Kibana " + what + " at " + request.uri(), e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new KibanaException("Kibana refused " + what + " at " + request.uri() + ": "
                    + describeError(response), response.statusCode());
        }
        return response;
    }

    private static JsonNode json(HttpResponse<byte[]> response, String what) throws KibanaException {
        try {
            return MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new KibanaException("Kibana answered " + what + " with something that is not JSON: "
                    + snippet(response.body()), response.statusCode());
        }
    }

    /** Kibana answers errors as {@code {"statusCode":..,"error":"..","message":".."}}; keep what it said. */
    static String describeError(HttpResponse<byte[]> response) {
        String body = snippet(response.body());
        try {
            JsonNode e = MAPPER.readTree(response.body());
            if (e != null && e.has("message")) {
                StringBuilder s = new StringBuilder().append(response.statusCode());
                if (e.hasNonNull("error")) {
                    s.append(' ').append(e.get("error").asText());
                }
                s.append(": ").append(e.get("message").asText());
                JsonNode objects = e.path("attributes").path("objects");
                if (objects.isArray() && !objects.isEmpty()) {
                    s.append(' ').append(objects);
                }
                return s.toString();
            }
        } catch (IOException notJson) {
            // a proxy's HTML page, "Kibana server is not ready yet", ...: keep the text
        }
        return response.statusCode() + (body.isEmpty() ? "" : ": " + body);
    }

    private static String snippet(byte[] body) {
        String s = new String(body, StandardCharsets.UTF_8).strip();
        return s.length() <= MAX_ERROR_BODY ? s : s.substring(0, MAX_ERROR_BODY) + "...";
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    /** Validated settings; {@link #build()} makes the client. */
    public static final class Builder {
        private final URI base;
        private String space = DEFAULT_SPACE;
        private KibanaCredentials credentials = KibanaCredentials.none();
        private Path caCertificate;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(120);

        private Builder(String url) {
            this.base = baseUrl(url);
        }

        /** A Kibana space id (lower-case letters, digits, '-' and '_'); {@code default} or null for the default space. */
        public Builder space(String space) {
            if (space == null || space.isEmpty()) {
                this.space = DEFAULT_SPACE;
                return this;
            }
            for (int i = 0; i < space.length(); i++) {
                char c = space.charAt(i);
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                    throw new IllegalArgumentException("not a Kibana space id (a-z, 0-9, '-', '_'): " + space);
                }
            }
            this.space = space;
            return this;
        }

        public Builder credentials(KibanaCredentials credentials) {
            if (credentials == null) {
                throw new IllegalArgumentException("credentials must not be null (use KibanaCredentials.none())");
            }
            this.credentials = credentials;
            return this;
        }

        /** A PEM file with the CA certificate(s) to trust for an https URL; null trusts the JVM's CAs. */
        public Builder caCertificate(Path pem) {
            if (pem != null && !Files.isReadable(pem)) {
                throw new IllegalArgumentException("CA certificate file is not readable: " + pem);
            }
            this.caCertificate = pem;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive("connectTimeout", timeout);
            return this;
        }

        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive("requestTimeout", timeout);
            return this;
        }

        public KibanaClient build() {
            return new KibanaClient(this);
        }

        private static Duration positive(String name, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + d);
            }
            return d;
        }

        private static URI baseUrl(String url) {
            if (url == null || url.isBlank()) {
                throw new IllegalArgumentException("Kibana URL must be set, e.g. http://localhost:5601");
            }
            URI u;
            try {
                u = new URI(url.strip());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("not a URL: " + url, e);
            }
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
                throw new IllegalArgumentException("Kibana URL must start with http:// or https://: " + url);
            }
            if (u.getHost() == null) {
                throw new IllegalArgumentException("Kibana URL has no host: " + url);
            }
            if (u.getUserInfo() != null) {
                throw new IllegalArgumentException("put credentials in the username/password or API key settings, not in the URL: "
                        + u.getScheme() + "://" + u.getHost());
            }
            if (u.getQuery() != null || u.getFragment() != null) {
                throw new IllegalArgumentException("Kibana URL must not have a query or fragment: " + url);
            }
            String path = u.getRawPath() == null ? "" : u.getRawPath();
            while (path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            return URI.create(u.getScheme() + "://" + u.getRawAuthority() + path);
        }
    }
}
