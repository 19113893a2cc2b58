package io.hepstack.collector.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hepstack.collector.parse.Protocols;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NStringEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Installs the component and composable index templates of {@code index-templates/} (packaged on
 * the classpath under {@code index-templates/}) into Elasticsearch.
 *
 * <p>Idempotent and versioned: each body gets {@code _meta.checksum}, the SHA-256 of what we would
 * send (after the settings from the configuration are applied); a template whose installed checksum
 * matches is left alone, anything else is (re)written. Components go first, since index templates
 * name them.
 */
public final class TemplateInstaller {

    private static final Logger LOG = LoggerFactory.getLogger(TemplateInstaller.class);

    /** The index families of the payload protocols (parse/Protocols), then the TDRs', the alerts' and the audit trail's (not the dead letters'). */
    public static final List<String> FAMILIES;
    /** Components in install order (shared ones first), then index templates. Kept in step with index-templates/ by a test. */
    public static final List<String> COMPONENTS;
    public static final List<String> INDEX_TEMPLATES;

    static {
        List<String> families = new ArrayList<>(Protocols.standard(new ObjectMapper(), true).families());
        families.add("tdr");
        families.add("alert");
        families.add("audit");
        FAMILIES = List.copyOf(families);
        List<String> components = new ArrayList<>(List.of("hep-settings", "hep-base"));
        List<String> indexTemplates = new ArrayList<>();
        for (String f : FAMILIES) {
            components.add("hep-" + f);
            indexTemplates.add("hep-" + f);
        }
        // where Elasticsearch's refusals are kept (DeadLetters): no data view of its own, not a message family
        components.add("hep-" + DeadLetters.FAMILY);
        indexTemplates.add("hep-" + DeadLetters.FAMILY);
        COMPONENTS = List.copyOf(components);
        INDEX_TEMPLATES = List.copyOf(indexTemplates);
    }

    /** Index settings the operator can choose in the collector's config. */
    public record IndexSettings(int shards, int replicas, String refreshInterval) {
        public IndexSettings {
            if (shards < 1) {
                throw new IllegalArgumentException("shards must be at least 1: " + shards);
            }
            if (replicas < 0) {
                throw new IllegalArgumentException("replicas must be 0 or more: " + replicas);
            }
        }
    }

    /** What one install run did. */
    public record Result(List<String> installed, List<String> unchanged) {
    }

    private final RestClient client;
    private final ObjectMapper mapper;
    private final IndexSettings settings;

    public TemplateInstaller(RestClient client, ObjectMapper mapper, IndexSettings settings) {
        this.client = client;
        this.mapper = mapper;
        this.settings = settings;
    }

    public Result install() throws IOException {
        List<String> installed = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        for (String name : COMPONENTS) {
            ObjectNode body = body("component/" + name + ".json");
            if (name.equals("hep-settings")) {
                ObjectNode index = (ObjectNode) body.path("template").path("settings").path("index");
                index.put("number_of_shards", settings.shards());
                index.put("number_of_replicas", settings.replicas());
                if (settings.refreshInterval() != null) {
                    index.put("refresh_interval", settings.refreshInterval());
                }
            }
            (put("_component_template/" + name, "component_templates", body) ? installed : unchanged).add("component/" + name);
        }
        for (String name : INDEX_TEMPLATES) {
            ObjectNode body = indexTemplate(name);
            (put("_index_template/" + name, "index_templates", body) ? installed : unchanged).add("index/" + name);
        }
        LOG.info("index templates: {} installed/updated, {} already current", installed.size(), unchanged.size());
        return new Result(installed, unchanged);
    }

    /**
     * The index template {@code hep-<family>}: its file under index-templates/index/ when there is
     * one, else the standard one: daily {@code hep-<family>-*} indices composed of hep-settings,
     * hep-base and the family's component (what a new protocol gets without writing one).
     */
    public ObjectNode indexTemplate(String name) throws IOException {
        if (TemplateInstaller.class.getClassLoader().getResource("index-templates/index/" + name + ".json") != null) {
            return body("index/" + name + ".json");
        }
        ObjectNode t = mapper.createObjectNode();
        t.putArray("index_patterns").add(name + "-*");
        t.put("priority", 200);
        t.put("version", 1);
        t.putArray("composed_of").add("hep-settings").add("hep-base").add(name);
        ObjectNode meta = t.putObject("_meta");
        meta.put("managed_by", "hepstack");
        meta.put("description", "daily " + name + "-YYYY.MM.DD indices");
        return t;
    }

    /** Reads a template body from the classpath. */
    public ObjectNode body(String resource) throws IOException {
        String path = "index-templates/" + resource;
        try (InputStream in = TemplateInstaller.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("template " + path + " is not on the classpath");
            }
            return (ObjectNode) mapper.readTree(in);
        }
    }

    private boolean put(String endpoint, String listField, ObjectNode body) throws IOException {
        ObjectNode meta = body.has("_meta") ? (ObjectNode) body.get("_meta") : body.putObject("_meta");
        meta.remove("checksum");
        String checksum = sha256(mapper.writeValueAsBytes(body));
        meta.put("checksum", checksum);
        if (checksum.equals(installedChecksum(endpoint, listField))) {
            return false;
        }
        Request put = new Request("PUT", "/" + endpoint);
        put.setEntity(new NStringEntity(mapper.writeValueAsString(body), ContentType.APPLICATION_JSON));
        try {
            client.performRequest(put);
        } catch (ResponseException e) {
            throw new IOException("Elasticsearch refused template " + endpoint + ": "
                    + new String(e.getResponse().getEntity().getContent().readAllBytes(), StandardCharsets.UTF_8), e);
        }
        return true;
    }

    private String installedChecksum(String endpoint, String listField) throws IOException {
        try {
            Response r = client.performRequest(new Request("GET", "/" + endpoint));
            JsonNode list = mapper.readTree(r.getEntity().getContent()).path(listField);
            for (JsonNode t : list) {
                JsonNode inner = t.has("component_template") ? t.get("component_template") : t.get("index_template");
                return inner.path("_meta").path("checksum").asText(null);
            }
            return null;
        } catch (ResponseException e) {
            if (e.getResponse().getStatusLine().getStatusCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
