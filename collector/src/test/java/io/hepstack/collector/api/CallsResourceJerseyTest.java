package io.hepstack.collector.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** The resource as Jersey serves it (paths, parameters, status codes), over the fake store. */
@ExtendWith(DropwizardExtensionsSupport.class)
class CallsResourceJerseyTest {

    private static final CallsResourceTest.FakeStore STORE = new CallsResourceTest.FakeStore();
    private static final ResourceExtension RESOURCES = ResourceExtension.builder()
            .addResource(new CallsResource(STORE, new ObjectMapper())).build();

    @Test
    void pathsParametersAndStatusCodes() {
        STORE.tdrHits = "[{\"_id\":\"t\",\"_source\":{\"tdr\":{\"call_id\":\"a b@x\",\"status\":\"FINISHED\"}}}]";
        JsonNode call = RESOURCES.target("/api/v1/calls/a b@x").request().get(JsonNode.class);
        assertThat(call.path("call_id").asText()).isEqualTo("a b@x");
        assertThat(call.path("tdrs").get(0).path("tdr").path("status").asText()).isEqualTo("FINISHED");

        JsonNode found = RESOURCES.target("/api/v1/calls").queryParam("status", "FINISHED").queryParam("limit", 3)
                .request().get(JsonNode.class);
        assertThat(found.path("total").asLong()).isEqualTo(1);

        Response bad = RESOURCES.target("/api/v1/calls").queryParam("limit", 5000).request().get();
        assertThat(bad.getStatus()).isEqualTo(400);
        assertThat(bad.readEntity(JsonNode.class).path("error").asText()).isEqualTo("limit must be 1..1000: 5000");

        STORE.tdrHits = "[]";
        assertThat(RESOURCES.target("/api/v1/calls/none@x").request().get().getStatus()).isEqualTo(404);
    }
}
