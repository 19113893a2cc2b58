package io.hepstack.enricher;

import io.hepstack.enricher.blacklist.BlacklistListConfig;
import io.hepstack.enricher.rating.RateTableConfig;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the sample data shipped in the repository (tests run in the module folder) and config helpers. */
public final class Samples {

    public static final Path ROOT = Path.of("../samples");
    public static final Path GEOIP = ROOT.resolve("geoip");
    public static final Path BLACKLIST = ROOT.resolve("blacklist");
    public static final Path RATES = ROOT.resolve("rates");

    static {
        if (!Files.isDirectory(ROOT)) {
            throw new IllegalStateException("sample data not found at " + ROOT.toAbsolutePath()
                    + ": run the tests from the enricher module folder (mvn -pl enricher)");
        }
    }

    private Samples() {
    }

    public static String path(Path p) {
        return p.toString();
    }

    public static BlacklistListConfig list(String name, Path file, String format) {
        BlacklistListConfig l = new BlacklistListConfig();
        l.name = name;
        l.file = file.toString();
        l.format = format;
        return l;
    }

    public static RateTableConfig table(String name, Path file, String format, String currency) {
        RateTableConfig t = new RateTableConfig();
        t.name = name;
        t.file = file.toString();
        t.format = format;
        t.currency = currency;
        return t;
    }

    /** A configuration with nothing enabled, to switch on one part per test. */
    public static EnricherConfig empty() {
        EnricherConfig c = new EnricherConfig();
        c.geoip.enabled = false;
        c.numbers.enabled = false;
        c.rating.enabled = false;
        c.blacklists.enabled = false;
        c.reloadInterval = io.dropwizard.util.Duration.hours(1); // tests poll by hand
        return c;
    }
}
