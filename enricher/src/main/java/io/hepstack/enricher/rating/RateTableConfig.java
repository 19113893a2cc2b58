package io.hepstack.enricher.rating;

/** One entry of {@code rating.tables}. */
public class RateTableConfig {
    /** Name used by rules and written to {@code rating.table}. */
    public String name;
    /** CSV file, or the folder of a CGRateS tariff plan. */
    public String file;
    /** csv, astpp, kazoo or cgrates. */
    public String format = "csv";
    /** Currency of rows that do not name one (all formats but csv). */
    public String currency = "USD";
    /** Decimal places of costs (half-up); CGRateS plans bring their own. */
    public int decimals = 4;
    /** Kazoo: direction of the rows to read. */
    public String direction = "outbound";
    /** CGRateS: rating plan Id (needed when the file has several). */
    public String ratingPlan;
}
