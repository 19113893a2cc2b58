package io.hepstack.collector.es;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.UsernamePasswordCredentials;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds the official Elasticsearch Java client from connection settings. */
public final class ElasticsearchClients {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ElasticsearchClients.class);

    /**
     * Where and how to connect; credentials are optional (username+password or API key);
     * {@code compression}: gzip request bodies (and accept gzip answers), for a slow link to the cluster.
     */
    public record Connection(List<String> hosts, String username, String password, String apiKey, Path caCertificate,
                             boolean compression) {

        /** Without compression. */
        public Connection(List<String> hosts, String username, String password, String apiKey, Path caCertificate) {
            this(hosts, username, password, apiKey, caCertificate, false);
        }

        public Connection {
            if (hosts == null || hosts.isEmpty()) {
                throw new IllegalArgumentException("at least one Elasticsearch host URL is needed");
            }
            hosts = List.copyOf(hosts);
        }

        /** Never the password or the API key. */
        @Override
        public String toString() {
            return "Connection[hosts=" + hosts + ", username=" + username + ", password=" + (password == null || password.isEmpty() ? "(none)" : "****")
                    + ", apiKey=" + (apiKey == null || apiKey.isEmpty() ? "(none)" : "****") + ", caCertificate=" + caCertificate
                    + ", compression=" + compression + "]";
        }
    }

    private ElasticsearchClients() {
    }

    public static RestClient restClient(Connection c) {
        List<HttpHost> hosts = new ArrayList<>();
        for (String h : c.hosts()) {
            URI u = URI.create(h.contains("://") ? h : "http://" + h);
            if (u.getHost() == null) {
                throw new IllegalArgumentException("not a host URL: " + h);
            }
            int port = u.getPort() > 0 ? u.getPort() : 9200;
            hosts.add(new HttpHost(u.getHost(), port, u.getScheme() == null ? "http" : u.getScheme()));
        }
        boolean credentials = (c.apiKey() != null && !c.apiKey().isBlank()) || (c.username() != null && !c.username().isBlank());
        if (credentials && hosts.stream().anyMatch(h -> "http".equalsIgnoreCase(h.getSchemeName()))) {
            LOG.warn("Elasticsearch credentials are sent over plain http:// to {}: anyone on the path can read them;"
                    + " use https:// (elasticsearch.hosts, elasticsearch.caCertificate)", c.hosts());
        }
        RestClientBuilder b = RestClient.builder(hosts.toArray(new HttpHost[0]));
        if (c.apiKey() != null && !c.apiKey().isBlank()) {
            b.setDefaultHeaders(new Header[]{new BasicHeader("Authorization", "ApiKey " + c.apiKey())});
        }
        SSLContext ssl = c.caCertificate() == null ? null : PemTrust.sslContext(c.caCertificate());
        b.setHttpClientConfigCallback(http -> {
            if (c.username() != null && !c.username().isBlank()) {
                BasicCredentialsProvider creds = new BasicCredentialsProvider();
                creds.setCredentials(AuthScope.ANY, new UsernamePasswordCredentials(c.username(), c.password() == null ? "" : c.password()));
                http.setDefaultCredentialsProvider(creds);
            }
            if (ssl != null) {
                http.setSSLContext(ssl);
            }
            return http;
        });
        b.setRequestConfigCallback(r -> r.setConnectTimeout(5_000).setSocketTimeout(60_000));
        b.setCompressionEnabled(c.compression()); // the client's own gzip entity (bench/README: when it pays)
        return b.build();
    }

    public static ElasticsearchClient client(RestClient rest, ObjectMapper mapper) {
        return new ElasticsearchClient(new RestClientTransport(rest, new JacksonJsonpMapper(mapper)));
    }
}
