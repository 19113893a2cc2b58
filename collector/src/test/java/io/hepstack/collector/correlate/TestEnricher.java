package io.hepstack.collector.correlate;

import io.hepstack.enricher.Enricher;
import io.hepstack.enricher.EnricherConfig;
import io.hepstack.enricher.EnricherException;
import io.hepstack.enricher.blacklist.BlacklistListConfig;
import io.hepstack.enricher.rating.RateTableConfig;

/** An enricher over the repository's samples: GeoIP test databases, e.164, the ASTPP rate table, voipbl and CINS. */
public final class TestEnricher {

    private TestEnricher() {
    }

    /** A new enricher over the samples; the caller closes it. */
    public static Enricher build() {
        EnricherConfig c = new EnricherConfig();
        c.reloadInterval = io.dropwizard.util.Duration.hours(1);
        c.geoip.cityDatabase = "../samples/geoip/GeoIP2-City-Test.mmdb";
        c.geoip.asnDatabase = "../samples/geoip/GeoLite2-ASN-Test.mmdb";
        RateTableConfig t = new RateTableConfig();
        t.name = "astpp";
        t.file = "../samples/rates/astpp-origination-rates.csv";
        t.format = "astpp";
        t.currency = "USD";
        c.rating.tables.add(t);
        c.rating.defaultTable = "astpp";
        c.blacklists.lists.add(list("voipbl", "../samples/blacklist/firehol-voipbl-sample.netset", "netset"));
        c.blacklists.lists.add(list("cins", "../samples/blacklist/ci-badguys.txt", "plain"));
        try {
            return Enricher.build(c);
        } catch (EnricherException e) {
            throw new AssertionError("sample enricher did not build: " + e.getMessage(), e);
        }
    }

    private static BlacklistListConfig list(String name, String file, String format) {
        BlacklistListConfig l = new BlacklistListConfig();
        l.name = name;
        l.file = file;
        l.format = format;
        return l;
    }
}
