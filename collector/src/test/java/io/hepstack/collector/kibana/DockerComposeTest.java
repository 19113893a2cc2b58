package io.hepstack.collector.kibana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker/docker-compose.yml is a valid Compose file (checked against the Compose Specification's
 * JSON schema, vendored in docker/schema/, since no Docker engine runs here) and everything it
 * names agrees with the collector's conventions, its Dockerfile and its config: ports 9060/udp+tcp,
 * 8080, 8081; Elasticsearch on 9200 and Kibana on 5601, both the version the build tests against;
 * the config file and spool paths the image uses. And that the deployment is as safe as the jar:
 * Elasticsearch with security and TLS, passwords and certificates made by a set-up service, Kibana
 * and the collector on their own least-privilege users, Kibana and the admin port on the loopback only,
 * a stop grace period that covers the collector's drain.
 */
class DockerComposeTest {

    private static final Path DOCKER = Path.of("../docker");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION); // docker compose refuses a key twice

    private static Schema schema;
    private static JsonNode compose;
    private static JsonNode services;
    private static JsonNode config;
    private static List<String> dockerfile;

    @BeforeAll
    static void load() throws Exception {
        JsonNode spec;
        try (InputStream in = Files.newInputStream(DOCKER.resolve("schema/compose-spec.json"))) {
            spec = new ObjectMapper().readTree(in);
        }
        // This schema version still names its subschemas with draft-04 "id" strings. Draft 2019-09 (its
        // $schema) has no such keyword and they constrain nothing, but the validator refuses unknown
        // keywords it half-knows, so they go before compiling; every assertion keyword stays.
        dropIdAnnotations(spec);
        schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2019_09).getSchema(spec);
        compose = YAML.readTree(DOCKER.resolve("docker-compose.yml").toFile());
        services = compose.path("services");
        config = YAML.readTree(DOCKER.resolve("config.yml").toFile());
        dockerfile = Files.readAllLines(DOCKER.resolve("Dockerfile"));
    }

    @Test
    void theComposeFileIsValidAgainstTheComposeSpecification() {
        assertThat(schema.validate(compose)).as("schema errors").isEmpty();
    }

    @Test
    void theSchemaCheckCatchesBrokenComposeFiles() throws Exception {
        ObjectNode unknownKey = compose.deepCopy();
        ((ObjectNode) unknownKey.path("services").path("collector")).put("imagee", "typo");
        ObjectNode badCondition = compose.deepCopy();
        ((ObjectNode) badCondition.path("services").path("collector").path("depends_on").path("kibana"))
                .put("condition", "service_ready");
        ObjectNode badPorts = compose.deepCopy();
        ((ObjectNode) badPorts.path("services").path("kibana")).put("ports", "5601:5601");
        for (ObjectNode broken : List.of(unknownKey, badCondition, badPorts)) {
            List<Error> errors = schema.validate(broken);
            assertThat(errors).as(broken.path("services").toString()).isNotEmpty();
        }
    }

    @Test
    void threeServicesOfTheSameElasticStackVersionTheBuildTestsWith() throws Exception {
        assertThat(fieldNames(services)).containsExactlyInAnyOrder("setup", "elasticsearch", "kibana", "collector");
        String pom = Files.readString(Path.of("../pom.xml"));
        String tag = "<elasticsearch.server.version>";
        int at = pom.indexOf(tag) + tag.length();
        String version = pom.substring(at, pom.indexOf('<', at));
        assertThat(version).startsWith("8.19.");
        assertThat(services.path("elasticsearch").path("image").asText())
                .isEqualTo("docker.elastic.co/elasticsearch/elasticsearch:" + version);
        assertThat(services.path("kibana").path("image").asText()).isEqualTo("docker.elastic.co/kibana/kibana:" + version);
        assertThat(services.path("setup").path("image").asText()).as("certutil comes with Elasticsearch")
                .isEqualTo(services.path("elasticsearch").path("image").asText());
    }

    @Test
    void elasticsearchIsASmallSingleNodeWithSecurityAndTlsOnTheLoopbackPortAndAVolume() {
        JsonNode es = services.path("elasticsearch");
        JsonNode env = es.path("environment");
        assertThat(env.path("discovery.type").asText()).isEqualTo("single-node");
        assertThat(env.path("xpack.security.enabled").asText()).isEqualTo("true");
        assertThat(env.path("xpack.security.http.ssl.enabled").asText()).isEqualTo("true");
        assertThat(env.path("xpack.security.transport.ssl.enabled").asText()).isEqualTo("true");
        assertThat(env.path("ELASTIC_PASSWORD_FILE").asText()).startsWith("/run/secrets/es/");
        assertThat(env.has("ELASTIC_PASSWORD")).as("no password in the compose file").isFalse();
        String opts = env.path("ES_JAVA_OPTS").asText();
        assertThat(opts).contains("-Xms512m").contains("-Xmx512m");
        assertThat(ports(es)).containsExactly("127.0.0.1:9200:9200");
        assertThat(mounts(es)).contains("esdata:/usr/share/elasticsearch/data", "certs:/usr/share/elasticsearch/config/certs:ro");
        assertThat(es.path("healthcheck").path("test").toString()).contains("https://localhost:9200").contains("--cacert");
        assertThat(es.path("depends_on").path("setup").path("condition").asText()).isEqualTo("service_healthy");
    }

    @Test
    void theSetUpServiceMakesThePasswordsCertificatesAndLeastPrivilegeUsers() throws Exception {
        JsonNode setup = services.path("setup");
        assertThat(setup.has("ports")).as("nothing published").isFalse();
        String script = Files.readString(DOCKER.resolve("setup.sh"));
        assertThat(mounts(setup)).contains("./setup.sh:/usr/local/bin/hepstack-setup.sh:ro");
        assertThat(script).contains("elasticsearch-certutil ca").contains("elasticsearch-certutil cert")
                .contains("/dev/urandom").contains("_security/user/kibana_system/_password")
                .contains("_security/role/hepstack_collector").contains("_security/user/hepstack_collector");
        // the collector's role: write hep-*, manage its templates; nothing else on the cluster
        String role = script.substring(script.indexOf("_security/role/hepstack_collector"));
        role = role.substring(role.indexOf('{'), role.indexOf("}' >/dev/null") + 1);
        JsonNode r = new ObjectMapper().readTree(role);
        assertThat(r.path("cluster")).extracting(JsonNode::asText).containsExactlyInAnyOrder("monitor", "manage_index_templates");
        assertThat(r.path("indices")).hasSize(1);
        assertThat(r.path("indices").get(0).path("names")).extracting(JsonNode::asText).containsExactly("hep-*");
        assertThat(r.path("indices").get(0).path("privileges")).extracting(JsonNode::asText)
                .doesNotContain("all", "manage", "delete_index", "delete");
        // each service mounts only its own secrets
        assertThat(mounts(services.path("kibana"))).filteredOn(m -> m.contains("secrets")).containsExactly("kibana-secrets:/run/secrets/kibana:ro");
        assertThat(mounts(services.path("collector"))).filteredOn(m -> m.contains("secrets"))
                .containsExactly("collector-secrets:/run/secrets/collector:ro");
        assertThat(mounts(services.path("kibana"))).noneMatch(m -> m.startsWith("certs:"));
        assertThat(compose.toString()).doesNotContainPattern("(?i)password\\\":\\\"[^$]");
    }

    @Test
    void kibanaLogsInAsKibanaSystemOverTlsOnTheLoopback() {
        JsonNode kibana = services.path("kibana");
        assertThat(kibana.path("environment").path("ELASTICSEARCH_HOSTS").asText())
                .isEqualTo("https://elasticsearch:" + only(containerPorts(services.path("elasticsearch"))).replace("/tcp", ""));
        assertThat(kibana.path("environment").path("ELASTICSEARCH_USERNAME").asText()).isEqualTo("kibana_system");
        assertThat(kibana.path("environment").path("ELASTICSEARCH_SSL_CERTIFICATEAUTHORITIES").asText()).isEqualTo("/run/secrets/kibana/ca.crt");
        assertThat(kibana.path("entrypoint").toString()).contains("cat /run/secrets/kibana/kibana_system.password");
        assertThat(ports(kibana)).containsExactly("127.0.0.1:5601:5601");
        assertThat(kibana.path("depends_on").path("elasticsearch").path("condition").asText()).isEqualTo("service_healthy");
        assertThat(kibana.path("depends_on").path("setup").path("condition").asText()).isEqualTo("service_completed_successfully");
        assertThat(kibana.path("healthcheck").path("test").toString()).contains("localhost:5601");
    }

    @Test
    void theCollectorUsesItsOwnUserTheAdminPortStaysOnTheLoopbackAndTheDrainHasTime() {
        JsonNode collector = services.path("collector");
        assertThat(collector.path("environment").path("ES_USERNAME").asText()).isEqualTo("hepstack_collector");
        assertThat(collector.path("entrypoint").toString()).contains("cat /run/secrets/collector/hepstack_collector.password")
                .contains("exec java -jar /opt/hepstack/collector.jar server /etc/hepstack/config.yml");
        assertThat(ports(collector)).contains("127.0.0.1:8081:8081").doesNotContain("8081:8081");
        long grace = seconds(collector.path("stop_grace_period").asText());
        long server = seconds(config.path("server").path("shutdownGracePeriod").asText("30s"));
        long drain = seconds(config.path("pipeline").path("spill").path("drainTimeout").asText("120s"));
        assertThat(grace).as("stop_grace_period covers the server's grace period, the pipeline's drain, the write-ahead"
                        + " wait for what was read to be stored (30 s) and the indexer's flush")
                .isGreaterThanOrEqualTo(server + drain + 30 + 30);
        assertThat(config.path("elasticsearch").path("caCertificate").asText()).isEqualTo("/run/secrets/collector/ca.crt");
        assertThat(config.path("elasticsearch").path("username").asText()).contains("ES_USERNAME");
        assertThat(config.path("elasticsearch").path("password").asText()).isEqualTo("${ES_PASSWORD:-}");
        assertThat(config.path("security").path("usersFile").asText()).startsWith("/var/lib/hepstack/");
    }

    private static long seconds(String duration) {
        return Long.parseLong(duration.replaceAll("[^0-9]", "")) * (duration.endsWith("m") ? 60 : 1);
    }

    @Test
    void theCollectorIsBuiltFromTheDockerfileAndPublishesTheHepstackPorts() {
        JsonNode collector = services.path("collector");
        Path context = DOCKER.resolve(collector.path("build").path("context").asText()).normalize();
        assertThat(context.resolve(collector.path("build").path("dockerfile").asText())).isEqualTo(DOCKER.resolve("Dockerfile").normalize());
        assertThat(context.resolve("pom.xml")).as("the build context is the repository root").exists();
        assertThat(Files.exists(DOCKER.resolve("Dockerfile.dockerignore"))).isTrue();

        Set<String> expected = Set.of("9060/udp", "9060/tcp", "8080/tcp", "8081/tcp");
        assertThat(containerPorts(collector)).containsExactlyInAnyOrderElementsOf(expected);
        for (String p : ports(collector)) {
            String[] parts = p.split(":");
            assertThat(parts[parts.length - 2]).as("published on the same port: " + p)
                    .isEqualTo(parts[parts.length - 1].replaceAll("/.*", ""));
        }
        Set<String> exposed = new HashSet<>();
        for (String line : dockerfile) {
            if (line.startsWith("EXPOSE ")) {
                for (String e : line.substring(7).trim().split("\\s+")) {
                    exposed.add(e.contains("/") ? e : e + "/tcp");
                }
            }
        }
        assertThat(exposed).as("Dockerfile EXPOSE").isEqualTo(expected);
        assertThat(collector.path("depends_on").path("elasticsearch").path("condition").asText()).isEqualTo("service_healthy");
        assertThat(collector.path("depends_on").has("kibana")).isTrue();
        assertThat(collector.path("healthcheck").path("test").toString()).contains("localhost:8081/healthcheck");
    }

    @Test
    void theDockerfileBuildsWithMavenAndRunsTheShadedJarOnJava17() throws Exception {
        List<String> from = dockerfile.stream().filter(l -> l.startsWith("FROM ")).toList();
        assertThat(from).hasSize(2);
        assertThat(from.get(0)).startsWith("FROM maven:").contains("eclipse-temurin-17").endsWith(" AS build");
        assertThat(from.get(1)).isEqualTo("FROM eclipse-temurin:17-jre");
        // collector.jar (collector + tools, shaded) is built by the tools module into collector/target
        String toolsPom = Files.readString(Path.of("../tools/pom.xml"));
        assertThat(toolsPom).contains("<outputFile>${project.basedir}/../collector/target/collector.jar</outputFile>");
        assertThat(dockerfile).anySatisfy(l -> assertThat(l).contains("mvn ").contains("-pl tools -am package"));
        assertThat(dockerfile).contains("COPY --from=build /src/collector/target/collector.jar /opt/hepstack/collector.jar");
        assertThat(dockerfile).contains("ENTRYPOINT [\"java\", \"-jar\", \"/opt/hepstack/collector.jar\"]");
        assertThat(dockerfile).contains("CMD [\"server\", \"/etc/hepstack/config.yml\"]");
        assertThat(dockerfile).contains("COPY docker/config.yml /etc/hepstack/config.yml");
    }

    @Test
    void theConfigMountAndTheSpoolVolumeAreWhereTheImageAndTheConfigExpectThem() {
        JsonNode collector = services.path("collector");
        List<String> mounts = mounts(collector);
        assertThat(mounts).contains("./config.yml:/etc/hepstack/config.yml:ro");
        assertThat(DOCKER.resolve("config.yml")).exists();

        String spoolDir = config.path("elasticsearch").path("spool").path("dir").asText();
        String spoolMount = mounts.stream().filter(m -> m.startsWith("spool:")).findFirst().orElseThrow().split(":")[1];
        assertThat(spoolDir).as("the spool is on the named volume").startsWith(spoolMount + "/");
        assertThat(dockerfile).anySatisfy(l -> assertThat(l).startsWith("VOLUME [\"" + spoolMount + "\"]"));

        // every named volume a service mounts is declared, and every declared one is used
        Set<String> used = new LinkedHashSet<>();
        services.forEach(s -> mounts(s).stream().filter(m -> !m.startsWith(".") && !m.startsWith("/"))
                .forEach(m -> used.add(m.split(":")[0])));
        assertThat(fieldNames(compose.path("volumes"))).containsExactlyInAnyOrderElementsOf(used);
    }

    @Test
    void theCollectorConfigPointsAtTheComposeServicesAndPorts() {
        assertThat(config.path("server").path("applicationConnectors").get(0).path("port").asInt()).isEqualTo(8080);
        assertThat(config.path("server").path("adminConnectors").get(0).path("port").asInt()).isEqualTo(8081);
        assertThat(config.path("hep").path("udp").path("port").asInt()).isEqualTo(9060);
        assertThat(config.path("hep").path("tcp").path("port").asInt()).isEqualTo(9060);
        assertThat(config.path("elasticsearch").path("mode").asText()).isEqualTo("external");
        assertThat(config.path("elasticsearch").path("hosts")).hasSize(1);
        assertThat(config.path("elasticsearch").path("hosts").get(0).asText()).isEqualTo("https://elasticsearch:9200");
        assertThat(config.path("kibana").path("url").asText()).isEqualTo("http://kibana:5601");
        assertThat(services.has("elasticsearch") && services.has("kibana")).isTrue();
        KibanaClient.builder(config.path("kibana").path("url").asText()).space(config.path("kibana").path("space").asText()).build();
    }

    @Test
    void theReadmeTellsHowToRunIt() throws Exception {
        String readme = Files.readString(DOCKER.resolve("README.md"));
        assertThat(readme).contains("docker compose -f docker/docker-compose.yml up -d --build")
                .contains("9060/udp").contains("5601").contains("kibana-import").contains("initial admin password");
    }

    private static void dropIdAnnotations(JsonNode node) {
        if (node.isObject()) {
            if (node.path("id").isTextual()) {
                ((ObjectNode) node).remove("id");
            }
            node.forEach(DockerComposeTest::dropIdAnnotations);
        } else if (node.isArray()) {
            node.forEach(DockerComposeTest::dropIdAnnotations);
        }
    }

    private static List<String> ports(JsonNode service) {
        List<String> out = new ArrayList<>();
        service.path("ports").forEach(p -> out.add(p.asText()));
        return out;
    }

    /** Container side of each port mapping, as "port/protocol". */
    private static List<String> containerPorts(JsonNode service) {
        List<String> out = new ArrayList<>();
        for (String p : ports(service)) {
            String container = p.substring(p.lastIndexOf(':') + 1);
            out.add(container.contains("/") ? container : container + "/tcp");
        }
        return out;
    }

    private static List<String> mounts(JsonNode service) {
        List<String> out = new ArrayList<>();
        service.path("volumes").forEach(v -> out.add(v.asText()));
        return out;
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new LinkedHashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String only(List<String> values) {
        assertThat(values).hasSize(1);
        return values.get(0);
    }
}
