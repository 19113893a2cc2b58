package io.hepstack.collector.config;

import io.hepstack.collector.document.MessageFields;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.hepstack.collector.CollectorConfiguration;
import io.hepstack.collector.es.ElasticsearchConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shipped configuration files bind and validate; a broken one fails naming the line. */
class ConfigurationFilesTest {

    private final ObjectMapper mapper = Jackson.newObjectMapper();
    private final LineNumberingConfigurationFactory<CollectorConfiguration> factory =
            new LineNumberingConfigurationFactory<>(CollectorConfiguration.class, Validators.newValidator(), mapper, "dw");

    /** Loads a file the way the application does (environment variables substituted). */
    private CollectorConfiguration load(Path p) throws Exception {
        return factory.build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(),
                new EnvironmentVariableSubstitutor(false)), p.toString());
    }

    @Test
    void theDefaultConfigurationBindsWithEveryEnricherOn() throws Exception {
        CollectorConfiguration c = load(Path.of("config.yml"));
        assertThat(c.hep.udp.port).isEqualTo(9060);
        assertThat(c.hep.tcp.port).isEqualTo(9060);
        assertThat(c.elasticsearch.mode).isEqualTo(ElasticsearchConfig.Mode.embedded);
        assertThat(c.elasticsearch.embedded.dataDir).isEqualTo("./data/elasticsearch");
        assertThat(c.enricher.geoip.cityDatabase).endsWith("GeoIP2-City-Test.mmdb");
        assertThat(c.enricher.rating.tables).hasSize(1);
        assertThat(c.enricher.blacklists.lists).hasSize(4);
        assertThat(c.enricher.validate()).isEmpty();
        assertThat(c.fraud.rules).isEqualTo("samples/fraud/fraud-rules.yml");
        // safe defaults: users file with a generated admin, credentials masked, admin port on the loopback
        assertThat(c.security.usersFile).isEqualTo("./data/users.yml");
        assertThat(c.security.audit).isTrue();
        assertThat(c.security.ldap.enabled).isFalse();
        assertThat(c.pipeline.redactCredentials).isTrue();
        assertThat(c.pipeline.messageFields).isEqualTo(MessageFields.LEAN);
        assertThat(c.adminOnLoopbackUnlessConfigured()).containsExactly("127.0.0.1");
        assertThat(new CollectorConfiguration().adminOnLoopbackUnlessConfigured()).as("with no server section")
                .containsExactly("127.0.0.1");
        for (String file : new String[]{c.enricher.geoip.cityDatabase, c.enricher.geoip.asnDatabase, c.fraud.rules,
                c.enricher.rating.tables.get(0).file}) {
            assertThat(Path.of("..").resolve(file)).as("shipped with the repository").exists();
        }
    }

    @Test
    void theDockerConfigurationBinds() throws Exception {
        CollectorConfiguration c = load(Path.of("../docker/config.yml"));
        assertThat(c.elasticsearch.mode).isEqualTo(ElasticsearchConfig.Mode.external);
        assertThat(c.elasticsearch.hosts).containsExactly("https://elasticsearch:9200");
        assertThat(c.elasticsearch.caCertificate).isEqualTo("/run/secrets/collector/ca.crt");
        assertThat(c.security.usersFile).isEqualTo("/var/lib/hepstack/users.yml");
        assertThat(c.elasticsearch.spool.dir).isEqualTo("/var/lib/hepstack/spool");
        assertThat(c.kibana.url()).isEqualTo("http://kibana:5601");
        assertThat(c.enricher.validate()).isEmpty();
        assertThat(c.enricher.blacklists.lists).hasSize(4);
    }

    @Test
    void aBrokenFileFailsWithTheLineOfTheProblem(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yml");
        Files.writeString(bad, "hep:\n  udp:\n    port: 9060\n  tcp:\n    port: [not, a, port]\n");
        assertThatThrownBy(() -> load(bad)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("line 5");
        Path unknown = dir.resolve("unknown.yml");
        Files.writeString(unknown, "hep:\n  udp:\n    prot: 9060\n");
        assertThatThrownBy(() -> load(unknown)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("prot").hasMessageContaining("line 3");
        Path invalid = dir.resolve("invalid.yml");
        Files.writeString(invalid, "pipeline:\n  batchSize: 10\nhep:\n  udp:\n    port: 70000\n");
        assertThatThrownBy(() -> load(invalid)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("hep.udp.port").hasMessageContaining("line 5");
        Path syntax = dir.resolve("syntax.yml");
        Files.writeString(syntax, "hep:\n  udp:\n    port: 9060\n  tcp:\n\tport: 1\n");
        assertThatThrownBy(() -> load(syntax)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("line 5");
    }

    @Test
    void messageFieldsAreLeanOrFull(@TempDir Path dir) throws Exception {
        Path full = dir.resolve("full.yml");
        Files.writeString(full, Files.readString(Path.of("config.yml")).replace("messageFields: lean", "messageFields: full"));
        assertThat(load(full).pipeline.messageFields).isEqualTo(MessageFields.FULL);
        Path bad = dir.resolve("fields.yml");
        Files.writeString(bad, "pipeline:\n  batchSize: 10\n  messageFields: everything\n");
        assertThatThrownBy(() -> load(bad)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("messageFields").hasMessageContaining("lean or full, not 'everything'");
    }

    @Test
    void enricherConstraintsFailWithTheirLine(@TempDir Path dir) throws Exception {
        Path dnsbl = dir.resolve("dnsbl.yml");
        Files.writeString(dnsbl, "enricher:\n  geoip:\n    enabled: false\n  dnsbl:\n    enabled: true\n"
                + "    zones: [bl.example.org]\n    maxConcurrent: 0\n");
        assertThatThrownBy(() -> load(dnsbl)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("enricher.dnsbl.maxConcurrent must be greater than or equal to 1")
                .hasMessageContaining("(line 7 of " + dnsbl + ")");
        Path rating = dir.resolve("rating.yml");
        Files.writeString(rating, "enricher:\n  geoip:\n    enabled: false\n  rating:\n    tables:\n"
                + "      - name: retail\n        file: rates.csv\n        currency: euro\n");
        assertThatThrownBy(() -> load(rating)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("enricher.rating.tables[0].currency must be an ISO 4217 code such as EUR")
                .hasMessageContaining("(line 8 of " + rating + ")");
        Path cross = dir.resolve("cross.yml");
        Files.writeString(cross, "enricher:\n  geoip:\n    enabled: true\n");
        assertThatThrownBy(() -> load(cross)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("enricher.geoip.database is missing: geoip is enabled but names no database")
                .hasMessageContaining("(line 2 of " + cross + ")");
    }

    @Test
    void webhookConstraintsFailWithTheirLine(@TempDir Path dir) throws Exception {
        Path hooks = dir.resolve("hooks.yml");
        Files.writeString(hooks, "fraud:\n  webhooks:\n    endpoints:\n      - url: ftp://example.com/x\n"
                + "    queueCapacity: 0\n");
        assertThatThrownBy(() -> load(hooks)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("fraud.webhooks.endpoints[0].httpUrl is not an http(s)://host/... URL")
                .hasMessageContaining("fraud.webhooks.queueCapacity must be greater than 0")
                .hasMessageContaining("(lines 4, 5 of " + hooks + ")");
    }

    @Test
    void correlationConstraintsFailWithTheirLine(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("correlation.yml");
        Files.writeString(bad, "enricher:\n  geoip:\n    enabled: false\ncorrelation:\n  maxCalls: 0\n"
                + "  setupTimeout: 0s\n  linkHeaders: [X-CID, ';icid']\n");
        assertThatThrownBy(() -> load(bad)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("correlation.maxCalls must be positive")
                .hasMessageContaining("correlation.setupTimeout must be a positive duration")
                .hasMessageContaining("is not a header name or Name;param")
                .hasMessageContaining("(lines 7, 5, 6 of " + bad + ")");
    }
}
