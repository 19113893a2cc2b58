package io.hepstack.enricher.number;

import java.util.ArrayList;
import java.util.List;

/** {@code numbers:} section: how user parts are turned into e.164 numbers. See enricher/README.md. */
public class NumberConfig {
    public boolean enabled = true;
    /** ISO 3166 region for numbers dialled in national form (e.g. "DE"); null: only international forms are analysed. */
    public String defaultRegion;
    /** Prefixes that stand for '+' (tried longest first), e.g. ["00", "011"]. */
    public List<String> internationalPrefixes = new ArrayList<>(List.of("00"));
    /** National trunk prefix (e.g. "0"); with defaultRegion, "0301234" becomes "+49301234". Null: libphonenumber's own rule for defaultRegion. */
    public String nationalPrefix;
    /** Technical prefixes removed first (the first that matches), e.g. ["*31#", "#31#"] (CLIR codes). */
    public List<String> stripPrefixes = new ArrayList<>();
    /** Regex rewrites applied in order after stripping (see {@link RewriteRule}). */
    public List<RewriteRule> rewriteRules = new ArrayList<>();
    /** Language of geographic descriptions and carrier names. */
    public String locale = "en";
    public int cacheSize = 65536;
}
