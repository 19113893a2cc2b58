package io.hepstack.collector.index;

import com.codahale.metrics.MetricRegistry;
import com.sun.net.httpserver.HttpServer;
import io.hepstack.collector.document.JsonDocument;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bulk answer that breaks off after some items: only the documents it did not answer are sent
 * again, each once, with its own bytes (the documents' arrays come from the pool, and one settled
 * twice would go back to it while still to be sent). Against a small HTTP server on 127.0.0.1 that
 * plays Elasticsearch's bulk endpoint, since a real node does not cut its answers.
 */
class BulkAnswerBrokenOffTest {

    private static final Pattern ID = Pattern.compile("\"_id\":\"([^\"]+)\"}}\n(\\{[^\n]*})\n");

    @Test
    void onlyWhatTheAnswerLeftOutIsSentAgainWithItsOwnBytes(@TempDir Path spoolDir) throws Exception {
        List<List<String>> requests = new CopyOnWriteArrayList<>();
        List<String> stored = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/_bulk", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            List<String> ids = new ArrayList<>();
            Matcher m = ID.matcher(body);
            while (m.find()) {
                ids.add(m.group(1));
                stored.add(m.group(1) + " " + m.group(2));
            }
            requests.add(ids);
            StringBuilder answer = new StringBuilder("{\"errors\":false,\"items\":[");
            int answered = requests.size() == 1 ? 2 : ids.size(); // the first answer breaks off after two items
            for (int i = 0; i < answered; i++) {
                answer.append(i > 0 ? "," : "").append("{\"create\":{\"status\":201}}");
            }
            if (requests.size() > 1) {
                answer.append("]}");
            }
            byte[] b = answer.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, b.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(b);
            }
        });
        server.start();
        MetricRegistry metrics = new MetricRegistry();
        try (RestClient rest = RestClient.builder(new HttpHost("127.0.0.1", server.getAddress().getPort())).build()) {
            BulkIndexer.Settings settings = new BulkIndexer.Settings(500, 1 << 20, Duration.ofMillis(200), 1, 3,
                    Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(60));
            BulkIndexer indexer = new BulkIndexer(rest, settings, new DiskSpool(spoolDir, 1 << 20), () -> true, metrics);
            JsonDocument buffer = new JsonDocument();
            for (int i = 0; i < 5; i++) {
                buffer.begin().writeStringField("n", "document " + i);
                indexer.accept("hep-sip-2001.01.05", "id-" + i, true, -1, buffer.finish());
            }
            indexer.flush();
            assertThat(indexer.awaitIdle(Duration.ofSeconds(30))).isTrue();
            // documents written after the first ones were settled take their arrays from the pool
            for (int i = 5; i < 8; i++) {
                buffer.begin().writeStringField("n", "later " + i);
                indexer.accept("hep-sip-2001.01.05", "id-" + i, true, -1, buffer.finish());
            }
            indexer.flush();
            assertThat(indexer.awaitIdle(Duration.ofSeconds(30))).isTrue();
            indexer.close();
        } finally {
            server.stop(0);
        }
        assertThat(requests.get(0)).containsExactly("id-0", "id-1", "id-2", "id-3", "id-4");
        // the resent documents go back together, though a sender told to flush (awaitIdle) may take
        // the first before the others are back: what counts is that exactly they are sent again
        assertThat(requests.subList(1, requests.size()).stream().flatMap(List::stream).filter(id -> id.compareTo("id-5") < 0).toList())
                .as("only what the answer left out, once each, in order").containsExactly("id-2", "id-3", "id-4");
        assertThat(requests.stream().flatMap(List::stream).filter(id -> id.compareTo("id-5") >= 0).toList())
                .containsExactly("id-5", "id-6", "id-7");
        assertThat(stored).allSatisfy(line -> {
            String id = line.substring(0, line.indexOf(' '));
            int n = Integer.parseInt(id.substring(3));
            assertThat(line).isEqualTo(id + " {\"n\":\"" + (n < 5 ? "document " : "later ") + n + "\"}");
        });
        assertThat(metrics.meter("index.sip.indexed").getCount()).isEqualTo(8);
    }
}
