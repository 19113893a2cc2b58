package io.hepstack.collector.protocol.rtcp;

/**
 * An RTCP payload (binary, or the JSON form capture agents send) that cannot be read.
 *
 * <p>{@link #reason()} says what is wrong, with the bad value in it; {@link #offset()} is where,
 * counted from the first byte of the payload handed to the parser (binary: byte offset; JSON: the
 * character offset Jackson reports, or the offset of the enclosing value), {@code -1} when no
 * position applies. The exception carries no stack trace: it is thrown for bad input, not for bugs,
 * and a flood of garbage packets must stay cheap.
 */
public final class RtcpParseException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String reason;
    private final long offset;

    public RtcpParseException(String reason, long offset) {
        this(reason, offset, null);
    }

    public RtcpParseException(String reason, long offset, Throwable cause) {
        super(reason + (offset >= 0 ? " (at offset " + offset + ")" : ""), cause, false, false);
        this.reason = reason;
        this.offset = offset;
    }

    /** What is wrong, e.g. {@code "RTCP version 1, expected 2"}. */
    public String reason() {
        return reason;
    }

    /** Position of the problem in the payload, or -1. */
    public long offset() {
        return offset;
    }
}
