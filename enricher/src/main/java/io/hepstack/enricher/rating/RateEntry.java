package io.hepstack.enricher.rating;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;

/**
 * One row of a rate table: a destination prefix and how calls to it are charged.
 *
 * <p>Cost of an answered call lasting {@code d} seconds:
 * <ol>
 *   <li>{@code d <= 0}, or {@code d <= noChargeSeconds}: 0 (ASTPP and Kazoo charge nothing, not even
 *       the connect fee, for a call under one second; Kazoo's {@code rate_nocharge_time}).</li>
 *   <li>{@code b = d - includedSeconds} (ASTPP "Included Seconds").</li>
 *   <li>Walk the slots: each charges the part of {@code b} that falls in it, rounded up to whole
 *       increments (an increment may run past the slot's end; the next slot starts where it stopped).
 *       With one rate, initial increment {@code i} and increment {@code n} that is the ASTPP rule:
 *       billed = {@code i} if {@code b <= i}, else {@code i + ceil((b - i) / n) * n}.</li>
 *   <li>cost = connect fee + Σ billed<sub>slot</sub> × rate / unit, computed exactly (34 significant
 *       digits), capped at {@code maxCost} when set, then rounded once to {@code decimals} places with
 *       {@code rounding} (half-up to 4 places unless a CGRateS plan says otherwise).</li>
 * </ol>
 *
 * @param validFrom first instant this row applies, or null for "always"
 */
