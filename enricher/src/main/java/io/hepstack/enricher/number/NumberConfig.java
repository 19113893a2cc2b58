package io.hepstack.enricher.number;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code numbers:} section: how user parts are turned into e.164 numbers. See enricher/README.md. */
public class NumberConfig {
    public boolean enabled = true;
    /** ISO 3166 region for numbers dialled in national form (e.g. "DE"); null: only international forms are analysed. */
    public String defaultRegion;
    /** Prefixes that stand for '+' (tried longest first), e.g. ["00", "011"]. */
    public List<@NotNull @Pattern(regexp = "[0-9]+", message = "must be digits") String> internationalPrefixes =
            new ArrayList<>(List.of("00"));
    /** National trunk prefix (e.g. "0"); with defaultRegion, "0301234" becomes "+49301234". Null: libphonenumber's own rule for defaultRegion. */
    @Pattern(regexp = "[0-9]*", message = "must be digits")
    public String nationalPrefix;
    /** Technical prefixes removed first (the first that matches), e.g. ["*31#", "#31#"] (CLIR codes). */
    public List<@NotEmpty(message = "is an empty prefix") String> stripPrefixes = new ArrayList<>();
    /** Regex rewrites applied in order after stripping (see {@link RewriteRule}). */
    public List<@NotNull(message = "is empty") @Valid RewriteRule> rewriteRules = new ArrayList<>();
    /** Language of geographic descriptions and carrier names. */
    public String locale = "en";
    @Min(0)
    public int cacheSize = 65536;

    @JsonIgnore
    @AssertTrue(message = "is unknown: defaultRegion must be a region libphonenumber knows (ISO 3166 alpha-2, e.g. DE, GB, US)")
    public boolean isDefaultRegionKnown() {
        return defaultRegion == null || defaultRegion.isBlank()
                || PhoneNumberUtil.getInstance().getSupportedRegions().contains(defaultRegion.strip().toUpperCase(Locale.ROOT));
    }

    @JsonIgnore
    @AssertTrue(message = "is missing: nationalPrefix needs numbers.defaultRegion (which country's code replaces it)")
    public boolean isRegionOfNationalPrefix() {
        return nationalPrefix == null || nationalPrefix.isEmpty() || (defaultRegion != null && !defaultRegion.isBlank());
    }
}
