package io.hepstack.collector.pipeline;

/**
 * A payload its protocol could not parse. {@link #type()} becomes {@code error.type} (e.g.
 * {@code sip_parse}); the message is still indexed with the raw payload.
 */
public final class ParseFailure extends Exception {

    private final String type;

    public ParseFailure(String type, String message, Throwable cause) {
        super(message, cause, false, false); // no stack trace: a flood of bad payloads must stay cheap
        this.type = type;
    }

    public ParseFailure(String type, String message) {
        this(type, message, null);
    }

    public String type() {
        return type;
    }
}
