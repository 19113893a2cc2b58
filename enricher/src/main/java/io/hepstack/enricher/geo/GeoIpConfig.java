package io.hepstack.enricher.geo;

import com.fasterxml.jackson.annotation.JsonIgnore;
import jakarta.validation.constraints.AssertTrue;

import java.util.ArrayList;
import java.util.List;

/** {@code geoip:} section. Each database is optional; a missing file disables its part with a status note. */
public class GeoIpConfig {

    /** Enabled, it needs at least one database. */
    @JsonIgnore
    @AssertTrue(message = "is missing: geoip is enabled but names no database (cityDatabase, countryDatabase, asnDatabase)")
    public boolean isDatabase() {
        return !enabled || !blank(cityDatabase) || !blank(countryDatabase) || !blank(asnDatabase);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
    public boolean enabled = true;
    /** GeoIP2/GeoLite2 City (or Enterprise) .mmdb. */
    public String cityDatabase;
    /** GeoIP2/GeoLite2 Country .mmdb, used only when no City database is loaded. */
    public String countryDatabase;
    /** GeoLite2 ASN (or GeoIP2 ISP) .mmdb. */
    public String asnDatabase;
    /** Preferred languages of names, first found wins. */
    public List<String> locales = new ArrayList<>(List.of("en"));
}
