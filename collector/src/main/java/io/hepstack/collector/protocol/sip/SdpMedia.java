package io.hepstack.collector.protocol.sip;

import java.util.List;

/**
 * One media description ({@code m=} line and what follows it) of an {@link Sdp}. Connection
 * address and direction fall back to the session level; every list is immutable.
 */
public final class SdpMedia {

    private final String type;
    private final int port;
    private final int portCount;
    private final String protocol;
    private final List<String> formats;
    private final List<Integer> payloadTypes;
    private final List<SdpCodec> codecs;
    private final String connectionAddress;
    private final String direction;
    private final int ptime;
    private final int rtcpPort;
    private final boolean rtcpMux;
    private final List<String[]> attributes;

    SdpMedia(String type, int port, int portCount, String protocol, List<String> formats, List<Integer> payloadTypes,
             List<SdpCodec> codecs, String connectionAddress, String direction, int ptime, int rtcpPort,
             boolean rtcpMux, List<String[]> attributes) {
        this.type = type;
        this.port = port;
        this.portCount = portCount;
        this.protocol = protocol;
        this.formats = formats;
        this.payloadTypes = payloadTypes;
        this.codecs = codecs;
        this.connectionAddress = connectionAddress;
        this.direction = direction;
        this.ptime = ptime;
        this.rtcpPort = rtcpPort;
        this.rtcpMux = rtcpMux;
        this.attributes = attributes;
    }

    /** {@code audio}, {@code video}, {@code image}, {@code application}, ... */
    public String type() {
        return type;
    }

    /** The transport port (0: a disabled stream), or -1 when unparsable. */
    public int port() {
        return port;
    }

    /** The {@code /count} after the port; 1 when not given. */
    public int portCount() {
        return portCount;
    }

    /** {@code RTP/AVP}, {@code RTP/SAVP}, {@code UDP/TLS/RTP/SAVPF}, {@code udptl}, ... */
    public String protocol() {
        return protocol;
    }

    /** The format list as written (payload type numbers for RTP). */
    public List<String> formats() {
        return formats;
    }

    /** Payload type numbers of an RTP media, in offer order; empty for non-RTP. */
    public List<Integer> payloadTypes() {
        return payloadTypes;
    }

    /**
     * The payload formats in offer order: each one's rtpmap, or the RFC 3551 name of a static
     * type without one. Dynamic types without an rtpmap are left out.
     */
    public List<SdpCodec> codecs() {
        return codecs;
    }

    /** The codec of a payload type, or null. */
    public SdpCodec codec(int payloadType) {
        for (SdpCodec c : codecs) {
            if (c.payloadType() == payloadType) {
                return c;
            }
        }
        return null;
    }

    /** The raw {@code a=fmtp} parameters of a payload type, or null. */
    public String fmtp(int payloadType) {
        SdpCodec c = codec(payloadType);
        return c == null ? null : c.fmtp();
    }

    /** The media-level {@code c=} address, else the session-level one, or null. */
    public String connectionAddress() {
        return connectionAddress;
    }

    /** {@code sendrecv}, {@code sendonly}, {@code recvonly} or {@code inactive}: media level, else session level, else sendrecv. */
    public String direction() {
        return direction;
    }

    /** {@code a=ptime} in ms, or -1. */
    public int ptime() {
        return ptime;
    }

    /** The {@code a=rtcp} port (RFC 3605), or -1 when not given. */
    public int rtcpPort() {
        return rtcpPort;
    }

    /** True when {@code a=rtcp-mux} is present (RFC 5761). */
    public boolean rtcpMux() {
        return rtcpMux;
    }

    /** The value of the first media-level attribute with this name ({@code ""} for a flag), or null. */
    public String attribute(String name) {
        for (String[] a : attributes) {
            if (a[0].equals(name)) {
                return a[1];
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return type + " " + port + " " + protocol + " " + formats;
    }
}
