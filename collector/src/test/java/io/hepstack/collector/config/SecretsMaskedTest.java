package io.hepstack.collector.config;

import io.dropwizard.jackson.Jackson;
import io.hepstack.collector.es.ElasticsearchClients;
import io.hepstack.collector.es.ElasticsearchConfig;
import io.hepstack.collector.fraud.WebhookConfig;
import io.hepstack.collector.kibana.KibanaSettings;
import io.hepstack.collector.security.LdapConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** toString() of every configuration that holds a secret says whether it is set, never what it is. */
class SecretsMaskedTest {

    @Test
    void elasticsearchKibanaWebhookAndLdapSecretsAreMasked() throws Exception {
        ElasticsearchConfig es = new ElasticsearchConfig();
        es.username = "hepstack";
        es.password = "es-secret-1";
        es.apiKey = "es-key-2";
        assertThat(es.toString()).contains("hepstack").doesNotContain("es-secret-1", "es-key-2");
        assertThat(new ElasticsearchClients.Connection(List.of("https://es:9200"), "u", "es-secret-1", "es-key-2", null).toString())
                .doesNotContain("es-secret-1", "es-key-2").contains("password=****");

        KibanaSettings kibana = Jackson.newObjectMapper().readValue(
                "{\"url\":\"http://kibana:5601\",\"username\":\"k\",\"password\":\"kb-secret-3\",\"apiKey\":\"kb-key-4\"}", KibanaSettings.class);
        assertThat(kibana.toString()).doesNotContain("kb-secret-3", "kb-key-4");

        WebhookConfig.Endpoint hook = new WebhookConfig.Endpoint("https://hooks.slack.com/services/T000/B000/XXXXsecretXXXX",
                Map.of("Authorization", "Bearer hook-token-5"), null);
        assertThat(hook.toString()).contains("https://hooks.slack.com/****").contains("Authorization")
                .doesNotContain("XXXXsecretXXXX", "hook-token-5");
        assertThat(hook.redacted()).isEqualTo("https://hooks.slack.com/****");

        LdapConfig ldap = new LdapConfig();
        ldap.bindPassword = "ldap-secret-6";
        assertThat(ldap.toString()).doesNotContain("ldap-secret-6");
    }
}
