package io.hepstack.collector.security;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.Map;

/** Error answers in the API's shape: {@code {"error": "...", "timed_out": false}}. */
final class ApiErrors {

    private ApiErrors() {
    }

    static Response response(Response.Status status, String message) {
        return builder(status.getStatusCode(), message).build();
    }

    static Response.ResponseBuilder builder(int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("timed_out", false);
        return Response.status(status).entity(body).type(MediaType.APPLICATION_JSON_TYPE);
    }
}
