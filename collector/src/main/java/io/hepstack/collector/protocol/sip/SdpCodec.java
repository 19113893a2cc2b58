package io.hepstack.collector.protocol.sip;

/**
 * One RTP payload format of a media description: from its {@code a=rtpmap}, or for a static
 * payload type without one, from RFC 3551 (0 PCMU, 8 PCMA, 9 G722, 18 G729, ...).
 *
 * @param payloadType  0..127
 * @param encodingName e.g. {@code PCMU}, {@code opus}, {@code telephone-event} (case as written)
 * @param clockRate    in Hz
 * @param channels     audio channels; 1 when not given
 * @param fmtp         the raw {@code a=fmtp} parameters for this payload type, or null
 */
public record SdpCodec(int payloadType, String encodingName, int clockRate, int channels, String fmtp) {

    private static final SdpCodec[] STATIC = new SdpCodec[35];

    static {
        def(0, "PCMU", 8000, 1);
        def(3, "GSM", 8000, 1);
        def(4, "G723", 8000, 1);
        def(5, "DVI4", 8000, 1);
        def(6, "DVI4", 16000, 1);
        def(7, "LPC", 8000, 1);
        def(8, "PCMA", 8000, 1);
        def(9, "G722", 8000, 1);
        def(10, "L16", 44100, 2);
        def(11, "L16", 44100, 1);
        def(12, "QCELP", 8000, 1);
        def(13, "CN", 8000, 1);
        def(14, "MPA", 90000, 1);
        def(15, "G728", 8000, 1);
        def(16, "DVI4", 11025, 1);
        def(17, "DVI4", 22050, 1);
        def(18, "G729", 8000, 1);
        def(25, "CelB", 90000, 1);
        def(26, "JPEG", 90000, 1);
        def(28, "nv", 90000, 1);
        def(31, "H261", 90000, 1);
        def(32, "MPV", 90000, 1);
        def(33, "MP2T", 90000, 1);
        def(34, "H263", 90000, 1);
    }

    private static void def(int pt, String name, int rate, int channels) {
        STATIC[pt] = new SdpCodec(pt, name, rate, channels, null);
    }

    /** The RFC 3551 definition of a static payload type, or null. */
    static SdpCodec staticType(int pt) {
        return pt >= 0 && pt < STATIC.length ? STATIC[pt] : null;
    }

    SdpCodec withFmtp(String f) {
        return new SdpCodec(payloadType, encodingName, clockRate, channels, f);
    }

    /** {@code PCMU/8000}, or {@code L16/44100/2} when there is more than one channel. */
    @Override
    public String toString() {
        return channels > 1 ? encodingName + "/" + clockRate + "/" + channels : encodingName + "/" + clockRate;
    }
}
