package io.hepstack.collector.kibana;

import java.io.IOException;

/**
 * Kibana could not be reached or refused a request. The message carries what Kibana said
 * ({@code statusCode}, {@code error}, {@code message} of its JSON answer, or the start of the body).
 */
public class KibanaException extends IOException {

    /** No HTTP status: the request never got an answer (connection refused, timeout, TLS). */
    public static final int NO_RESPONSE = -1;

    private final int statusCode;

    public KibanaException(String message, int statusCode) {
        super(message);
        this.statusCode = statusCode;
    }

    public KibanaException(String message, Throwable cause) {
        super(message, cause);
        this.statusCode = NO_RESPONSE;
    }

    /** The HTTP status Kibana answered with, or {@link #NO_RESPONSE}. */
    public int statusCode() {
        return statusCode;
    }

    /**
     * True when trying again later can help: no answer at all (Kibana not up yet), or the answers
     * Kibana and proxies give while Kibana starts or migrates its saved objects (502, 503, 504).
     */
    public boolean retryable() {
        return statusCode == NO_RESPONSE || statusCode == 502 || statusCode == 503 || statusCode == 504;
    }
}
