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
 * the config file and spool paths the image uses.
 */
class DockerComposeTest {

    private static final Path DOCKER = Path.of("../docker");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

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
        assertThat(fieldNames(services)).containsExactlyInAnyOrder("elasticsearch", "kibana", "collector");
        String pom = Files.readString(Path.of("../pom.xml"));
        String tag = "<elasticsearch.server.version>";
        int at = pom.indexOf(tag) + tag.length();
        String version = pom.substring(at, pom.indexOf('<', at));
        assertThat(version).startsWith("8.19.");
        assertThat(services.path("elasticsearch").path("image").asText())
                .isEqualTo("docker.elastic.co/elasticsearch/elasticsearch:" + version);
        assertThat(services.path("kibana").path("image").asText()).isEqualTo("docker.elastic.co/kibana/kibana:" + version);
    }

    @Test
    void elasticsearchIsASmallSingleNodeWithoutSecurityOnItsPortAndAVolume() {
        JsonNode es = services.path("elasticsearch");
        JsonNode env = es.path("environment");
        assertThat(env.path("discovery.type").asText()).isEqualTo("single-node");
        assertThat(env.path("xpack.security.enabled").asText()).isEqualTo("false");
        String opts = env.path("ES_JAVA_OPTS").asText();
        assertThat(opts).contains("-Xms512m").contains("-Xmx512m");
        assertThat(containerPorts(es)).containsExactly("9200/tcp");
        assertThat(mounts(es)).contains("esdata:/usr/share/elasticsearch/data");
        assertThat(es.path("healthcheck").path("test").toString()).contains("localhost:9200/_cluster/health");
    }

    @Test
    void kibanaTalksToTheElasticsearchServiceAndWaitsForIt() {
        JsonNode kibana = services.path("kibana");
        assertThat(kibana.path("environment").path("ELASTICSEARCH_HOSTS").asText())
                .isEqualTo("http://elasticsearch:" + only(containerPorts(services.path("elasticsearch"))).replace("/tcp", ""));
        assertThat(containerPorts(kibana)).containsExactly("5601/tcp");
        assertThat(kibana.path("depends_on").path("elasticsearch").path("condition").asText()).isEqualTo("service_healthy");
        assertThat(kibana.path("healthcheck").path("test").toString()).contains("localhost:5601/api/status");
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
        assertThat(config.path("elasticsearch").path("hosts").get(0).asText()).isEqualTo("http://elasticsearch:9200");
        assertThat(config.path("kibana").path("url").asText()).isEqualTo("http://kibana:5601");
        assertThat(services.has("elasticsearch") && services.has("kibana")).isTrue();
        KibanaClient.builder(config.path("kibana").path("url").asText()).space(config.path("kibana").path("space").asText()).build();
    }

    @Test
    void theReadmeTellsHowToRunIt() throws Exception {
        String readme = Files.readString(DOCKER.resolve("README.md"));
        assertThat(readme).contains("docker compose -f docker/docker-compose.yml up -d --build")
                .contains("9060/udp").contains("5601").contains("kibana-import");
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
