package io.hepstack.tools.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NStringEntity;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * The Watcher REST API calls the {@code watchers} command makes: get, put, delete one watch.
 *
 * <p>Installing is idempotent: each installed body carries {@code metadata.hepstack_checksum}, and a
 * watch whose installed checksum matches the file is left alone, so its acknowledgement and throttle
 * state survive a re-install. A changed watch is rewritten with its current active/inactive state.
 */
public final class WatcherApi {

    /** What {@link #install} did with one watch. */
    public enum Outcome { CREATED, UPDATED, UNCHANGED }

    /** A watch as the cluster has it. */
    public record Installed(String id, long version, boolean active, String checksum) {
    }

    /** Any answer of the Watcher API other than the ones expected (license, security, bad watch...). */
    public static final class WatcherApiException extends IOException {
        private final int status;

        public WatcherApiException(String call, int status, String body) {
            super(call + " -> HTTP " + status + ": " + body);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final RestClient client;
    private final ObjectMapper mapper;

    public WatcherApi(RestClient client, ObjectMapper mapper) {
        this.client = client;
        this.mapper = mapper;
    }

    public Optional<Installed> get(String id) throws IOException {
        JsonNode r = call(new Request("GET", path(id)), true);
        if (r == null || !r.path("found").asBoolean(false)) {
            return Optional.empty();
        }
        return Optional.of(new Installed(r.path("_id").asText(id), r.path("_version").asLong(-1),
                r.path("status").path("state").path("active").asBoolean(true),
                r.path("watch").path("metadata").path(Watch.CHECKSUM_KEY).asText(null)));
    }

    /** Creates or updates {@code watch}; leaves it alone when unchanged, unless {@code force}. */
    public Outcome install(Watch watch, boolean force) throws IOException {
        Optional<Installed> current = get(watch.id());
        if (current.isPresent() && !force && watch.checksum().equals(current.get().checksum())) {
            return Outcome.UNCHANGED;
        }
        Request put = new Request("PUT", path(watch.id()));
        put.addParameter("active", Boolean.toString(current.map(Installed::active).orElse(true)));
        put.setEntity(new NStringEntity(mapper.writeValueAsString(watch.installBody()), ContentType.APPLICATION_JSON));
        JsonNode r = call(put, false);
        return r.path("created").asBoolean(current.isEmpty()) ? Outcome.CREATED : Outcome.UPDATED;
    }

    /** Deletes the watch; false when there was none. */
    public boolean delete(String id) throws IOException {
        JsonNode r = call(new Request("DELETE", path(id)), true);
        return r != null && r.path("found").asBoolean(false);
    }

    private static String path(String id) {
        return "/_watcher/watch/" + id;
    }

    /** The response body; null for a 404 when {@code notFoundIsNull}. */
    private JsonNode call(Request request, boolean notFoundIsNull) throws IOException {
        String call = request.getMethod() + " " + request.getEndpoint();
        Response response;
        try {
            response = client.performRequest(request);
        } catch (ResponseException e) {
            int status = e.getResponse().getStatusLine().getStatusCode();
            if (status == 404 && notFoundIsNull) {
                return null;
            }
            String body = e.getResponse().getEntity() == null ? "" : EntityUtils.toString(e.getResponse().getEntity());
            throw new WatcherApiException(call, status, body);
        }
        if (response.getEntity() == null) {
            return mapper.createObjectNode();
        }
        try (InputStream in = response.getEntity().getContent()) {
            return mapper.readTree(in);
        }
    }
}
