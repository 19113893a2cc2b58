package io.hepstack.collector.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The error answers of the API, one shape for all ({@code {"error": "...", "timed_out": bool}}),
 * so the web UI can always say what went wrong: 400 bad parameters, 404 unknown (or outside the
 * user's scope), 413 too large, 502 Elasticsearch failed, 504 Elasticsearch timed out.
 */
public final class ApiErrors {

    private ApiErrors() {
    }

    public static WebApplicationException badRequest(String message) {
        return of(Response.Status.BAD_REQUEST, message, false);
    }

    public static WebApplicationException notFound(String message) {
        return of(Response.Status.NOT_FOUND, message, false);
    }

    public static WebApplicationException tooLarge(String message) {
        return of(Response.Status.REQUEST_ENTITY_TOO_LARGE, message, false);
    }

    public static WebApplicationException badGateway(String message) {
        return of(Response.Status.BAD_GATEWAY, message, false);
    }

    public static WebApplicationException timedOut(String message) {
        return of(Response.Status.GATEWAY_TIMEOUT, message, true);
    }

    public static WebApplicationException of(Response.Status status, String message, boolean timedOut) {
        return new WebApplicationException(message, Response.status(status).entity(body(message, timedOut))
                .type(MediaType.APPLICATION_JSON).build());
    }

    /** The error body. */
    public static Map<String, Object> body(String message, boolean timedOut) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", message);
        m.put("timed_out", timedOut);
        return m;
    }
}
