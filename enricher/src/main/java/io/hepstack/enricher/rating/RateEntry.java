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
        BigDecimal total = connectFee;
        long t = 0;
        for (int i = 0; i < slots.size() && t < b; i++) {
            RateSlot s = slots.get(i);
            long slotEnd = i + 1 < slots.size() ? slots.get(i + 1).start() : Long.MAX_VALUE;
            long upto = Math.min(b, slotEnd);
            if (upto > t) {
                long charged = ceilDiv(upto - t, s.increment()) * s.increment();
                t += charged;
                total = total.add(s.rate().multiply(BigDecimal.valueOf(charged))
                        .divide(BigDecimal.valueOf(s.unitSeconds()), MathContext.DECIMAL128));
            }
        }
        if (maxCost != null && maxCost.signum() > 0 && total.compareTo(maxCost) > 0) {
            total = maxCost;
        }
        return total.setScale(decimals, rounding);
    }

    /** Fee of a call that was not answered when connect fees apply to those. */
    public BigDecimal connectFeeOnly() {
        return connectFee.setScale(decimals, rounding);
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
