package io.hepstack.collector.hep;

/**
 * A HEP packet (or a run of stream bytes) was rejected. Carries why, as a {@link Reason} a
 * caller can count, and the byte offset, relative to the start of the packet, where the
 * problem was found.
 *
 * <p>Rejections can be frequent (a scanner, a misconfigured agent, a UDP garbage flood), so
 * this exception records no stack trace: creating one costs about as much as a string.
 */
public final class HepDecodeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why a packet was rejected. Stable names: they end up in metric labels. */
    public enum Reason {
        /** Fewer bytes than the smallest header of the version. */
        TOO_SHORT,
        /** Neither "HEP3"/"EEP1" nor a HEPv1/v2 version byte. */
        BAD_MAGIC,
        /** "HEP" followed by a version this decoder does not know (e.g. "HEP4"). */
        UNKNOWN_VERSION,
        /** The HEP3 total length field differs from the bytes given, or is smaller than the header. */
        LENGTH_MISMATCH,
        /** TCP only: a frame whose length field exceeds the configured maximum. */
        FRAME_TOO_LONG,
        /** A chunk length below 6 or past the end of the packet, or trailing bytes too short for a chunk. */
        BAD_CHUNK_LENGTH,
        /** A chunk value of the wrong size for its type (e.g. an IPv4 chunk that is not 4 bytes), or a bad v1/v2 address family. */
        BAD_CHUNK_VALUE,
        /** A generic chunk type present twice (including payload 0x000f together with 0x0010). */
        DUPLICATE_CHUNK,
        /** Chunk 0x0010 is not valid gzip, zlib or raw deflate data. */
        DECOMPRESSION_FAILED,
        /** Chunk 0x0010 inflates to more than the configured maximum (zip bomb guard). */
        PAYLOAD_TOO_LARGE,
        /** An auth key is required and the packet's is missing or wrong. */
        AUTH_FAILED,
        /** The packet carries no payload chunk (and the decoder requires one). */
        MISSING_PAYLOAD
    }

    private final Reason reason;
    private final int offset;

    public HepDecodeException(Reason reason, int offset, String detail) {
        super(detail, null, false, false);
        if (reason == null) {
            throw new IllegalArgumentException("reason must not be null");
        }
        this.reason = reason;
        this.offset = offset;
    }

    public Reason reason() {
        return reason;
    }

    /** Byte offset from the start of the packet where the problem was found. */
    public int offset() {
        return offset;
    }

    /** The human-readable detail, without the reason and offset. */
    public String detail() {
        return super.getMessage();
    }

    @Override
    public String getMessage() {
        return reason + " at offset " + offset + ": " + super.getMessage();
    }
}
