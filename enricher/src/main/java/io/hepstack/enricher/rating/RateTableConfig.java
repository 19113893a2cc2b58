package io.hepstack.enricher.rating;

import com.fasterxml.jackson.annotation.JsonIgnore;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** One entry of {@code rating.tables}. */
public class RateTableConfig {
    /** Name used by rules and written to {@code rating.table}. */
    @NotBlank(message = "is empty")
    public String name;
    /** CSV file, or the folder of a CGRateS tariff plan. */
    @NotBlank(message = "is empty")
    public String file;
    /** csv, astpp, kazoo or cgrates. */
    public String format = "csv";

    @JsonIgnore
    @AssertTrue(message = "is unknown: format must be csv, astpp, kazoo or cgrates")
    public boolean isFormatKnown() {
        try {
            RateFormat.parse(format == null ? "" : format);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
    /** Currency of rows that do not name one (all formats but csv). */
    @NotNull
    @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as EUR")
    public String currency = "USD";
    /** Decimal places of costs (half-up); CGRateS plans bring their own. */
    @Min(0)
    @Max(12)
    public int decimals = 4;
    /** Kazoo: direction of the rows to read. */
    public String direction = "outbound";
    /** CGRateS: rating plan Id (needed when the file has several). */
    public String ratingPlan;
}
