package io.hepstack.collector.protocol.sip;

/**
 * The bytes are not a SIP message, or a part of one is broken beyond repair.
 *
 * <p>{@link #errorOffset()} is where the parser gave up, counted from the first byte of the
 * input it was given (for {@link SipParser#parse(byte[], int, int)}: from {@code off}).
 *
 * <p>No stack trace is filled in: hostile traffic can make this exception frequent, and the
 * message plus the offset say everything a caller needs. It is a checked exception so a
 * caller's loop must decide what to do with a bad packet (count it, index it raw, drop it).
 */
public final class SipParseException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int errorOffset;

    public SipParseException(String reason, int errorOffset) {
        super(reason + " (offset " + errorOffset + ")", null, false, false);
        this.errorOffset = errorOffset;
    }

    /** Where the error is, counted from the first byte handed to the parser. */
    public int errorOffset() {
        return errorOffset;
    }
}
