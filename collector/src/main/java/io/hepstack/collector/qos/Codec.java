package io.hepstack.collector.qos;

/**
 * A voice codec as the E-model sees it: its equipment impairment, its robustness to packet loss,
 * the delay it adds, and the RTP clock rate that converts RTCP jitter to time.
 *
 * <p>Impairment values, ITU-T G.113 (11/2007) Appendix I ("Provisional planning values for the
 * equipment impairment factor Ie and packet-loss robustness factor Bpl"), narrowband E-model scale:
 * <table>
 * <caption>Codecs with sourced values</caption>
 * <tr><th>codec</th><th>Ie</th><th>Bpl</th><th>delay ms</th><th>source of the delay</th></tr>
 * <tr><td>G.711 (PCMU, PCMA) with PLC</td><td>0</td><td>25.1</td><td>20</td>
 *     <td>20 ms packets (RFC 3551 default ptime), no look-ahead</td></tr>
 * <tr><td>G.711 without PLC</td><td>0</td><td>4.3</td><td>20</td><td>as above</td></tr>
 * <tr><td>G.729A (+VAD)</td><td>11</td><td>19.0</td><td>25</td>
 *     <td>two 10 ms frames per 20 ms packet + 5 ms look-ahead (ITU-T G.729)</td></tr>
 * <tr><td>G.723.1 6.3 kbit/s (+VAD)</td><td>15</td><td>16.1</td><td>37.5</td>
 *     <td>one 30 ms frame per packet + 7.5 ms look-ahead (ITU-T G.723.1)</td></tr>
 * </table>
 * The delay column is the algorithmic (packetisation + look-ahead) delay only, a planning
 * assumption of this class, not a G.113 value; device processing is not included.
 *
 * <p>No sourced narrowband (Ie, Bpl) pair was found for G.722, iLBC, Opus, AMR or AMR-WB (the
 * wideband codecs belong to the G.107.1 wideband E-model, whose R scale runs to 129 and does not
 * mix with this one). Those, and unknown names, use the G.711-with-PLC values with their own name
 * and clock rate and {@link #sourcedImpairment()} {@code false}, so a consumer can tell.
 *
 * @param name              display name ("G.711", or the rtpmap encoding name when not sourced)
 * @param ie                equipment impairment factor Ie (R units)
 * @param bpl               packet-loss robustness factor Bpl
 * @param delayMs           codec + packetisation delay added to the one-way delay, ms
 * @param clockRate         RTP clock rate, Hz (jitter in RTP units / clockRate = seconds)
 * @param sourcedImpairment true when Ie and Bpl come from G.113 for this codec
 */
public record Codec(String name, double ie, double bpl, double delayMs, int clockRate, boolean sourcedImpairment) {

    /** RTP clock rate assumed when nothing else is known (every narrowband codec uses 8 kHz). */
    public static final int DEFAULT_CLOCK_RATE = 8000;

    public static final Codec G711 = new Codec("G.711", 0.0, 25.1, 20.0, DEFAULT_CLOCK_RATE, true);
    public static final Codec G711_NO_PLC = new Codec("G.711 no PLC", 0.0, 4.3, 20.0, DEFAULT_CLOCK_RATE, true);
    public static final Codec G729A = new Codec("G.729A", 11.0, 19.0, 25.0, DEFAULT_CLOCK_RATE, true);
    public static final Codec G723_1 = new Codec("G.723.1", 15.0, 16.1, 37.5, DEFAULT_CLOCK_RATE, true);

    public Codec {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("codec name must not be empty: " + name);
        }
        if (!(ie >= 0 && ie < 95)) {
            throw new IllegalArgumentException("Ie must be in 0..95: " + ie);
        }
        if (!(bpl > 0 && Double.isFinite(bpl))) {
            throw new IllegalArgumentException("Bpl must be positive: " + bpl);
        }
        if (!(delayMs >= 0 && Double.isFinite(delayMs))) {
            throw new IllegalArgumentException("codec delay must be >= 0 ms: " + delayMs);
        }
        if (clockRate <= 0) {
            throw new IllegalArgumentException("clock rate must be positive: " + clockRate);
        }
    }

    /**
     * The codec of an SDP {@code a=rtpmap} value, "encoding/clock[/channels]" ("PCMU/8000",
     * "G729/8000", "opus/48000/2"); the encoding name is case-insensitive (RFC 4566). PCMU/PCMA →
     * G.711 with PLC, G729 (any annex) → G.729A, G723 → G.723.1; anything else, {@code null} or
     * blank → G.711 values, not sourced. The clock rate is taken from the rtpmap when it is a
     * positive number, else 8000.
     */
    public static Codec fromRtpmap(String rtpmap) {
        if (rtpmap == null) {
            return G711;
        }
        String s = rtpmap.trim();
        int slash = s.indexOf('/');
        String encoding = slash < 0 ? s : s.substring(0, slash).trim();
        int clock = DEFAULT_CLOCK_RATE;
        if (slash >= 0) {
            int end = s.indexOf('/', slash + 1);
            clock = positiveInt(s.substring(slash + 1, end < 0 ? s.length() : end).trim(), DEFAULT_CLOCK_RATE);
        }
        if (encoding.isEmpty()) {
            return G711;
        }
        Codec base;
        if (encoding.equalsIgnoreCase("PCMU") || encoding.equalsIgnoreCase("PCMA")) {
            base = G711;
        } else if (startsWithIgnoreCase(encoding, "G729")) {
            base = G729A;
        } else if (startsWithIgnoreCase(encoding, "G723")) {
            base = G723_1;
        } else {
            return new Codec(encoding, G711.ie, G711.bpl, G711.delayMs, clock, false);
        }
        return clock == base.clockRate ? base
                : new Codec(base.name, base.ie, base.bpl, base.delayMs, clock, base.sourcedImpairment);
    }

    /** The same codec with another RTP clock rate. */
    public Codec withClockRate(int rate) {
        return rate == clockRate ? this : new Codec(name, ie, bpl, delayMs, rate, sourcedImpairment);
    }

    private static boolean startsWithIgnoreCase(String s, String prefix) {
        return s.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    private static int positiveInt(String s, int dflt) {
        if (s.isEmpty() || s.length() > 9) {
            return dflt;
        }
        int v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return dflt;
            }
            v = v * 10 + (c - '0');
        }
        return v > 0 ? v : dflt;
    }
}
