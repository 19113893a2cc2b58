package io.hepstack.enricher.geo;

/**
 * Where an address is, in the names of ECS {@code *.geo.*} fields. Any field may be null when the
 * database does not know it (a Country database knows no city, some networks have no city either).
 *
 * @param regionIsoCode ISO 3166-2 code of the most specific subdivision, e.g. "GB-WBK" (as the
 *                      Elasticsearch geoip processor writes it)
 */
public record GeoInfo(String countryIsoCode, String countryName, String cityName, String regionIsoCode,
                      String regionName, String continentCode, String timezone, Double latitude, Double longitude,
                      String postalCode) {

    public boolean hasLocation() {
        return latitude != null && longitude != null;
    }
}
