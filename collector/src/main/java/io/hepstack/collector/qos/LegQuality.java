package io.hepstack.collector.qos;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Immutable summary of the media quality of one call leg, as {@link QosAccumulator#snapshot()}
 * makes it for the TDR document ({@code qos.a_leg.*}, {@code qos.b_leg.*}). Unknown values are
 * {@code NaN}; {@link #toDocument()} leaves them out.
 *
 * <p>"Latest" values are those of the report with the highest capture time that carried the value,
 * so a live call shows its current state and a finished call its final state; averages are plain
 * means over the reports that carried the value.
 *
 * @param codec          name of the codec the E-model used
 * @param reports        reports that contributed (duplicates are not counted)
 * @param packets        packets expected, summed over the intervals whose count is known
 * @param lost           packets lost in those intervals
 * @param lossPct        overall loss, %: lost / packets × 100; when no count is known, the mean of
 *                       the reports' interval loss
 * @param lossPctMax     worst interval loss, %
 * @param jitterMs       latest interarrival jitter, ms
 * @param jitterMsAvg    mean jitter, ms
 * @param jitterMsMax    worst jitter, ms
 * @param rttMs          latest round-trip time, ms
 * @param rttMsAvg       mean RTT, ms
 * @param rttMsMax       worst RTT, ms
 * @param mos            latest MOS
 * @param mosAvg         mean MOS
 * @param mosMin         worst MOS
 * @param rFactor        latest R
 * @param rFactorAvg     mean R
 * @param rFactorMin     worst R
 * @param firstReportMicros capture time of the earliest report, µs since the epoch (-1 when none)
 * @param lastReportMicros  capture time of the latest report (-1 when none)
 */
public record LegQuality(String codec, int reports, long packets, long lost, double lossPct, double lossPctMax,
                         double jitterMs, double jitterMsAvg, double jitterMsMax, double rttMs, double rttMsAvg,
                         double rttMsMax, double mos, double mosAvg, double mosMin, double rFactor,
                         double rFactorAvg, double rFactorMin, long firstReportMicros, long lastReportMicros) {

    /** Packets received in the counted intervals. */
    public long received() {
        return packets - lost;
    }

    /**
     * The summary as document fields (snake case, as under {@code qos.a_leg}): {@code reports,
     * packets, lost, loss_pct, loss_pct_max, jitter_ms, jitter_ms_avg, jitter_ms_max, rtt_ms,
     * rtt_ms_avg, rtt_ms_max, mos, mos_avg, mos_min, r_factor, r_factor_avg, r_factor_min, codec};
     * unknown values are left out.
     */
    public Map<String, Object> toDocument() {
        Map<String, Object> m = new LinkedHashMap<>();
        forEachField(new Fields<RuntimeException>() {
            @Override
            public void number(String name, long value) {
                m.put(name, value);
            }

            @Override
            public void real(String name, double value) {
                m.put(name, value);
            }

            @Override
            public void text(String name, String value) {
                m.put(name, value);
            }
        });
        return m;
    }

    /** Receives the fields of {@link #toDocument()}, in its order, without a map or boxed numbers. */
    public interface Fields<E extends Exception> {
        void number(String name, long value) throws E;

        void real(String name, double value) throws E;

        /** {@code value} may be null (an unknown codec). */
        void text(String name, String value) throws E;
    }

    /**
     * The fields of {@link #toDocument()} one by one (a TDR writer streams them: a map per leg and
     * write, with boxed values, was a steady allocation of every TDR write of a call with media).
     */
    public <E extends Exception> void forEachField(Fields<E> f) throws E {
        f.number("reports", reports);
        f.number("packets", packets);
        f.number("lost", lost);
        real(f, "loss_pct", lossPct);
        real(f, "loss_pct_max", lossPctMax);
        real(f, "jitter_ms", jitterMs);
        real(f, "jitter_ms_avg", jitterMsAvg);
        real(f, "jitter_ms_max", jitterMsMax);
        real(f, "rtt_ms", rttMs);
        real(f, "rtt_ms_avg", rttMsAvg);
        real(f, "rtt_ms_max", rttMsMax);
        real(f, "mos", mos);
        real(f, "mos_avg", mosAvg);
        real(f, "mos_min", mosMin);
        real(f, "r_factor", rFactor);
        real(f, "r_factor_avg", rFactorAvg);
        real(f, "r_factor_min", rFactorMin);
        f.text("codec", codec);
    }

    private static <E extends Exception> void real(Fields<E> f, String name, double v) throws E {
        if (!Double.isNaN(v)) {
            f.real(name, v);
        }
    }
}
