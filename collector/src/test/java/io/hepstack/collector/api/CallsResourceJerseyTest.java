package io.hepstack.collector.api;

import io.hepstack.collector.security.AuthFilter;
import io.hepstack.collector.security.Authenticator;
import io.hepstack.collector.security.DataScope;
import io.hepstack.collector.security.LoginLimiter;
import io.hepstack.collector.security.LoginLimits;
import io.hepstack.collector.security.Passwords;
import io.hepstack.collector.security.Role;
import io.hepstack.collector.security.RoleCheck;
import io.hepstack.collector.security.Sessions;
import io.hepstack.collector.security.UserDirectory;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The resource as Jersey serves it (paths, parameters, status codes), over the fake store, behind
 * the real authentication and role filters with two API tokens: an unrestricted viewer and a viewer
 * scoped to capture id 7.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class CallsResourceJerseyTest {

    private static final CallsResourceTest.FakeStore STORE = new CallsResourceTest.FakeStore();
    private static final String VIEWER = "Bearer viewer-token";
    private static final String SCOPED = "Bearer scoped-token";
    private static final UserDirectory USERS = new UserDirectory(Map.of(), Map.of(
            UserDirectory.tokenHash("viewer-token"), new UserDirectory.ApiToken("v", Role.VIEWER, null, null),
            UserDirectory.tokenHash("scoped-token"), new UserDirectory.ApiToken("s", Role.VIEWER,
                    new DataScope(Set.of(7), null, null, null, null), null)));
    private static final Authenticator AUTH = new Authenticator(() -> USERS, null, new Passwords(4),
            new LoginLimiter(new LoginLimits(), Clock.systemUTC()), Clock.systemUTC());
    private static final ResourceExtension RESOURCES = ResourceExtension.builder()
            .addProvider(new AuthFilter(AUTH, new Sessions(Duration.ofMinutes(1), Duration.ofHours(1), 10, Clock.systemUTC())))
            .addProvider(RoleCheck.class)
            .addResource(new CallsResource(STORE, new ObjectMapper())).build();

    @Test
    void pathsParametersAndStatusCodes() {
        STORE.tdrHits = "[{\"_id\":\"t\",\"_source\":{\"tdr\":{\"call_id\":\"a b@x\",\"status\":\"FINISHED\"}}}]";
        assertThat(RESOURCES.target("/api/v1/calls/a b@x").request().get().getStatus()).as("no credentials").isEqualTo(401);
        JsonNode call = RESOURCES.target("/api/v1/calls/a b@x").request().header("Authorization", VIEWER).get(JsonNode.class);
        assertThat(call.path("call_id").asText()).isEqualTo("a b@x");
        assertThat(call.path("tdrs").get(0).path("tdr").path("status").asText()).isEqualTo("FINISHED");

        JsonNode found = RESOURCES.target("/api/v1/calls").queryParam("status", "FINISHED").queryParam("limit", 3)
                .request().header("Authorization", VIEWER).get(JsonNode.class);
        assertThat(found.path("total").asLong()).isEqualTo(1);

        Response bad = RESOURCES.target("/api/v1/calls").queryParam("limit", 5000).request()
                .header("Authorization", VIEWER).get();
        assertThat(bad.getStatus()).isEqualTo(400);
        assertThat(bad.readEntity(JsonNode.class).path("error").asText()).isEqualTo("limit must be 1..1000: 5000");

        STORE.tdrHits = "[]";
        assertThat(RESOURCES.target("/api/v1/calls/none@x").request().header("Authorization", VIEWER).get().getStatus())
                .isEqualTo(404);
    }

    @Test
    void aScopedUsersQueriesCarryTheScopeFilter() {
        STORE.asked.clear();
        STORE.tdrHits = "[]";
        RESOURCES.target("/api/v1/calls").request().header("Authorization", SCOPED).get();
        RESOURCES.target("/api/v1/calls/x@y").request().header("Authorization", SCOPED).get();
        assertThat(STORE.asked).hasSize(3); // search; the call's TDRs and its messages
        assertThat(STORE.asked.get(0)[1]).contains("{\"terms\":{\"tdr.capture_ids\":[\"7\"]}}");
        assertThat(STORE.asked.get(1)[1]).contains("{\"terms\":{\"tdr.capture_ids\":[\"7\"]}}");
        assertThat(STORE.asked.get(2)[1]).contains("{\"terms\":{\"hep.capture_id\":[\"7\"]}}");

        STORE.asked.clear();
        RESOURCES.target("/api/v1/calls").request().header("Authorization", VIEWER).get();
        assertThat(STORE.asked.get(0)[1]).doesNotContain("capture");
    }
}
