package io.hepstack.collector.protocol.rtcp;

/**
 * Reads the payload of a HEP type 5 packet, which is JSON for heplify, captagent, rtpengine,
 * Asterisk and FreeSWITCH bridges but raw RTCP bytes for some agents: a payload whose first
 * non-blank byte is an opening brace goes to the {@link RtcpJsonParser}, anything else to the
 * {@link RtcpBinaryParser} (whose first byte must then carry RTCP version 2, never a printable
 * brace). Thread-safe.
 */
public final class RtcpPayloadParser {

    private final RtcpBinaryParser binary;
    private final RtcpJsonParser json;

    public RtcpPayloadParser() {
        this(new RtcpBinaryParser(), new RtcpJsonParser());
    }

    public RtcpPayloadParser(RtcpBinaryParser binary, RtcpJsonParser json) {
        if (binary == null || json == null) {
            throw new IllegalArgumentException("parsers must not be null: binary=" + binary + ", json=" + json);
        }
        this.binary = binary;
        this.json = json;
    }

    public RtcpReport parse(byte[] payload) throws RtcpParseException {
        if (payload == null || payload.length == 0) {
            throw new RtcpParseException("empty RTCP payload", 0);
        }
        return isJson(payload) ? json.parseRtcp(payload) : binary.parse(payload);
    }

    /** True when the first byte that is not JSON whitespace is an opening brace. */
    static boolean isJson(byte[] payload) {
        for (byte c : payload) {
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                continue;
            }
            return c == '{';
        }
        return false;
    }
}
