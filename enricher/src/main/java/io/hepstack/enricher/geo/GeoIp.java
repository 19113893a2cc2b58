package io.hepstack.enricher.geo;

import com.maxmind.geoip2.exception.GeoIp2Exception;
import com.maxmind.geoip2.model.AsnResponse;
import com.maxmind.geoip2.model.CityResponse;
import com.maxmind.geoip2.model.CountryResponse;
import com.maxmind.geoip2.model.IspResponse;
import com.maxmind.geoip2.record.Country;
import com.maxmind.geoip2.record.Location;
import com.maxmind.geoip2.record.Subdivision;
import io.hepstack.enricher.net.IpAddress;
import io.hepstack.enricher.reload.ReloadableFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * Geo and AS lookups against the active City (or, without one, Country) and ASN databases. Each
 * database is optional; a role with no loaded database simply answers null. Callers check the
 * address scope first: only public addresses are worth a lookup.
 */
public final class GeoIp {

    private static final Logger LOG = LoggerFactory.getLogger(GeoIp.class);

    private final ReloadableFile<MaxMindDb> city;
    private final ReloadableFile<MaxMindDb> country;
    private final ReloadableFile<MaxMindDb> asn;
    private final LongAdder errors = new LongAdder();

    /** Any argument may be null (role not configured). */
    public GeoIp(ReloadableFile<MaxMindDb> city, ReloadableFile<MaxMindDb> country, ReloadableFile<MaxMindDb> asn) {
        this.city = city;
        this.country = country;
        this.asn = asn;
    }

    /** Geo data for {@code a}, or null when no database knows it. */
    public GeoInfo geo(IpAddress a) {
        MaxMindDb c = active(city);
        if (c != null) {
            return cityLookup(c, a.toInetAddress());
        }
        MaxMindDb k = active(country);
        return k == null ? null : countryLookup(k, a.toInetAddress());
    }

    /** AS data for {@code a}, or null when unknown. */
    public AsInfo as(IpAddress a) {
        MaxMindDb db = active(asn);
        if (db == null) {
            return null;
        }
        InetAddress ia = a.toInetAddress();
        try {
            if (db.databaseType().contains("ISP")) {
                Optional<IspResponse> r = db.reader().tryIsp(ia);
                return r.filter(x -> x.autonomousSystemNumber() != null)
                        .map(x -> new AsInfo(x.autonomousSystemNumber(), x.autonomousSystemOrganization()))
                        .orElse(null);
            }
            Optional<AsnResponse> r = db.reader().tryAsn(ia);
            return r.filter(x -> x.autonomousSystemNumber() != null)
                    .map(x -> new AsInfo(x.autonomousSystemNumber(), x.autonomousSystemOrganization()))
                    .orElse(null);
        } catch (IOException | GeoIp2Exception | RuntimeException e) {
            return failed(a, e);
        }
    }

    /** True when at least one geo database (City or Country) is loaded. */
    public boolean geoAvailable() {
        return active(city) != null || active(country) != null;
    }

    public boolean asAvailable() {
        return active(asn) != null;
    }

    /** Lookups that failed inside the MaxMind reader (corrupt data); not-found is not an error. */
    public long errors() {
        return errors.sum();
    }

    private GeoInfo cityLookup(MaxMindDb db, InetAddress ia) {
        try {
            Optional<CityResponse> r = db.reader().tryCity(ia);
            if (r.isEmpty()) {
                return null;
            }
            CityResponse c = r.get();
            Country country = c.country();
            Subdivision sub = c.subdivisions().isEmpty() ? null : c.mostSpecificSubdivision();
            String iso = country == null ? null : country.isoCode();
            String regionIso = sub == null || sub.isoCode() == null ? null
                    : (iso == null ? sub.isoCode() : iso + "-" + sub.isoCode());
            Location loc = c.location();
            return new GeoInfo(iso, country == null ? null : country.name(),
                    c.city() == null ? null : c.city().name(), regionIso, sub == null ? null : sub.name(),
                    c.continent() == null ? null : c.continent().code(),
                    loc == null ? null : loc.timeZone(), loc == null ? null : loc.latitude(),
                    loc == null ? null : loc.longitude(), c.postal() == null ? null : c.postal().code());
        } catch (IOException | GeoIp2Exception | RuntimeException e) {
            return failed(ia, e);
        }
    }

    private GeoInfo countryLookup(MaxMindDb db, InetAddress ia) {
        try {
            Optional<CountryResponse> r = db.reader().tryCountry(ia);
            if (r.isEmpty()) {
                return null;
            }
            CountryResponse c = r.get();
            Country country = c.country();
            return new GeoInfo(country == null ? null : country.isoCode(), country == null ? null : country.name(),
                    null, null, null, c.continent() == null ? null : c.continent().code(), null, null, null, null);
        } catch (IOException | GeoIp2Exception | RuntimeException e) {
            return failed(ia, e);
        }
    }

    private <T> T failed(Object address, Exception e) {
        errors.increment();
        LOG.warn("GeoIP lookup of {} failed: {}", address, e.toString());
        return null;
    }

    private static MaxMindDb active(ReloadableFile<MaxMindDb> f) {
        return f == null ? null : f.current();
    }
}
