package io.hepstack.collector.document;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ShortDecimalsTest {

    private final char[] buf = new char[ShortDecimals.MAX_CHARS];

    private String format(double d) {
        int n = ShortDecimals.format(d, buf);
        return n == 0 ? null : new String(buf, 0, n);
    }

    @Test
    void writesWhatDoubleToStringWritesForShortDecimals() {
        for (double d : new double[] {0.0, 1.0, 88.0, 4.22, 85.8, 1.56, 28.25, 48.0, 0.39, -0.5, -12.125,
                0.001, 9999999.0, 1234.5678, 3.141593, 100.0, 4.4}) {
            assertEquals(Double.toString(d), format(d), "for " + d);
        }
    }

    @Test
    void everyValueRoundedToFourDecimalsAsTheTdrWriterDoesMatchesDoubleToString() {
        SplittableRandom r = new SplittableRandom(42);
        int compared = 0;
        for (int i = 0; i < 200_000; i++) {
            double v = Math.round(r.nextDouble(-1000, 100_000) * 10_000.0) / 10_000.0;
            String ours = format(v);
            if (Math.abs(v) >= 1e-3) {
                assertEquals(Double.toString(v), ours, "for " + v);
                compared++;
            }
        }
        assertTrue(compared > 190_000, "compared " + compared);
    }

    @Test
    void whateverItWritesParsesBackToTheSameDouble() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            double v = r.nextDouble(-1e7, 1e7) / Math.pow(10, r.nextInt(0, 10));
            String ours = format(v);
            if (ours != null) {
                assertEquals(Double.doubleToLongBits(v), Double.doubleToLongBits(Double.parseDouble(ours)), ours);
            }
        }
    }

    @Test
    void leavesLongFractionsScientificRangesAndOddValuesToTheCaller() {
        for (double d : new double[] {Math.PI, 1.0 / 3, 1e7, 12345678.9, 1e-4, 0.0009, -0.0,
                Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, 0.1234567}) {
            assertEquals(null, format(d), "for " + d);
        }
    }
}
