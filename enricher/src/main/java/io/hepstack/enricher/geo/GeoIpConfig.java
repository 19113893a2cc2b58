package io.hepstack.enricher.geo;

import java.util.ArrayList;
import java.util.List;

/** {@code geoip:} section. Each database is optional; a missing file disables its part with a status note. */
public class GeoIpConfig {
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
