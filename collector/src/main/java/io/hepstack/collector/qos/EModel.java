package io.hepstack.collector.qos;

/**
 * Estimates the transmission rating R and the MOS of a call leg with the simplified ITU-T G.107
 * E-model (as used for VoIP monitoring since Cole &amp; Rosenbluth, "Voice over IP performance
 * monitoring", ACM SIGCOMM CCR 31(2), 2001).
 *
 * <pre>
 *   R       = (Ro − Is) − Id − Ie,eff + A                                   G.107 §7.1
 *   Ro − Is = 93.2        all G.107 default parameter values, no delay
 *   d       = RTT/2 + jitterBufferFactor · jitter + codec delay              one-way delay, ms
 *   Id      = 0.024·d + 0.11·(d − 177.3)·H(d − 177.3)                        Cole &amp; Rosenbluth fit of
 *             G.107's Idte + Idd for perfect echo cancellation; H(x) = 1 for x &gt; 0, else 0
 *   Ie,eff  = Ie + (95 − Ie) · Ppl / (Ppl/BurstR + Bpl)                     G.107 (7-29)
 *             Ppl = packet loss in %, BurstR = 1 for random loss (&gt; 1 bursty), Ie/Bpl from {@link Codec}
 *   MOS     = 1                                           for R ≤ 0         G.107 Annex B
 *           = 1 + 0.035·R + R·(R − 60)·(100 − R)·7·10⁻⁶    for 0 &lt; R &lt; 100
 *           = 4.5                                         for R ≥ 100
 * </pre>
 * Further conventions of this class (not from G.107): the cubic dips just below 1 for R under
 * about 6.5, so the MOS is also held at ≥ 1; the reported R is clamped to 0..100 (the MOS is
 * computed from the unclamped R, which gives the same result); the jitter buffer is assumed to add
 * {@code jitterBufferFactor} × the interarrival jitter of delay (default 2, a common planning
 * assumption for an adaptive buffer); an unknown RTT must be passed as 0. With no loss and no delay
 * R = 93.2 and MOS = 4.41, the best a narrowband G.711 call can score.
 *
 * <p>Immutable and thread-safe; the static methods are the bare formulas.
 */
public final class EModel {

    /** Ro − Is with all G.107 default parameter values. */
    public static final double R0_MINUS_IS = 93.2;
    /** Id slope below the knee, R units per ms of one-way delay. */
    public static final double ID_SLOPE = 0.024;
    /** One-way delay where the delay impairment starts to rise steeply, ms. */
    public static final double ID_KNEE_MS = 177.3;
    /** Additional Id slope above the knee, R units per ms. */
    public static final double ID_SLOPE_ABOVE_KNEE = 0.11;
    /** Default jitter buffer delay as a multiple of the interarrival jitter. */
    public static final double DEFAULT_JITTER_BUFFER_FACTOR = 2.0;

    private final double jitterBufferFactor;
    private final double advantageFactor;

    /** Jitter buffer = 2 × jitter, advantage factor A = 0 (wirebound access). */
    public EModel() {
        this(DEFAULT_JITTER_BUFFER_FACTOR, 0.0);
    }

    /**
     * @param jitterBufferFactor jitter buffer delay / interarrival jitter, 0..10
     * @param advantageFactor    G.107 advantage factor A, 0..20 (G.107 examples: 0 wirebound,
     *                           5 mobility in a building, 10 in a region, 20 hard-to-reach places)
     */
    public EModel(double jitterBufferFactor, double advantageFactor) {
        if (!(jitterBufferFactor >= 0 && jitterBufferFactor <= 10)) {
            throw new IllegalArgumentException("jitter buffer factor must be in 0..10: " + jitterBufferFactor);
        }
        if (!(advantageFactor >= 0 && advantageFactor <= 20)) {
            throw new IllegalArgumentException("advantage factor must be in 0..20: " + advantageFactor);
        }
        this.jitterBufferFactor = jitterBufferFactor;
        this.advantageFactor = advantageFactor;
    }

