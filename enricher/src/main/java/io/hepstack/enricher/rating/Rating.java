package io.hepstack.enricher.rating;

import java.math.BigDecimal;

/**
 * The price of one call ({@code rating.*} on a TDR).
 *
 * @param table             rate table used
 * @param prefix            matched prefix (digits)
 * @param destination       destination name of the matched row
 * @param ratePerMinute     rate of the first slot, per minute
 * @param connectFee        connect fee of the row
 * @param includedSeconds   free seconds of the row (ASTPP)
 * @param initialIncrement  first billing block, seconds
 * @param increment         later billing blocks, seconds
 * @param billedSeconds     seconds charged (after included seconds; 0 for unanswered calls)
 * @param cost              amount, rounded as the row says (half-up to 4 decimals by default)
 * @param currency          ISO 4217 code
 */
public record Rating(String table, String prefix, String destination, BigDecimal ratePerMinute, BigDecimal connectFee,
                     long includedSeconds, long initialIncrement, long increment, long billedSeconds, BigDecimal cost,
                     String currency) {
}
