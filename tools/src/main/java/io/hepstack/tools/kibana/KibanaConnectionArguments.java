package io.hepstack.tools.kibana;

import io.hepstack.collector.kibana.KibanaClient;
import io.hepstack.collector.kibana.KibanaCredentials;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The command-line options both Kibana commands share (URL, space, credentials, CA certificate),
 * and the client they describe. Secrets may come from the environment instead of the command line,
 * where every user of the machine can read them: {@code KIBANA_PASSWORD}, {@code KIBANA_API_KEY}.
 */
final class KibanaConnectionArguments {

    static final String PASSWORD_ENV = "KIBANA_PASSWORD";
    static final String API_KEY_ENV = "KIBANA_API_KEY";

    private KibanaConnectionArguments() {
    }

    static void add(Subparser p) {
        p.addArgument("--url").required(true).metavar("URL")
                .help("Kibana base URL, e.g. http://localhost:5601 (with its server.basePath, if any)");
        p.addArgument("--space").setDefault(KibanaClient.DEFAULT_SPACE).metavar("SPACE")
                .help("Kibana space id (default: the default space)");
        p.addArgument("--username").metavar("USER").help("basic authentication user (an Elasticsearch user)");
        p.addArgument("--password").metavar("PASSWORD")
                .help("password of --username (or set " + PASSWORD_ENV + ")");
        p.addArgument("--api-key").dest("api_key").metavar("KEY")
                .help("Elasticsearch API key, base64 'id:key' as Elasticsearch returns it in 'encoded' (or set "
                        + API_KEY_ENV + ")");
        p.addArgument("--ca-certificate").dest("ca_certificate").metavar("PEM")
                .help("PEM file with the CA certificate to trust for an https URL");
        p.addArgument("--timeout").type(Integer.class).setDefault(120).metavar("SECONDS")
                .help("time limit of each request (default: 120)");
    }

    static KibanaClient client(Namespace ns, Map<String, String> env) {
        String username = ns.getString("username");
        String password = ns.getString("password") != null ? ns.getString("password") : env.get(PASSWORD_ENV);
        String apiKey = ns.getString("api_key") != null ? ns.getString("api_key") : env.get(API_KEY_ENV);
        if (username == null && ns.getString("password") == null) {
            password = null; // KIBANA_PASSWORD alone means nothing without a user
        }
        if (username != null && ns.getString("api_key") == null) {
            apiKey = null; // an explicit user wins over an API key from the environment
        }
        if (username != null && password == null) {
            throw new IllegalArgumentException("--username " + username + " needs --password or " + PASSWORD_ENV);
        }
        KibanaCredentials credentials = KibanaCredentials.of(username, password, apiKey);
        String ca = ns.getString("ca_certificate");
        int timeout = ns.getInt("timeout");
        if (timeout <= 0) {
            throw new IllegalArgumentException("--timeout must be positive: " + timeout);
        }
        return KibanaClient.builder(ns.getString("url"))
                .space(ns.getString("space"))
                .credentials(credentials)
                .caCertificate(ca == null ? null : Path.of(ca))
                .requestTimeout(Duration.ofSeconds(timeout))
                .build();
    }
}
