package io.hepstack.collector.document;

/**
 * Plain decimal text of a double that has one with at most {@link #MAX_FRACTION_DIGITS} fraction
 * digits (4.22, 88.0, -0.5, 1234.5678), written into a caller's buffer without allocating.
 *
 * <p>The text is {@code n / 10^k} with the smallest such {@code k}, and only when that quotient,
 * correctly rounded, is {@code d} itself: parsing the text gives {@code d} back exactly. For these
 * values it is what {@link Double#toString(double)} writes (the shortest digits, a ".0" for whole
 * numbers). Anything else (more digits, scientific ranges below 10^-3 and from 10^7, -0.0, NaN,
 * infinities) is left to the caller's usual path.
 */
public final class ShortDecimals {

    public static final int MAX_FRACTION_DIGITS = 6;
    /** Sign, 7 integer digits, point, 6 fraction digits. */
    public static final int MAX_CHARS = 1 + 7 + 1 + MAX_FRACTION_DIGITS;

    private static final double[] POW10 = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};

    private ShortDecimals() {
    }

    /** Writes {@code d} into {@code out} (at least {@link #MAX_CHARS} long); the length, or 0 when it has no short form. */
    public static int format(double d, char[] out) {
        double a = Math.abs(d);
        if (!(a < 1e7) || (a < 1e-3 && (d != 0 || Double.doubleToRawLongBits(d) != 0))) {
            return 0; // NaN, infinities, Double.toString's scientific ranges, -0.0
        }
        for (int k = 0; k <= MAX_FRACTION_DIGITS; k++) {
            long n = Math.round(a * POW10[k]);
            if (n / POW10[k] == a) {
                return write(d < 0, n, k, out);
            }
        }
        return 0;
    }

    private static int write(boolean negative, long n, int k, char[] out) {
        int pos = 0;
        if (negative) {
            out[pos++] = '-';
        }
        long scale = (long) POW10[k];
        long whole = n / scale;
        long fraction = n - whole * scale;
        pos = digits(whole, out, pos);
        out[pos++] = '.';
        if (k == 0) {
            out[pos++] = '0';
            return pos;
        }
        for (long div = scale / 10; div > 0; div /= 10) {
            out[pos++] = (char) ('0' + (fraction / div) % 10);
        }
        return pos;
    }

    private static int digits(long v, char[] out, int pos) {
        int len = 1;
        for (long t = v; t >= 10; t /= 10) {
            len++;
        }
        for (int i = pos + len - 1; i >= pos; i--) {
            out[i] = (char) ('0' + v % 10);
            v /= 10;
        }
        return pos + len;
    }
}
