package io.hepstack.collector.qos;

import io.hepstack.collector.protocol.rtcp.RtcpReport;

/**
 * The quality one RTCP report block says on its own, for the report's document: the E-model over
 * the interval's loss and jitter (G.711, 8 kHz, round-trip unknown), rounded as the document shows
 * it. The call's TDR has the per-leg view over all reports ({@link QosAccumulator}).
 *
 * @param mos      MOS, two decimals
 * @param rFactor  R, two decimals
 * @param lossPct  interval loss %, two decimals
 * @param jitterMs interarrival jitter in ms, three decimals
 * @param codec    the codec assumed
 */
public record IntervalQuality(double mos, double rFactor, double lossPct, double jitterMs, Codec codec) {

    /** Not thread-safe (the E-model keeps scratch state): one per pipeline worker. */
    public static final class Estimator {
        private final EModel emodel = new EModel();

        public IntervalQuality of(RtcpReport.ReportBlock b) {
            double lossPct = b.fractionLostPct();
            double jitterMs = b.jitter() * 1000.0 / Codec.DEFAULT_CLOCK_RATE;
            EModel.Result q = emodel.evaluate(Codec.G711, lossPct, 1.0, 0, jitterMs);
            return new IntervalQuality(Math.round(q.mos() * 100) / 100.0, Math.round(q.r() * 100) / 100.0,
                    Math.round(lossPct * 100) / 100.0, Math.round(jitterMs * 1000) / 1000.0, Codec.G711);
        }
    }
}
