package io.hepstack.enricher.rating;

import java.util.Locale;

/** Rate table file formats (see enricher/README.md for columns). */
public enum RateFormat {
    /** hepstack's own CSV: prefix, destination, rate_per_minute, connect_fee, initial_increment, increment, currency, valid_from. */
    CSV,
    /** ASTPP origination/termination rate import (Code, Destination, Connect Cost, Included Seconds, Per Minute Cost, Initial Increment, Increment). */
    ASTPP,
    /** Kazoo (2600Hz) rate deck (prefix, rate_cost, rate_increment, rate_minimum, rate_surcharge, ...). */
    KAZOO,
    /** CGRateS tariff plan: a folder with Destinations.csv, Rates.csv, DestinationRates.csv, RatingPlans.csv. */
    CGRATES;

    public static RateFormat parse(String s) {
        try {
            return valueOf(s.strip().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unknown rate table format '" + s + "' (csv, astpp, kazoo, cgrates)");
        }
    }
}
