package io.hepstack.collector.api.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /api/v1/openapi.json}: the OpenAPI 3 document of every endpoint, written by hand in
 * {@code openapi.yaml} next to this class (readable in review; OpenApiDocumentTest checks that every
 * resource method of the API is in it) and served as JSON. Public: it holds no data.
 */
@Path("/api/v1/openapi.json")
@Produces(MediaType.APPLICATION_JSON)
public final class OpenApiResource {

    private final JsonNode document;

    public OpenApiResource() {
        this.document = load();
    }

    /** The document, read from the classpath. */
    public static JsonNode load() {
        try (InputStream in = OpenApiResource.class.getResourceAsStream("openapi.yaml")) {
            if (in == null) {
                throw new IllegalStateException("openapi.yaml is missing from the classpath");
            }
            return new ObjectMapper(new YAMLFactory()).readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GET
    @PermitAll
    public JsonNode openapi() {
        return document;
    }
}