public record RateEntry(String prefix, String destination, BigDecimal connectFee, long includedSeconds,
                        long noChargeSeconds, List<RateSlot> slots, String currency, Instant validFrom,
                        RoundingMode rounding, int decimals, BigDecimal maxCost) {

    public RateEntry {
        if (prefix == null || prefix.isEmpty() || prefix.length() > RateTable.MAX_PREFIX
                || !prefix.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("prefix must be 1.." + RateTable.MAX_PREFIX + " digits: '" + prefix + "'");
        }
        if (connectFee == null || connectFee.signum() < 0) {
            throw new IllegalArgumentException("connect fee must be >= 0: " + connectFee);
        }
        if (includedSeconds < 0 || noChargeSeconds < 0) {
            throw new IllegalArgumentException("included/no-charge seconds must be >= 0");
        }
        if (slots == null || slots.isEmpty() || slots.get(0).start() != 0) {
            throw new IllegalArgumentException("rate needs slots, the first starting at 0 s");
        }
        for (int i = 1; i < slots.size(); i++) {
            if (slots.get(i).start() <= slots.get(i - 1).start()) {
                throw new IllegalArgumentException("rate slots must start at increasing seconds: " + slots);
            }
        }
        if (decimals < 0 || decimals > 12) {
            throw new IllegalArgumentException("decimals must be 0..12: " + decimals);
        }
        slots = List.copyOf(slots);
        rounding = rounding == null ? RoundingMode.HALF_UP : rounding;
    }

    /** ASTPP/Kazoo-style row: one rate, a first block and later blocks. */
    public static RateEntry simple(String prefix, String destination, BigDecimal ratePerMinute, BigDecimal connectFee,
                                   long includedSeconds, long initialIncrement, long increment, String currency,
                                   Instant validFrom, int decimals) {
        List<RateSlot> slots = initialIncrement == increment
                ? List.of(new RateSlot(0, ratePerMinute, 60, increment))
                : List.of(new RateSlot(0, ratePerMinute, 60, initialIncrement),
                          new RateSlot(initialIncrement, ratePerMinute, 60, increment));
        return new RateEntry(prefix, destination, connectFee, includedSeconds, 0, slots, currency, validFrom,
                RoundingMode.HALF_UP, decimals, null);
    }

    /** Rate of the first slot, per minute. */
    public BigDecimal ratePerMinute() {
        RateSlot s = slots.get(0);
        return s.unitSeconds() == 60 ? s.rate()
                : s.rate().multiply(BigDecimal.valueOf(60)).divide(BigDecimal.valueOf(s.unitSeconds()), MathContext.DECIMAL128)
                        .stripTrailingZeros();
    }

    public long initialIncrement() {
        return slots.get(0).increment();
    }

    /** Increment after the first slot (the first slot's when there is only one). */
    public long increment() {
        return slots.get(slots.size() > 1 ? 1 : 0).increment();
    }

    /** Seconds charged for an answered call of {@code seconds} (after included seconds). */
    public long billedSeconds(long seconds) {
        if (seconds <= 0 || seconds <= noChargeSeconds) {
            return 0;
        }
        long b = seconds - includedSeconds;
        long t = 0;
        for (int i = 0; i < slots.size() && t < b; i++) {
            long slotEnd = i + 1 < slots.size() ? slots.get(i + 1).start() : Long.MAX_VALUE;
            long upto = Math.min(b, slotEnd);
            if (upto > t) {
                long inc = slots.get(i).increment();
                t += ceilDiv(upto - t, inc) * inc;
            }
        }
        return Math.max(0, t);
    }

    /** Cost of an answered call of {@code seconds}, rounded as documented above. */
    public BigDecimal cost(long seconds) {
        if (seconds <= 0 || seconds <= noChargeSeconds) {
            return BigDecimal.ZERO.setScale(decimals, rounding);
        }
        long b = seconds - includedSeconds;
        BigDecimal total = terminatingTotal(b);
        if (total == null) {
            total = connectFee;
            long t = 0;
            for (int i = 0; i < slots.size() && t < b; i++) {
                long charged = charged(i, t, b);
                t += charged;
                if (charged > 0) {
                    RateSlot s = slots.get(i);
                    total = total.add(s.rate().multiply(BigDecimal.valueOf(charged))
                            .divide(BigDecimal.valueOf(s.unitSeconds()), MathContext.DECIMAL128));
                }
            }
        }
        if (maxCost != null && maxCost.signum() > 0 && total.compareTo(maxCost) > 0) {
            total = maxCost;
        }
        return total.setScale(decimals, rounding);
    }

    /** Seconds slot {@code i} charges when {@code t} of the billable {@code b} are charged before it (whole increments). */
    private long charged(int i, long t, long b) {
        long slotEnd = i + 1 < slots.size() ? slots.get(i + 1).start() : Long.MAX_VALUE;
        long upto = Math.min(b, slotEnd);
        if (upto <= t) {
            return 0;
        }
        long inc = slots.get(i).increment();
        return ceilDiv(upto - t, inc) * inc;
    }

    /**
     * The unrounded total of {@link #cost} in {@code long} arithmetic when every term rate × charged
     * / unit is a terminating decimal (the unit's prime factors other than 2 and 5 cancel), else null.
     * Then each 34-digit division of the general path is exact as well, so this is the same number;
     * it is the usual case (per-minute rates charged in 6 or 60 s blocks: k/10 minutes) and saves the
     * {@code BigInteger} long division of every term (the rating's largest cost per call).
     * Null as well when a value does not fit a long at 18 decimal places.
     */
    private BigDecimal terminatingTotal(long b) {
        try {
            long sum = unscaled(connectFee);
            int scale = connectFee.scale();
            long t = 0;
            for (int i = 0; i < slots.size() && t < b; i++) {
                long charged = charged(i, t, b);
                t += charged;
                if (charged == 0) {
                    continue;
                }
                RateSlot s = slots.get(i);
                long num = Math.multiplyExact(unscaled(s.rate()), charged);
                int termScale = s.rate().scale();
                long g = gcd(num, s.unitSeconds());
                num /= g;
                long den = s.unitSeconds() / g;
                for (; den != 1; termScale++) { // num / den = num * (10 / p) / (den / p) * 10^-1 for p = 2, 5
                    if (den % 10 == 0) {
                        den /= 10;
                    } else if (den % 2 == 0) {
                        den /= 2;
                        num = Math.multiplyExact(num, 5);
                    } else if (den % 5 == 0) {
                        den /= 5;
                        num = Math.multiplyExact(num, 2);
                    } else {
                        return null; // does not terminate
                    }
                }
                if (termScale > scale) {
                    sum = Math.multiplyExact(sum, pow10(termScale - scale));
                    scale = termScale;
                } else {
                    num = Math.multiplyExact(num, pow10(scale - termScale));
                }
                sum = Math.addExact(sum, num);
            }
            return BigDecimal.valueOf(sum, scale);
        } catch (ArithmeticException tooLarge) {
            return null;
        }
    }

    /** The unscaled value of a non-negative decimal with 0..18 places, or ArithmeticException. */
    private static long unscaled(BigDecimal d) {
        if (d.scale() < 0 || d.scale() > 18) {
            throw new ArithmeticException("scale");
        }
        return d.unscaledValue().longValueExact();
    }

    private static long pow10(int n) {
        if (n > 18) {
            throw new ArithmeticException("scale");
        }
        long p = 1;
        for (int i = 0; i < n; i++) {
            p *= 10;
        }
        return p;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long r = a % b;
            a = b;
            b = r;
        }
        return a;
    }

    /** Fee of a call that was not answered when connect fees apply to those. */
    public BigDecimal connectFeeOnly() {
        return connectFee.setScale(decimals, rounding);
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
