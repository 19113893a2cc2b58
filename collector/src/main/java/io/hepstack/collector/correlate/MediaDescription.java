package io.hepstack.collector.correlate;

import io.hepstack.collector.protocol.sip.Sdp;
import io.hepstack.collector.protocol.sip.SdpCodec;
import io.hepstack.collector.protocol.sip.SdpMedia;

import java.util.ArrayList;
import java.util.List;

/**
 * The audio stream one side offered or answered in its SDP: where it wants RTP and RTCP, and its
 * codecs in preference order ({@code PCMA/8000} form).
 *
 * @param ip       connection address of the media line (or of the session)
 * @param port     RTP port; 0 for a rejected/held stream
 * @param rtcpPort RTCP port: {@code a=rtcp}, the RTP port with {@code a=rtcp-mux}, else port + 1
 * @param codecs   every payload format with a name
 * @param voice    the first codec that is not telephone-event / CN (the one the E-model uses), or null
 */
record MediaDescription(String ip, int port, int rtcpPort, List<String> codecs, String voice) {

    /** The first audio stream of {@code sdp} (or its first stream when none is audio); null when none has an address. */
    static MediaDescription of(Sdp sdp, Canonical canonical) {
        if (sdp == null || sdp.media().isEmpty()) {
            return null;
        }
        SdpMedia chosen = null;
        for (SdpMedia md : sdp.media()) {
            if ("audio".equalsIgnoreCase(md.type())) {
                chosen = md;
                break;
            }
        }
        if (chosen == null) {
            chosen = sdp.media().get(0);
        }
        String ip = chosen.connectionAddress() != null ? chosen.connectionAddress() : sdp.connectionAddress();
        if (ip == null || ip.isEmpty()) {
            return null;
        }
        int port = chosen.port();
        int rtcp = chosen.rtcpMux() ? port : chosen.rtcpPort() > 0 ? chosen.rtcpPort() : port > 0 ? port + 1 : 0;
        List<String> codecs = new ArrayList<>(chosen.codecs().size());
        String voice = null;
        for (SdpCodec c : chosen.codecs()) {
            String name = canonical.of(name(c));
            codecs.add(name);
            if (voice == null && !c.encodingName().equalsIgnoreCase("telephone-event")
                    && !c.encodingName().equalsIgnoreCase("CN")) {
                voice = name;
            }
        }
        return new MediaDescription(ip, port, rtcp, List.copyOf(codecs), voice);
    }

    /**
     * {@code PCMA/8000}: the text of recent codecs is handed out again (every SDP of a call, and most
     * calls, name the same few), from a small direct-mapped table of immutable entries (threads may
     * overwrite each other's slots, never see half an entry).
     */
    static String name(SdpCodec c) {
        String encoding = c.encodingName();
        int rate = c.clockRate();
        int slot = (encoding.hashCode() * 31 + rate) & (NAMES.length - 1);
        CodecName n = NAMES[slot];
        if (n != null && n.rate() == rate && n.encoding().equals(encoding)) {
            return n.text();
        }
        String text = encoding + "/" + rate;
        NAMES[slot] = new CodecName(encoding, rate, text);
        return text;
    }

    private record CodecName(String encoding, int rate, String text) {
    }

    private static final CodecName[] NAMES = new CodecName[64];
}