    /**
     * R and MOS of one direction of a call.
     *
     * @param codec      the codec (Ie, Bpl, codec delay)
     * @param lossPct    packet loss, % (0..100)
     * @param burstRatio BurstR, ≥ 1 (1 = random loss)
     * @param rttMs      network round-trip time, ms (0 when unknown)
     * @param jitterMs   interarrival jitter, ms
     */
    public Result evaluate(Codec codec, double lossPct, double burstRatio, double rttMs, double jitterMs) {
        requireNonNegative("rttMs", rttMs);
        requireNonNegative("jitterMs", jitterMs);
        return evaluateOneWay(codec, lossPct, burstRatio, oneWayDelayMs(codec, rttMs, jitterMs));
    }

    /** R and MOS for a known one-way (mouth-to-ear) delay, ms, which then replaces d above. */
    public Result evaluateOneWay(Codec codec, double lossPct, double burstRatio, double oneWayDelayMs) {
        if (codec == null) {
            throw new IllegalArgumentException("codec must not be null");
        }
        if (!(lossPct >= 0 && lossPct <= 100)) {
            throw new IllegalArgumentException("loss must be in 0..100 %: " + lossPct);
        }
        if (!(burstRatio >= 1 && Double.isFinite(burstRatio))) {
            throw new IllegalArgumentException("burst ratio must be >= 1: " + burstRatio);
        }
        requireNonNegative("oneWayDelayMs", oneWayDelayMs);
        double id = delayImpairment(oneWayDelayMs);
        double ieEff = effectiveEquipmentImpairment(codec.ie(), codec.bpl(), lossPct, burstRatio);
        double r = R0_MINUS_IS - id - ieEff + advantageFactor;
        return new Result(oneWayDelayMs, id, ieEff, Math.max(0.0, Math.min(100.0, r)), mos(r));
    }

    /** d = RTT/2 + jitterBufferFactor · jitter + codec delay, ms. */
    public double oneWayDelayMs(Codec codec, double rttMs, double jitterMs) {
        return rttMs / 2.0 + jitterBufferFactor * jitterMs + codec.delayMs();
    }

    /** Id = 0.024·d + 0.11·(d − 177.3)·H(d − 177.3). */
    public static double delayImpairment(double oneWayDelayMs) {
        double id = ID_SLOPE * oneWayDelayMs;
        if (oneWayDelayMs > ID_KNEE_MS) {
            id += ID_SLOPE_ABOVE_KNEE * (oneWayDelayMs - ID_KNEE_MS);
        }
        return id;
    }

    /** Ie,eff = Ie + (95 − Ie) · Ppl / (Ppl/BurstR + Bpl). */
    public static double effectiveEquipmentImpairment(double ie, double bpl, double lossPct, double burstRatio) {
        return ie + (95.0 - ie) * lossPct / (lossPct / burstRatio + bpl);
    }

    /** MOS from R (G.107 Annex B), held within 1..4.5. */
    public static double mos(double r) {
        if (r <= 0) {
            return 1.0;
        }
        if (r >= 100) {
            return 4.5;
        }
        double mos = 1.0 + 0.035 * r + r * (r - 60.0) * (100.0 - r) * 7.0e-6;
        return Math.max(1.0, mos);
    }

    private static void requireNonNegative(String name, double v) {
        if (!(v >= 0 && Double.isFinite(v))) {
            throw new IllegalArgumentException(name + " must be a finite value >= 0: " + v);
        }
    }

    /**
     * One evaluation.
     *
     * @param oneWayDelayMs d, ms
     * @param id            delay impairment Id
     * @param ieEff         effective equipment impairment Ie,eff
     * @param r             R, clamped to 0..100
     * @param mos           MOS, 1..4.5
     */
    public record Result(double oneWayDelayMs, double id, double ieEff, double r, double mos) {
    }
}
