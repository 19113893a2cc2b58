package io.hepstack.collector.protocol.rtcp;

/**
 * One report block of an RTCP XR packet (RFC 3611 §3): the VoIP Metrics block (type 7) read field
 * by field, every other block type kept as its type and length.
 */
public sealed interface XrBlock permits XrBlock.VoipMetrics, XrBlock.Raw {

    /** The XR block type (BT) byte. */
    int blockType();

    /** SSRC of the XR packet that carried the block (the reporter). */
    long reporterSsrc();

    /** XR block type of the VoIP Metrics report block. */
    int BT_VOIP_METRICS = 7;

    /** The value RFC 3611 §4.7 uses for "unavailable" in level, R-factor and MOS fields. */
    int UNAVAILABLE = 127;

    /**
     * VoIP Metrics report block (RFC 3611 §4.7), every field as sent. Helper methods turn the
     * scaled ones into plain units and map {@link #UNAVAILABLE} to {@code NaN}.
     *
     * <p>Fixed-point fractions ({@code lossRate}, {@code discardRate}, {@code burstDensity},
     * {@code gapDensity}) are in 1/256 with the binary point at the left edge (0..255).
     *
     * @param reporterSsrc     SSRC of the XR packet that carried the block
     * @param sourceSsrc       SSRC of the RTP stream the block reports on
     * @param lossRate         packets lost since reception began / packets expected, in 1/256 (§4.7.1)
     * @param discardRate      packets discarded (late/early for the jitter buffer) / expected, in 1/256
     * @param burstDensity     fraction of packets lost or discarded within bursts, in 1/256 (§4.7.2)
     * @param gapDensity       fraction of packets lost or discarded within gaps, in 1/256
     * @param burstDurationMs  mean duration of bursts, ms
     * @param gapDurationMs    mean duration of gaps, ms
     * @param roundTripDelayMs most recent round-trip delay between the RTP interfaces, ms (§4.7.3)
     * @param endSystemDelayMs most recent end-system delay (encode + decode + jitter buffer), ms
     * @param signalLevel      signal level in dBm0, signed; 127 = unavailable (§4.7.4)
     * @param noiseLevel       noise level in dBm0, signed; 127 = unavailable
     * @param rerl             residual echo return loss in dB as sent (0..255); 127 = unavailable
     * @param gmin             gap threshold: minimum received packets between losses ending a burst
     * @param rFactor          R factor per ITU-T G.107 (0..100); 127 = unavailable (§4.7.5)
     * @param extRFactor       external R factor (quality of the other segment); 127 = unavailable
     * @param mosLq            MOS listening quality × 10 (10..50); 127 = unavailable
     * @param mosCq            MOS conversational quality × 10 (10..50); 127 = unavailable
     * @param rxConfig         receiver configuration byte: PLC (bits 7-6), jitter buffer adaptive
     *                         (bits 5-4), jitter buffer rate (bits 3-0) (§4.7.6)
     * @param jbNominalMs      jitter buffer nominal delay, ms (§4.7.7)
     * @param jbMaximumMs      jitter buffer maximum delay, ms
     * @param jbAbsMaxMs       jitter buffer absolute maximum delay, ms
     */
    record VoipMetrics(long reporterSsrc, long sourceSsrc, int lossRate, int discardRate, int burstDensity,
                       int gapDensity, int burstDurationMs, int gapDurationMs, int roundTripDelayMs,
                       int endSystemDelayMs, int signalLevel, int noiseLevel, int rerl, int gmin, int rFactor,
                       int extRFactor, int mosLq, int mosCq, int rxConfig, int jbNominalMs, int jbMaximumMs,
                       int jbAbsMaxMs) implements XrBlock {

        @Override
        public int blockType() {
            return BT_VOIP_METRICS;
        }

        /** {@link #lossRate} as a percentage. */
        public double lossRatePct() {
            return lossRate * 100.0 / 256.0;
        }

        /** {@link #discardRate} as a percentage. */
        public double discardRatePct() {
            return discardRate * 100.0 / 256.0;
        }

        /** R factor, or NaN when unavailable (127) or out of its 0..100 range. */
        public double rFactorValue() {
            return rFactor >= 0 && rFactor <= 100 ? rFactor : Double.NaN;
        }

        /** External R factor, or NaN when unavailable. */
        public double extRFactorValue() {
            return extRFactor >= 0 && extRFactor <= 100 ? extRFactor : Double.NaN;
        }

        /** MOS-LQ (1.0..5.0), or NaN when unavailable or out of range. */
        public double mosLqValue() {
            return mosValue(mosLq);
        }

        /** MOS-CQ (1.0..5.0), or NaN when unavailable or out of range. */
        public double mosCqValue() {
            return mosValue(mosCq);
        }

        /** Packet loss concealment: 3 standard, 2 enhanced, 1 disabled, 0 unspecified. */
        public int plc() {
            return (rxConfig >>> 6) & 0x3;
        }

        /** Jitter buffer adaptive: 3 adaptive, 2 non-adaptive, 0 unknown. */
        public int jitterBufferAdaptive() {
            return (rxConfig >>> 4) & 0x3;
        }

        /** Jitter buffer rate (0..15). */
        public int jitterBufferRate() {
            return rxConfig & 0xf;
        }

        private static double mosValue(int tenths) {
            return tenths >= 10 && tenths <= 50 ? tenths / 10.0 : Double.NaN;
        }
    }

    /**
     * An XR block of a type this parser does not read (or could not read in full, as from JSON).
     *
     * @param reporterSsrc SSRC of the XR packet that carried the block
     * @param blockType    block type (BT)
     * @param typeSpecific the type-specific byte
     * @param lengthWords  block length in 32-bit words, not counting the 4-byte block header; -1 when
     *                     unknown (JSON)
     */
    record Raw(long reporterSsrc, int blockType, int typeSpecific, int lengthWords) implements XrBlock {
    }
}
